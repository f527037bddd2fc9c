import { Transform } from "node:stream";
import { createReadableStreamFromReadable, type EntryContext, type HandleDataRequestFunction } from "@remix-run/node";
import { isRouteErrorResponse, RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { I18nextProvider } from "react-i18next";
import { NonceProvider } from "~/components/nonce";
import { createI18n, getLanguage } from "~/lib/i18n.server";
import { logger } from "~/lib/logger.server";
import { sqlServerTiming } from "~/lib/request-context.server";
import {
  documentEtag,
  matchesIfNoneMatch,
  settleDataCaching,
  settlePageCaching,
} from "~/modules/caching/page-cache.server";
import { contentSecurityPolicy, newNonce } from "~/modules/security/content-security-policy.server";

export const streamTimeout = 5_000;

/**
 * The page's bytes on their way out.
 * - React writes its HTML in ~2 KB pieces, and Remix's adapter flushes after every piece,
 *   which makes the compression middleware flush too: a page compressed piece by piece came
 *   out 2–3 times larger (the platform home: 37 KB of gzip instead of 16). Pieces written in
 *   the same turn of the event loop are sent as one, so a page without Suspense boundaries
 *   goes out in one piece, and one that has them still streams each boundary as it resolves.
 * - React 18.3's streaming renderer can flush its 2 KB buffer with a multi-byte character
 *   that did not fit still missing, padding the buffer's tail with NUL bytes (the character
 *   itself follows in the next buffer; react/react#31134). HTML never needs a NUL byte, so
 *   they are dropped. Remove with React 19.
 */
function documentBody() {
  let pending: Uint8Array[] = [];
  let scheduled = false;
  const body: Transform = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      pending.push(chunk.includes(0) ? chunk.filter((byte) => byte !== 0) : chunk);
      if (!scheduled) {
        scheduled = true;
        setImmediate(() => {
          scheduled = false;
          if (pending.length) body.push(Buffer.concat(pending));
          pending = [];
        });
      }
      done();
    },
    flush(done) {
      if (pending.length) this.push(Buffer.concat(pending));
      pending = [];
      done();
    },
  });
  return body;
}

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
) {
  // Every loader has run by now: what the page cost the database (docs/perf.md).
  const timing = sqlServerTiming();
  if (timing) responseHeaders.append("Server-Timing", timing);
  // A page that may be shared gets a validator, and a browser that holds this version a 304
  // before anything is rendered (docs/decisions/012-page-caching.md).
  if (await settlePageCaching(request, responseStatusCode, responseHeaders)) {
    const { loaderData, actionData } = remixContext.staticHandlerContext;
    const etag = documentEtag(request, {
      buildVersion: remixContext.manifest.version,
      statusCode: responseStatusCode,
      loaderData,
      actionData,
    });
    responseHeaders.set("ETag", etag);
    if (matchesIfNoneMatch(request, etag)) return new Response(null, { status: 304, headers: responseHeaders });
  }

  // Every script the document carries (Remix's context and module scripts, scroll restoration,
  // streamed data, JSON-LD) bears this response's nonce, and its policy travels with the body.
  // A 304 above carries no policy: a cache keeps the stored body with the stored policy, whose
  // nonce is the one in that body (docs/decisions/015-threat-model.md).
  const nonce = newNonce();
  responseHeaders.set("Content-Security-Policy", contentSecurityPolicy(nonce));

  const i18n = await createI18n(await getLanguage(request));
  // Crawlers and link previews (WeChat) get the whole document at once.
  const readyEvent = isbot(request.headers.get("user-agent") ?? "") ? "onAllReady" : "onShellReady";

  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(
      <I18nextProvider i18n={i18n}>
        <NonceProvider value={nonce}>
          <RemixServer context={remixContext} url={request.url} nonce={nonce} />
        </NonceProvider>
      </I18nextProvider>,
      {
        nonce,
        [readyEvent]() {
          shellRendered = true;
          const body = documentBody();
          responseHeaders.set("Content-Type", "text/html; charset=utf-8");
          resolve(
            new Response(createReadableStreamFromReadable(body), {
              headers: responseHeaders,
              status: responseStatusCode,
            }),
          );
          pipe(body);
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) logger.error({ err: error, url: request.url }, "error while streaming a page");
        },
      },
    );
    setTimeout(abort, streamTimeout + 1000);
  });
}

/** Remix's single-fetch `.data` answers get the same caching rules as the document. */
export const handleDataRequest: HandleDataRequestFunction = (response, { request }) => {
  const timing = sqlServerTiming();
  if (timing) {
    response = new Response(response.body, response);
    response.headers.append("Server-Timing", timing);
  }
  return settleDataCaching(request, response);
};

/** Errors Remix catches: aborted requests and unknown URLs are not errors worth a stack trace. */
export function handleError(error: unknown, { request }: { request: Request }) {
  if (request.signal.aborted) return;
  if (isRouteErrorResponse(error) && error.status === 404) return;
  logger.error({ err: error, url: request.url }, "unhandled error in a loader or action");
}
