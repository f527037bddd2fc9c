import { promisify } from "node:util";
import zlib from "node:zlib";
import compression from "compression";
import type { Request as ExpressRequest, RequestHandler, Response as ExpressResponse } from "express";
import expressStaticGzip from "express-static-gzip";

// Compression paid once (docs/decisions/019-shared-page-cache.md): a page the shared cache
// keeps is compressed once, at a high level, for every visitor who gets it from there; a page
// rendered for one visitor is compressed live at a cheap setting; a cached answer is never
// compressed again on its way out.

/** The header the shared page cache answers with (hit, miss or bypass). */
export const PAGE_CACHE_HEADER = "X-Page-Cache";

export type PageEncoding = "br" | "gzip" | "identity";

/** Live responses: Brotli quality 4 and gzip level 6 cost a fraction of the maximum for most of the gain. */
export const LIVE_BROTLI_QUALITY = 4;
export const LIVE_GZIP_LEVEL = 6;
/** Cached pages: compressed once per page and encoding, then sent thousands of times. */
export const CACHED_BROTLI_QUALITY = 11;
export const CACHED_GZIP_LEVEL = 9;

/** The compression middleware for live responses; it leaves the shared cache's answers as they are. */
export function liveCompression() {
  return compression({
    level: LIVE_GZIP_LEVEL,
    brotli: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: LIVE_BROTLI_QUALITY } },
    filter: (req: ExpressRequest, res: ExpressResponse) =>
      res.getHeader(PAGE_CACHE_HEADER) !== "hit" && compression.filter(req, res),
  });
}

/** The encoding a cached page is sent in: Brotli when accepted, else gzip, else none. */
export function chooseEncoding(req: ExpressRequest): PageEncoding {
  if (req.acceptsEncodings("br") === "br") return "br";
  if (req.acceptsEncodings("gzip") === "gzip") return "gzip";
  return "identity";
}

/**
 * A private page made from a template (decision 033), compressed here at the live settings in
 * one synchronous call: the same bytes per quality, without the middleware's stream (its chunked
 * zlib calls cost three times as much CPU for a 30 KB page).
 */
export function compressLive(body: Buffer, encoding: PageEncoding): Buffer {
  if (encoding === "br")
    return zlib.brotliCompressSync(body, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: LIVE_BROTLI_QUALITY,
        [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.byteLength,
      },
    });
  if (encoding === "gzip") return zlib.gzipSync(body, { level: LIVE_GZIP_LEVEL });
  return body;
}

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/** A page's bytes at the cached level, on libuv's thread pool (the event loop keeps serving). */
export async function compressOnce(body: Buffer, encoding: PageEncoding): Promise<Buffer> {
  if (encoding === "br")
    return brotli(body, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: CACHED_BROTLI_QUALITY,
        [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.byteLength,
      },
    });
  if (encoding === "gzip") return gzip(body, { level: CACHED_GZIP_LEVEL });
  return body;
}

/**
 * express.static for the build's files, sending the `.br` or `.gz` written beside a file at build
 * time (vite.config.ts) to a browser that accepts it, with Content-Encoding and Vary.
 */
export function precompressedStatic(root: string, options: { maxAge: string; immutable?: boolean }): RequestHandler {
  const files = expressStaticGzip(root, { enableBrotli: true, orderPreference: ["br", "gz"], serveStatic: options });
  // Every file of the build has an extension; a page's URL rarely does. Looking for a page's
  // URL on disk first cost a stat() of ~0.3 ms on every page, the shared cache's hits included.
  return (req, res, next) => (FILE_NAME.test(req.path) ? files(req, res, next) : next());
}

/** A path whose last segment has an extension. */
const FILE_NAME = /\.[^/]+$/;
