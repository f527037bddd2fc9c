// npm run cluster -- [--nodes N] [--port P] [--node-port P] [--pg-port P] [--dir D] [--fresh] [--lang en|zh-CN]
// The scaled-out layout on one machine (deploy/ describes it for real machines): a PostgreSQL
// primary of its own (initdb, Debian's binaries; or the server at DATABASE_URL) and a streaming
// replica made by pg_basebackup, migrations and the demo shops once, the background worker as
// its own process, N app nodes (the production build, one process each) and nginx in front.
// Prints the URL; Ctrl-C (SIGINT) or SIGTERM stops everything it started, in reverse order, and
// keeps the data folder for the next start (--fresh starts clean). Bad flags: usage, exit 2.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { env } from "~/env.server";
import { uploadRequestMaxBytes } from "~/modules/media/upload-form.server";
import { cliTranslator, wholeArg } from "./lib/cli";
import { serveNodeFlags } from "./lib/serve-flags";
import {
  assertPortsFree,
  ClusterError,
  ensureDatabase,
  initPrimary,
  initReplica,
  layout,
  type Managed,
  moveUrl,
  NGINX_BIN,
  nginxConfig,
  nginxWorkerUser,
  PG_BIN,
  postgresUser,
  prepareFolders,
  query,
  replicaStreaming,
  runToEnd,
  startPostgres,
  startProcess,
  stopProcess,
  tail,
  waitFor,
} from "./lib/cluster";

const DATABASE = "yicun";

let parsed;
try {
  parsed = parseArgs({
    options: {
      nodes: { type: "string" },
      port: { type: "string" },
      "node-port": { type: "string" },
      "pg-port": { type: "string" },
      dir: { type: "string" },
      fresh: { type: "boolean" },
      lang: { type: "string" },
    },
  });
} catch {
  parsed = null;
}
const { t } = await cliTranslator(parsed?.values.lang);

const nodesArg = wholeArg(parsed?.values.nodes, 1, 64, os.availableParallelism());
const portArg = wholeArg(parsed?.values.port, 1, 65535, 8080);
const nodePortArg = wholeArg(parsed?.values["node-port"], 1, 65535, 3100);
const pgPortArg = wholeArg(parsed?.values["pg-port"], 1, 65534, 5440);
if (
  !parsed ||
  nodesArg === null ||
  portArg === null ||
  nodePortArg === null ||
  pgPortArg === null ||
  nodePortArg + nodesArg > 65536 ||
  parsed.positionals.length > 0
) {
  console.error(t("cluster.cli.usage"));
  process.exit(2);
}
const nodes = nodesArg;
const port = portArg;
const nodePort = nodePortArg;
const pgPort = pgPortArg;
const fresh = Boolean(parsed.values.fresh);
const externalUrl = env().DATABASE_URL;
const dirs = layout(path.resolve(parsed.values.dir ?? path.join(os.tmpdir(), `yicun-cluster-${pgPort}`)));
const nodePorts = Array.from({ length: nodes }, (_, i) => nodePort + i);
const replicaPort = pgPort + 1;

const started: Managed[] = [];
const startedAt = performance.now();
let shuttingDown = false;

/** Stops everything started, last first; the data folder stays. */
async function stopAll(exitCode: number): Promise<never> {
  if (!shuttingDown) {
    shuttingDown = true;
    console.log(t("cluster.cli.stopping"));
    for (const managed of [...started].reverse()) {
      // The app nodes drain their requests (SHUTDOWN_DELAY_MS is 0 behind nginx); PostgreSQL stops fast.
      await stopProcess(managed, managed.name.startsWith("app") ? 15_000 : 10_000);
    }
    console.log(t("cluster.cli.stopped", { dir: dirs.root }));
    process.exit(exitCode);
  }
  return new Promise<never>(() => undefined);
}

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => void stopAll(0));

/** A process that ends while the cluster runs: say so with its log, then stop the rest. */
function watch(managed: Managed) {
  started.push(managed);
  void managed.exited.then(() => {
    if (shuttingDown || managed.stopping) return;
    console.error(t("cluster.cli.died", { name: managed.name, log: managed.log }));
    console.error(tail(managed.log));
    void stopAll(1);
  });
  return managed;
}

