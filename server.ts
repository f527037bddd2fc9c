// The production server: parses the environment, migrates the database, imports the
// demo cooperatives when it is empty, runs the background jobs, then serves the Remix build
// from one process per core on a PostgreSQL server, from this process on embedded PGlite
// (docs/decisions/020-processes-per-core.md).
import cluster from "node:cluster";
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import path from "node:path";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import { closeDatabase, connection, databaseTargetFromEnv } from "~/db/index.server";
import { migrate } from "~/db/migrate.server";
import { lastWriteCookie } from "~/db/replica.server";
import { env, EnvError, type Env } from "~/env.server";
import { createI18n } from "~/lib/i18n.server";
import { PEER_ADDRESS_HEADER } from "~/lib/client-address.server";
import { logger } from "~/lib/logger.server";
import { useBaselineWasm } from "~/lib/wasm-baseline.server";
import { drainServer, forkServingProcesses, servingProcessCount } from "~/lib/processes.server";
import { closeConnectionsWhileDraining, createReadiness, readyzHandler, type Readiness } from "~/lib/readiness.server";
import { requestContext } from "~/lib/request-context.server";
import { renderQueue } from "~/lib/render-queue.server";
import { requestGuard } from "~/lib/request-guard.server";
import { compileTrustProxy } from "~/lib/trust-proxy.server";
import { checkDatabase } from "~/modules/platform/health.server";
import { liveCompression, precompressedStatic } from "~/modules/caching/compression.server";
import { replicaReadFacts, sharedPageCacheFromEnv } from "~/modules/caching/shared-page-cache.server";
import { uploadRequestMaxBytes } from "~/modules/media/upload-form.server";
import { startWorker } from "~/modules/jobs/worker.server";
import { securityHeaders } from "~/modules/security/http-headers.server";
import { liveShopNames } from "~/modules/tenancy/directory.cross-shop.server";
import { formatResults } from "~/modules/tenants/report";
import { hasAnyShop, syncTenants } from "~/modules/tenants/sync.server";
import { EMBEDDED_DEMO, fillEmbeddedDemo } from "~/modules/demo/embedded.cross-shop.server";
import { indexMissing } from "~/modules/search/reindex.cross-shop.server";

