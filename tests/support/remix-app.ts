import type { AddressInfo } from "node:net";
import { createRequestHandler, type ServerBuild } from "@remix-run/node";
import { createServer, type ViteDevServer } from "vite";
import { requestContext } from "~/lib/request-context.server";
import { guardRequest, requestGuard } from "~/lib/request-guard.server";
import { uploadRequestMaxBytes } from "~/modules/media/upload-form.server";

// The whole Remix app in-process, as the server runs it: every route, root loader, `headers`
// export and entry.server (document and single-fetch `.data` answers), loaded through Vite
// from the sources. App modules share the test file's database and the request context
// (process-wide singletons).

let vite: ViteDevServer | null = null;
let loaded: ServerBuild | null = null;

export interface StartAppOptions {
  /** Told of every error entry.server's handleError sees (after it has logged it). */
  onError?: (error: unknown, request: Request) => void;
}

export async function startApp(options: StartAppOptions = {}): Promise<(request: Request) => Promise<Response>> {
  vite = await createServer({
    configFile: "vite.config.ts",
    logLevel: "error",
    appType: "custom",
    server: { middlewareMode: true, hmr: false, ws: false, watch: null },
    optimizeDeps: { noDiscovery: true, include: [] },
  });
  let build = (await vite.ssrLoadModule("virtual:remix/server-build")) as ServerBuild;
  const { onError } = options;
  if (onError) {
    const entry = build.entry.module;
    build = {
      ...build,
      entry: {
        module: {
          ...entry,
          handleError: (error, args) => {
            entry.handleError?.(error, args);
            onError(error, args.request);
          },
        },
      },
    };
  }
  loaded = build;
  const handler = createRequestHandler(build, "production");
  // As server.ts does: requests Remix must not see are refused first (guardRequest), and each
  // request counts its SQL statements (the context is process-wide). A request over HTTP
  // always names its Host; one built in a test gets its URL's.
  return async (request) => {
    if (!request.headers.has("Host")) request.headers.set("Host", new URL(request.url).host);
    const refused = await guardRequest(request, { maxBodyBytes: uploadRequestMaxBytes() });
    if (refused) return refused;
    return requestContext.run({ requestId: "test", sql: { statements: 0, ms: 0 } }, () => handler(request));
  };
}

/** The server build startApp loaded (its route manifest, for tests that walk every route). */
export function appBuild(): ServerBuild {
  if (!loaded) throw new Error("startApp() first");
  return loaded;
}

export async function stopApp() {
  await vite?.close();
  vite = null;
  loaded = null;
}

/**
 * The same app behind Express, as server.ts serves it, on a free port: what arrives is real
 * HTTP, so the Host and X-Forwarded-* headers are read by the Express adapter exactly as in
 * production. `trustProxy` is Express's "trust proxy" (true = believe every X-Forwarded-*).
 */
export async function startHttpApp(trustProxy: boolean | number | string = false) {
  if (!vite) await startApp();
  const { createRequestHandler: createExpressHandler } = await import("@remix-run/express");
  const express = (await import("express")).default;
  const build = (await vite!.ssrLoadModule("virtual:remix/server-build")) as ServerBuild;
  const app = express();
  app.set("trust proxy", trustProxy);
  app.use((_req, _res, next) => requestContext.run({ requestId: "test", sql: { statements: 0, ms: 0 } }, next));
  app.all("*", requestGuard({ maxBodyBytes: uploadRequestMaxBytes() }));
  app.all("*", createExpressHandler({ build, mode: "production" }));
  const server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A raw HTTP request (fetch cannot set Host): status, headers and body text. */
export async function sendHttp(
  port: number,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
  const http = await import("node:http");
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: "127.0.0.1", port, path, method: options.method ?? "GET", headers: options.headers ?? {} },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString("utf8") }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}
