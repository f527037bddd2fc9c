import { Transform } from "node:stream";
import { createReadableStreamFromReadable, type EntryContext } from "@remix-run/node";
import { isRouteErrorResponse, RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { I18nextProvider } from "react-i18next";
import { createI18n, getLanguage } from "~/lib/i18n.server";
import { logger } from "~/lib/logger.server";

export const streamTimeout = 5_000;

/**
 * React 18.3's streaming renderer can flush its 2 KB buffer with a multi-byte character
 * that did not fit still missing, padding the buffer's tail with NUL bytes (the character
 * itself follows in the next buffer; react/react#31134). HTML never needs a NUL byte, so
 * they are dropped on the way out. Remove with React 19.
 */
function withoutNulBytes() {
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      done(null, chunk.includes(0) ? chunk.filter((byte) => byte !== 0) : chunk);
    },
  });
}

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
) {
  const i18n = await createI18n(await getLanguage(request));
  // Crawlers and link previews (WeChat) get the whole document at once.
  const readyEvent = isbot(request.headers.get("user-agent") ?? "") ? "onAllReady" : "onShellReady";

  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(
      <I18nextProvider i18n={i18n}>
        <RemixServer context={remixContext} url={request.url} />
      </I18nextProvider>,
      {
        [readyEvent]() {
          shellRendered = true;
          const body = withoutNulBytes();
          responseHeaders.set("Content-Type", "text/html; charset=utf-8");
          resolve(
            new Response(createReadableStreamFromReadable(body), { headers: responseHeaders, status: responseStatusCode }),
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

/** Errors Remix catches: aborted requests and unknown URLs are not errors worth a stack trace. */
export function handleError(error: unknown, { request }: { request: Request }) {
  if (request.signal.aborted) return;
  if (isRouteErrorResponse(error) && error.status === 404) return;
  logger.error({ err: error, url: request.url }, "unhandled error in a loader or action");
}