async function main() {
  const missing = [path.join(PG_BIN, "postgres"), path.join(PG_BIN, "pg_basebackup"), NGINX_BIN].filter(
    (file) => !fs.existsSync(file),
  );
  if (missing.length > 0) throw new ClusterError("missing", { files: missing.join(", ") });

  const pgUser = postgresUser();
  prepareFolders(dirs, { fresh, pgUser });
  await assertPortsFree([port, replicaPort, ...nodePorts, ...(externalUrl ? [] : [pgPort])]);
  const logs = dirs.logs;

  // The primary: the server at DATABASE_URL, or one of our own.
  let primaryUrl: string;
  if (externalUrl) {
    primaryUrl = externalUrl;
    console.log(t("cluster.cli.externalPrimary", { url: moveUrl(primaryUrl, {}).replace(/:[^:@/]*@/, ":***@") }));
  } else {
    if (await initPrimary(dirs.primary, logs, pgUser)) console.log(t("cluster.cli.initdb", { dir: dirs.primary }));
    const primary = watch(
      startPostgres("primary", dirs.primary, {
        port: pgPort,
        sockets: dirs.sockets,
        logs,
        user: pgUser,
        standby: false,
      }),
    );
    const adminUrl = `postgresql://postgres@127.0.0.1:${pgPort}/postgres`;
    await waitFor(async () => (await query(adminUrl, "SELECT 1")).length === 1, {
      timeoutMs: 30_000,
      managed: primary,
    });
    await ensureDatabase(adminUrl, DATABASE);
    primaryUrl = moveUrl(adminUrl, { database: DATABASE });
    console.log(t("cluster.cli.primary", { port: pgPort }));
  }

  // Migrations and the demo shops, once, before any node starts.
  const appEnv: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    DATABASE_URL: primaryUrl,
    MEDIA_STORAGE: process.env.MEDIA_STORAGE ?? "disk",
    MEDIA_DIR: dirs.media,
    EXPORTS_DIR: dirs.exports,
    PUBLIC_ORIGIN: process.env.PUBLIC_ORIGIN ?? `http://localhost:${port}`,
    TRUST_PROXY: process.env.TRUST_PROXY ?? "loopback",
    TENANTS_SYNC_ON_START: "never",
  };
  // TypeScript scripts run as `node --import tsx …`: one process, which gets the stop signal itself (the
  // tsx command would sit between as a second process relaying signals).
  const node = process.execPath;
  const tsx = (script: string, ...args: string[]) => ["--import", "tsx", script, ...args];
  console.log(t("cluster.cli.migrating"));
  await runToEnd("db:migrate", node, tsx("scripts/db-migrate.ts"), { log: path.join(logs, "setup.log"), env: appEnv });
  await runToEnd("tenants:sync", node, tsx("scripts/tenants-sync.ts", "--if-empty", "--lang", "en"), {
    log: path.join(logs, "setup.log"),
    env: appEnv,
  });

  // The streaming replica.
  const replicationUrl = externalUrl ?? `postgresql://postgres@127.0.0.1:${pgPort}/postgres`;
  if (await initReplica(dirs.replica, replicationUrl, logs, pgUser))
    console.log(t("cluster.cli.basebackup", { dir: dirs.replica }));
  const replica = watch(
    startPostgres("replica", dirs.replica, {
      port: replicaPort,
      sockets: dirs.sockets,
      logs,
      user: pgUser,
      standby: true,
    }),
  );
  const replicaUrl = moveUrl(primaryUrl, { host: "127.0.0.1", port: replicaPort });
  await waitFor(
    async () => (await query(replicaUrl, "SELECT 1")).length === 1 && (await replicaStreaming(primaryUrl)),
    { timeoutMs: 30_000, managed: replica },
  );
  console.log(t("cluster.cli.replica", { port: replicaPort }));

  // The production build, made once when missing.
  if (!fs.existsSync("build/server.mjs") || !fs.existsSync("build/server/index.js")) {
    console.log(t("cluster.cli.building"));
    await runToEnd("build", "npm", ["run", "build"], { log: path.join(logs, "build.log") });
  }

  const nodeEnv = { ...appEnv, DATABASE_REPLICA_URL: replicaUrl, HOST: "127.0.0.1", WEB_CONCURRENCY: "1" };
  watch(
    startProcess("worker", node, tsx("scripts/jobs-worker.ts"), {
      log: path.join(logs, "worker.log"),
      env: nodeEnv,
    }),
  );
  const apps = nodePorts.map((nodePortN, i) =>
    watch(
      startProcess(`app${i + 1}`, process.execPath, [...serveNodeFlags(), "build/server.mjs"], {
        log: path.join(logs, `app${i + 1}.log`),
        env: { ...nodeEnv, PORT: String(nodePortN), NODE_NAME: `app${i + 1}`, JOB_WORKER: "separate" },
      }),
    ),
  );
  await Promise.all(
    apps.map((app, i) =>
      waitFor(async () => (await fetch(`http://127.0.0.1:${nodePorts[i]}/readyz`)).status === 200, {
        timeoutMs: 90_000,
        managed: app,
      }),
    ),
  );
  console.log(t("cluster.cli.nodes", { count: nodes, ports: nodePorts.join(", ") }));

  const config = path.join(dirs.nginx, "nginx.conf");
  fs.writeFileSync(
    config,
    nginxConfig({
      listenPort: port,
      nodePorts,
      folder: dirs.nginx,
      logs,
      maxBodyBytes: uploadRequestMaxBytes(),
      workerUser: nginxWorkerUser(),
    }),
  );
  const nginx = watch(
    startProcess("nginx", NGINX_BIN, ["-c", config, "-p", dirs.nginx, "-g", "daemon off;"], {
      log: path.join(logs, "nginx.log"),
      stopSignal: "SIGQUIT",
    }),
  );
  await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200, {
    timeoutMs: 15_000,
    managed: nginx,
  });

  const base = `http://localhost:${port}`;
  console.log(
    [
      "",
      t("cluster.cli.ready", { url: base, seconds: ((performance.now() - startedAt) / 1000).toFixed(1) }),
      t("cluster.cli.layout", {
        nodes,
        primary: externalUrl ? t("cluster.cli.theirPrimary") : `127.0.0.1:${pgPort}`,
        replica: `127.0.0.1:${replicaPort}`,
      }),
      t("cluster.cli.logs", { dir: logs }),
      t("cluster.cli.ctrlC"),
      "",
    ].join("\n"),
  );
}

main().catch((error: unknown) => {
  // A process that died has been reported already, with its log.
  if (!shuttingDown)
    console.error(
      error instanceof ClusterError
        ? t(`cluster.cli.${error.key}`, error.values)
        : error instanceof Error
          ? error.message
          : String(error),
    );
  void stopAll(1);
});
