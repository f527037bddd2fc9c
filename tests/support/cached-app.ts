import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createRequestHandler as createExpressHandler } from "@remix-run/express";
import express from "express";
import { requestContext } from "~/lib/request-context.server";
import { liveCompression } from "~/modules/caching/compression.server";
import { createSharedPageCache, type SharedPageCache } from "~/modules/caching/shared-page-cache.server";
import { securityHeaders } from "~/modules/security/http-headers.server";
import { appBuild } from "./remix-app";

// The whole app behind the shared page cache as server.ts mounts it (or without the cache, to
// compare with "the slow way"), counting what reaches Remix: one "process" of the cache tests.
// As in server.ts, hits the Express path has already served are answered by the cache's fast
// lane before Express (decision 038) unless `fastLane` is false; every answer carries an
// X-Request-Id (the client's, or "test-<n>").

export interface CachedApp {
  cache: SharedPageCache | null;
  base: string;
  renders: () => number;
  close: () => Promise<void>;
}

export async function startCachedApp({
  cacheBytes = 32 * 1024 * 1024,
  withCache = true,
  withSecurityHeaders = false,
  fastLane = true,
}: {
  cacheBytes?: number;
  withCache?: boolean;
  withSecurityHeaders?: boolean;
  fastLane?: boolean;
} = {}): Promise<CachedApp> {
  const cache = withCache ? await createSharedPageCache({ maxBytes: cacheBytes }) : null;
  const remix = createExpressHandler({ build: appBuild(), mode: "production" });
  let renders = 0;
  let requests = 0;
  const requestIdOf = (given: string | string[] | undefined) =>
    (typeof given === "string" ? given : "") || `test-${++requests}`;
  const app = express();
  app.use((req, res, next) => {
    res.setHeader("X-Request-Id", requestIdOf(req.headers["x-request-id"]));
    requestContext.run({ requestId: "test", sql: { statements: 0, ms: 0 } }, next);
  });
  app.use(liveCompression());
  if (withSecurityHeaders) app.use(securityHeaders());
  if (cache) app.use(cache.middleware);
  app.all("*", (req, res, next) => {
    renders++;
    return remix(req, res, next);
  });
  const lane = fastLane ? cache?.fastLane : undefined;
  const server = createServer((req, res) => {
    if (lane?.answer(req, res, ["X-Request-Id", requestIdOf(req.headers["x-request-id"])])) return;
    app(req, res);
  });
  server.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  return {
    cache,
    base: `http://localhost:${(server.address() as AddressInfo).port}`,
    renders: () => renders,
    close: async () => {
      await cache?.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
