import { createRequestHandler, type ServerBuild } from "@remix-run/node";
import { createServer, type ViteDevServer } from "vite";
import { requestContext } from "~/lib/request-context.server";
import { guardRequest } from "~/lib/request-guard.server";
import { uploadRequestMaxBytes } from "~/modules/media/upload-form.server";

// The whole Remix app in-process, as the server runs it: every route, root loader, `headers`
// export and entry.server (document and single-fetch `.data` answers), loaded through Vite
// from the sources. App modules share the test file's database and the request context
// (process-wide singletons).

let vite: ViteDevServer | null = null;

export async function startApp(): Promise<(request: Request) => Promise<Response>> {
  vite = await createServer({
    configFile: "vite.config.ts",
    logLevel: "error",
    appType: "custom",
    server: { middlewareMode: true, hmr: false, ws: false, watch: null },
    optimizeDeps: { noDiscovery: true, include: [] },
  });
  const build = (await vite.ssrLoadModule("virtual:remix/server-build")) as ServerBuild;
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

export async function stopApp() {
  await vite?.close();
  vite = null;
}