async function main() {
  let settings: Env;
  try {
    settings = env();
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  // Before the first query: Prisma's query compiler at V8's baseline tier (decision 036).
  useBaselineWasm(databaseTargetFromEnv().kind);

  // A serving worker forked by the primary below: the database is ready, the jobs run elsewhere.
  if (cluster.isWorker) {
    const node = await serve(settings);
    onShutdownSignal(settings, async () => {
      await stopServing(node, settings);
      await closeDatabase();
    });
    return;
  }

  const db = connection();
  const migrated = await migrate(db.raw);
  logger.info(
    { database: db.kind, location: db.location, applied: migrated.applied, waitedForAnotherNode: migrated.waited },
    "database ready",
  );

  const firstStart = !(await hasAnyShop());
  if (settings.TENANTS_SYNC_ON_START === "always" || (settings.TENANTS_SYNC_ON_START === "empty" && firstStart)) {
    const results = await syncTenants(settings.TENANTS_DIR);
    const { t } = await createI18n("en");
    for (const line of formatResults(results, t).split("\n")) logger.info(line);
  }
  // Search words for products indexed by no writer yet (docs/decisions/022-search-words.md).
  const indexed = await indexMissing();
  if (indexed) logger.info({ products: indexed }, "search words written");
  // The embedded demo's first start: orders for the county dashboards (never on a server).
  if (firstStart && db.kind === "embedded") {
    const { t } = await createI18n("en");
    const demo = await fillEmbeddedDemo({
      onStart: () =>
        logger.info(t("demo.embedded.filling", { orders: EMBEDDED_DEMO.orders, days: EMBEDDED_DEMO.days })),
    });
    if (demo.filled) {
      const { orders, lines, seconds } = demo.result;
      logger.info(t("demo.embedded.filled", { orders, lines, seconds: seconds.toFixed(1) }));
      logger.info(
        { reviews: demo.reviews.written, seconds: Number(demo.reviews.seconds.toFixed(2)) },
        "demo reviews written",
      );
      logger.info(t("demo.embedded.coordinator", demo.coordinator));
    }
  }

  // Background work (AVIF renditions, the payment sweeper and reconciliation) runs in this
  // process, once, however many processes serve; or, with JOB_WORKER=separate, in
  // `npm run jobs:worker` (several nodes behind a balancer, as `npm run cluster` runs them).
  const worker =
    settings.JOB_WORKER === "in-process" ? startWorker({ intervalMs: 2_000 }) : { stop: async () => undefined };
  const count = servingProcessCount({ database: db.kind, webConcurrency: settings.WEB_CONCURRENCY });
  logger.info({ processes: count }, "serving processes");

  if (count === 1) {
    const node = await serve(settings);
    void printUrls(settings).catch((error) => logger.error(error));
    onShutdownSignal(settings, async () => {
      await stopServing(node, settings);
      await worker.stop();
      await closeDatabase();
    });
    return;
  }
  const serving = forkServingProcesses(count);
  void serving.listening
    .then(() => {
      logger.info({ processes: count }, "every serving process is listening");
      return printUrls(settings);
    })
    .catch((error) => logger.error(error));
  onShutdownSignal(settings, async () => {
    // Each worker stops taking requests and finishes its own; SIGKILL for one that hangs.
    await serving.stop(shutdownGraceMs(settings) - 1_000);
    await worker.stop();
    await closeDatabase();
  });
}

interface ServingNode {
  server: Server;
  readiness: Readiness;
}

/** The Remix app behind its middleware, listening on PORT. */
async function serve(settings: Env): Promise<ServingNode> {
  const build = (await import(path.resolve("build/server/index.js"))) as ServerBuild;
  const readiness = createReadiness({ checkDatabase: () => checkDatabase(1_000) });
  const app = express();
  app.disable("x-powered-by");
  // Which node answered, when several serve behind a balancer (NODE_NAME; npm run cluster sets it).
  const nodeName = settings.NODE_NAME;
  if (nodeName)
    app.use((_req, res, next) => {
      res.setHeader("X-Node", nodeName);
      next();
    });
  // Readiness probes come every second or so from each balancer: answered first, not logged.
  app.use(readyzHandler(readiness));
  app.use(closeConnectionsWhileDraining(readiness));
  // Only the proxies named by TRUST_PROXY may speak for the client (X-Forwarded-For/-Host/-Proto).
  app.set("trust proxy", compileTrustProxy(settings.TRUST_PROXY));
  app.use(liveCompression());
  app.use((req, res, next) => {
    // The socket's peer, for clientAddress(); whatever a client sent under this name is replaced.
    req.headers[PEER_ADDRESS_HEADER] = req.socket.remoteAddress ?? "";
    const requestId = requestIdOf(req);
    res.locals.requestId = requestId;
    res.setHeader("X-Request-Id", requestId);
    const started = process.hrtime.bigint();
    const sql = { statements: 0, ms: 0 };
    res.on("finish", () =>
      logRequest(requestId, req.method, req.originalUrl, req.hostname, res.statusCode, started, sql),
    );
    // Lag-tolerant reads may go to the replica unless this visitor just wrote (decision 024).
    if (!settings.DATABASE_REPLICA_URL) return requestContext.run({ requestId, sql, mayReadReplica: false }, next);
    if (req.method !== "GET" && req.method !== "HEAD")
      res.append("Set-Cookie", lastWriteCookie(Date.now(), settings.READ_YOUR_WRITES_SECONDS, req.secure));
    replicaReadFacts({ method: req.method, cookieHeader: req.headers.cookie }).then(
      (routing) => requestContext.run({ requestId, sql, ...routing }, next),
      next,
    );
  });
  // nosniff, framing refused, referrer policy, HSTS on https, Permissions-Policy; the CSP is per document (entry.server).
  app.use(securityHeaders());
  // Vite's fingerprinted assets never change; everything else in public/ may.
  app.use("/assets", precompressedStatic("build/client/assets", { immutable: true, maxAge: "1y" }));
  app.use(precompressedStatic("build/client", { maxAge: "1h" }));
  // Requests Remix must not see: control characters in the URL, an Origin Remix's own check
  // would answer with a 500, a declared body larger than any route takes (guardRequest). The
  // guard sees the headers only; each route's reader bounds the body it reads.
  app.all("*", requestGuard({ maxBodyBytes: uploadRequestMaxBytes() }));
  // Anonymous visitors' public pages from memory (docs/decisions/019-shared-page-cache.md).
  const pageCache = await sharedPageCacheFromEnv();
  if (pageCache) app.all("*", pageCache.middleware);
  // What the cache did not answer waits its turn: a few at a time, in arrival order (decision 035).
  app.all("*", renderQueue());
  app.all(
    "*",
    createRequestHandler({ build, getLoadContext: (_req, res) => ({ requestId: res.locals.requestId as string }) }),
  );

  // A request the Express path above already answered from the page cache, asked again
  // (same URL, hosts, encodings, languages, no cookie...), is answered here with the same status,
  // headers and bytes, without Express (decision 038); everything else, and every request while
  // the node starts or drains (/readyz, Connection: close), goes to Express.
  const fastLane = pageCache?.fastLane;
  const server = createServer((req, res) => {
    if (fastLane && readiness.state() === "ready") {
      const started = process.hrtime.bigint();
      const requestId = requestIdOf(req);
      if (fastLane.answer(req, res, ["X-Request-Id", requestId])) {
        logRequest(requestId, req.method, req.url, hostnameOf(req), res.statusCode, started, NO_SQL);
        return;
      }
    }
    app(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(settings.PORT, settings.HOST, () => resolve());
  });
  readiness.markReady();
  return { server, readiness };
}

/** The client's X-Request-Id (at most 64 characters), or a new one. */
function requestIdOf(req: IncomingMessage): string {
  const given = req.headers["x-request-id"];
  return (typeof given === "string" ? given : "").slice(0, 64) || randomUUID();
}

/** The Host header without its port (what a request's log line names when Express has not parsed it). */
function hostnameOf(req: IncomingMessage): string {
  const host = req.headers.host ?? "";
  return host.startsWith("[") ? host.slice(0, host.indexOf("]") + 1) : host.split(":")[0]!;
}

const NO_SQL = { statements: 0, ms: 0 };

/** One line per request. */
function logRequest(
  requestId: string,
  method: string | undefined,
  url: string | undefined,
  host: string,
  status: number,
  started: bigint,
  sql: { statements: number; ms: number },
) {
  logger.info(
    {
      requestId,
      method,
      url,
      host,
      status,
      ms: Number(process.hrtime.bigint() - started) / 1e6,
      sql: sql.statements,
      sqlMs: Math.round(sql.ms * 10) / 10,
    },
    "request",
  );
}

/** How long requests in flight get to finish once the node stops accepting. */
const IN_FLIGHT_GRACE_MS = 7_000;

/** The whole shutdown's bound, after which the process exits 1 whatever is left. */
function shutdownGraceMs(settings: Env) {
  return settings.SHUTDOWN_DELAY_MS + 10_000;
}

/**
 * /readyz turns 503 at once; after SHUTDOWN_DELAY_MS (time for a balancer that polls /readyz
 * to take the node out) the socket closes, so new connections are refused, and the requests
 * in flight get IN_FLIGHT_GRACE_MS to finish.
 */
async function stopServing(node: ServingNode, settings: Env) {
  node.readiness.markDraining();
  if (settings.SHUTDOWN_DELAY_MS > 0) await new Promise((resolve) => setTimeout(resolve, settings.SHUTDOWN_DELAY_MS));
  const finished = await drainServer(node.server, IN_FLIGHT_GRACE_MS);
  logger.info({ finished }, "stopped serving");
}

/** SIGTERM/SIGINT: stop accepting, finish what is in flight, close the pools, exit; forced after the grace. */
function onShutdownSignal(settings: Env, drain: () => Promise<void>) {
  let draining = false;
  const shutdown = (signal: string) => {
    if (draining) return;
    draining = true;
    logger.info({ signal }, "shutting down");
    drain()
      .catch((error) => logger.error(error))
      .finally(() => process.exit(0));
    setTimeout(() => process.exit(1), shutdownGraceMs(settings)).unref();
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}

async function printUrls(settings: Env) {
  const { PORT: port, PLATFORM_HOST: platformHost } = settings;
  const base = `http://localhost:${port}`;
  const shops = await liveShopNames();
  const lines = [
    "",
    `一村一品一店 is serving on ${base}  (database: ${connection().kind}, ${connection().location})`,
    `  platform home   ${base}/`,
    ...shops.map((s) => `  ${s.nameZh}\n      ${base}/s/${s.slug}   or   http://${s.slug}.${platformHost}:${port}/`),
    `  health          ${base}/healthz`,
    "",
  ];
  console.log(lines.join("\n"));
}

main().catch(async (error) => {
  console.error(error instanceof Error ? error.message : error);
  await closeDatabase().catch(() => undefined);
  process.exit(1);
});
