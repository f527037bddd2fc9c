import type { NextFunction, Response as ExpressResponse } from "express";

// A copy of what the rest of the chain writes, for the shared page cache (decisions 019, 033).
// Only answers that may be kept are copied: a download streamed to a signed-in coordinator (a
// 277 MB CSV) must pass through without being held in memory on the way.

export interface CapturedResponse {
  status: number;
  headers: [string, string][];
  body: Buffer;
}

/** The status and headers as the app set them, before the first byte of the body. */
export type CapturedHead = Omit<CapturedResponse, "body">;

/** Larger than any page (the platform home is ~100 KB of HTML); anything larger is not kept. */
export const CAPTURE_MAX_BYTES = 4 * 1024 * 1024;

type Write = (chunk: unknown, ...rest: unknown[]) => boolean;
type End = (chunk?: unknown, ...rest: unknown[]) => ExpressResponse;

/**
 * Runs the rest of the chain and records what it wrote. Null when the response did not finish,
 * when `keepable` refuses its head, or when its body passes `maxBytes`: from then on nothing
 * more is copied (and what was copied is let go).
 */
export function captureResponse(
  res: ExpressResponse,
  next: NextFunction,
  {
    keepable,
    omitHeaders,
    maxBytes = CAPTURE_MAX_BYTES,
  }: { keepable: (head: CapturedHead) => boolean; omitHeaders: ReadonlySet<string>; maxBytes?: number },
): Promise<CapturedResponse | null> {
  return new Promise((resolve) => {
    let chunks: Buffer[] | null = [];
    let bytes = 0;
    let head: CapturedHead | null = null;
    // Taken before the first byte leaves: the headers as the app set them (the compression
    // middleware adds its own only once it writes the head).
    const snapshot = () => {
      if (head) return;
      const headers: [string, string][] = [];
      for (const [name, value] of Object.entries(res.getHeaders())) {
        if (value === undefined || omitHeaders.has(name)) continue;
        headers.push([name, Array.isArray(value) ? value.join(", ") : String(value)]);
      }
      head = { status: res.statusCode, headers };
      if (!keepable(head)) chunks = null;
    };
    const keep = (chunk: unknown, encoding: unknown) => {
      if (!chunks) return;
      const copy =
        typeof chunk === "string"
          ? Buffer.from(chunk, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8")
          : chunk instanceof Uint8Array
            ? Buffer.from(chunk)
            : null;
      if (!copy) return;
      bytes += copy.byteLength;
      if (bytes > maxBytes) chunks = null;
      else chunks.push(copy);
    };
    const writable = res as unknown as { write: Write; end: End };
    const write = writable.write;
    const end = writable.end;
    writable.write = function (this: unknown, chunk, ...rest) {
      snapshot();
      keep(chunk, rest[0]);
      return write.call(this, chunk, ...rest);
    };
    writable.end = function (this: unknown, chunk, ...rest) {
      snapshot();
      if (typeof chunk !== "function") keep(chunk, rest[0]);
      return end.call(this, chunk, ...rest);
    };
    res.once("finish", () => {
      resolve(head && chunks ? { ...head, body: Buffer.concat(chunks) } : null);
    });
    res.once("close", () => {
      if (!res.writableFinished) resolve(null);
    });
    next();
  });
}
