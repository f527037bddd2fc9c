import { createRequestHandler, type ServerBuild } from "@remix-run/node";
import { createServer, type ViteDevServer } from "vite";
import { requestContext } from "~/lib/request-context.server";

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
  // As server.ts does: each request counts its SQL statements (the context is process-wide).
  return (request) => requestContext.run({ requestId: "test", sql: { statements: 0, ms: 0 } }, () => handler(request));
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
