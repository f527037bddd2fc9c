// The production server: parses the environment, migrates the database, imports the
// demo cooperatives when it is empty, runs the background jobs, then serves the Remix build
// from one process per core on a PostgreSQL server, from this process on embedded PGlite
// (docs/decisions/020-processes-per-core.md).
import cluster from "node:cluster";
import { randomUUID } from "node:crypto";
import type { Server } from "node:http";
import path from "node:path";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import { closeDatabase, connection } from "~/db/index.server";
import { migrate } from "~/db/migrate.server";
import { env, EnvError, type Env } from "~/env.server";
import { createI18n } from "~/lib/i18n.server";
import { PEER_ADDRESS_HEADER } from "~/lib/client-address.server";
import { logger } from "~/lib/logger.server";
import { drainServer, forkServingProcesses, servingProcessCount } from "~/lib/processes.server";
import { requestContext } from "~/lib/request-context.server";
import { requestGuard } from "~/lib/request-guard.server";
import { compileTrustProxy } from "~/lib/trust-proxy.server";
import { liveCompression, precompressedStatic } from "~/modules/caching/compression.server";
import { sharedPageCacheFromEnv } from "~/modules/caching/shared-page-cache.server";
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

  // A serving worker forked by the primary below: the database is ready, the jobs run elsewhere.
  if (cluster.isWorker) {
    const server = await serve(settings);
    onShutdownSignal(async () => {
      await drainServer(server);
      await closeDatabase();
    });
    return;
  }

  const db = connection();
  const migrated = await migrate(db.raw);
  logger.info({ database: db.kind, location: db.location, applied: migrated.applied }, "database ready");

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
      logger.info(t("demo.embedded.coordinator", demo.coordinator));
    }
  }

  // Background work (AVIF renditions, the payment sweeper and reconciliation) runs in this
  // process, once, however many processes serve.
  const worker = startWorker({ intervalMs: 2_000 });
  const count = servingProcessCount({ database: db.kind, webConcurrency: settings.WEB_CONCURRENCY });
  logger.info({ processes: count }, "serving processes");

  if (count === 1) {
    const server = await serve(settings);
    void printUrls(settings).catch((error) => logger.error(error));
    onShutdownSignal(async () => {
      await drainServer(server);
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
  onShutdownSignal(async () => {
    await serving.stop(SHUTDOWN_GRACE_MS - 1_000);
    await worker.stop();
    await closeDatabase();
  });
}

/** The Remix app behind its middleware, listening on PORT. */
async function serve(settings: Env): Promise<Server> {
  const build = (await import(path.resolve("build/server/index.js"))) as ServerBuild;
  const app = express();
  app.disable("x-powered-by");
  // Only the proxies named by TRUST_PROXY may speak for the client (X-Forwarded-For/-Host/-Proto).
  app.set("trust proxy", compileTrustProxy(settings.TRUST_PROXY));
  app.use(liveCompression());
  app.use((req, res, next) => {
    // The socket's peer, for clientAddress(); whatever a client sent under this name is replaced.
    req.headers[PEER_ADDRESS_HEADER] = req.socket.remoteAddress ?? "";
    const requestId = (req.get("x-request-id") ?? "").slice(0, 64) || randomUUID();
    res.locals.requestId = requestId;
    res.setHeader("X-Request-Id", requestId);
    const started = process.hrtime.bigint();
    const sql = { statements: 0, ms: 0 };
    res.on("finish", () => {
      logger.info(
        {
          requestId,
          method: req.method,
          url: req.originalUrl,
          host: req.hostname,
          status: res.statusCode,
          ms: Number(process.hrtime.bigint() - started) / 1e6,
          sql: sql.statements,
          sqlMs: Math.round(sql.ms * 10) / 10,
        },
        "request",
      );
    });
    requestContext.run({ requestId, sql }, next);
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
  app.all("*", await sharedPageCacheFromEnv());
  app.all(
    "*",
    createRequestHandler({ build, getLoadContext: (_req, res) => ({ requestId: res.locals.requestId as string }) }),
  );

  return new Promise((resolve, reject) => {
    const server = app.listen(settings.PORT, settings.HOST, () => resolve(server));
    server.once("error", reject);
  });
}

const SHUTDOWN_GRACE_MS = 10_000;

/** SIGTERM/SIGINT: stop accepting, finish what is in flight, close the pools, exit; forced after the grace. */
function onShutdownSignal(drain: () => Promise<void>) {
  let draining = false;
  const shutdown = (signal: string) => {
    if (draining) return;
    draining = true;
    logger.info({ signal }, "shutting down");
    drain()
      .catch((error) => logger.error(error))
      .finally(() => process.exit(0));
    setTimeout(() => process.exit(1), SHUTDOWN_GRACE_MS).unref();
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
