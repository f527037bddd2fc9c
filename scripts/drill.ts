// npm run drill -- [--seconds N] [--nodes 2] [--buyers 200] [--short] [--keep] [--lang en|zh-CN]
// The failover drill (issue #14): on a PostgreSQL primary and streaming replica of its own (ports
// 5451/5452, in a folder under /tmp; never the machine's service), behind a stable database address
// (nginx's TCP proxy on 5450, re-pointed by a config reload), app nodes (3451…) behind nginx (8451)
// and the worker, simulated buyers browse, search and rush the last units of a few products while
// the drill kills a node, stops the replica, then stops the primary and promotes the replica.
// It first measures the product page and checkout with 1 node and with all nodes. It judges every
// answer and the database afterwards, prints one verdict line per check LAST, and exits 1 when any
// check fails (2 on bad flags). docs/decisions/029-failover-drill.md says why it is built so.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { setTimeout as sleep } from "node:timers/promises";
import { uploadRequestMaxBytes } from "~/modules/media/upload-form.server";
import { cliTranslator, wholeArg } from "./lib/cli";
import { serveNodeFlags } from "./lib/serve-flags";
import {
  assertPortsFree,
  ClusterError,
  databaseProxyConfig,
  ensureDatabase,
  initPrimary,
  initReplica,
  isRunning,
  killProcess,
  layout,
  type Managed,
  moveUrl,
  NGINX_BIN,
  NGINX_STREAM_MODULE,
  nginxConfig,
  nginxWorkerUser,
  PG_BIN,
  pgCtl,
  postgresUser,
  prepareFolders,
  query,
  replicaStreaming,
  runToEnd,
  startPostgres,
  startProcess,
  stopProcess,
  waitFor,
} from "./lib/cluster";
import { load } from "./lib/bench-load";
import { type BuyerPlan, type LastUnits, type Outcome, percentile, startBuyers } from "./lib/drill-buyers";

const PORTS = { stable: 5450, primary: 5451, replica: 5452, firstNode: 3451, nginx: 8451 };
const DATABASE = "yicun";
/** Units of each rushed product: few, so the buyers sell them out during the run. */
const LAST_UNITS = 25;
/**
 * Rushed products, released in waves: one at the start, then one a second before each event (node
 * kill, replica stop, primary stop), so that buyers are checking out last units when each one hits.
 */
const RUSHED_PRODUCTS = 4;
const RELEASE_LEAD_MS = 1_000;
/** The recovery the issue asks for after the primary is lost. */
const RECOVERY_LIMIT_S = 30;
/** The demo cooperatives imported (the import is most of the setup's time). */
const TENANTS = ["yangshan-peach", "jurong-strawberry"];

let parsed;
try {
  parsed = parseArgs({
    options: {
      seconds: { type: "string" },
      nodes: { type: "string" },
      buyers: { type: "string" },
      short: { type: "boolean" },
      keep: { type: "boolean" },
      lang: { type: "string" },
    },
  });
} catch {
  parsed = null;
}
const { t } = await cliTranslator(parsed?.values.lang);

const short = Boolean(parsed?.values.short);
const secondsArg = wholeArg(parsed?.values.seconds, 10, 3600, short ? 15 : 60);
const nodesArg = wholeArg(parsed?.values.nodes, 2, 8, 2);
const buyersArg = wholeArg(parsed?.values.buyers, 1, 2000, 200);
if (!parsed || secondsArg === null || nodesArg === null || buyersArg === null || parsed.positionals.length > 0) {
  console.error(t("cluster.drill.usage"));
  process.exit(2);
}
const seconds = secondsArg;
const nodeCount = nodesArg;
const buyerCount = buyersArg;
const keep = Boolean(parsed.values.keep);
/** Seconds of each throughput measurement (product page, checkout; 1 node, then all). */
const throughputS = short ? 3 : 10;

const dirs = layout(fs.mkdtempSync(path.join(os.tmpdir(), "yicun-drill-")));
const nodePorts = Array.from({ length: nodeCount }, (_, i) => PORTS.firstNode + i);
const proxyFolder = path.join(dirs.root, "db-proxy");
const started: Managed[] = [];
const say = (key: string, values: Record<string, string | number> = {}) =>
  console.log(t(`cluster.drill.${key}`, values));

async function stopAll() {
  for (const managed of [...started].reverse())
    await stopProcess(managed, managed.name.startsWith("app") ? 10_000 : 5_000);
}

for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.on(signal, () => {
    void stopAll().then(() => process.exit(130));
  });

function track(managed: Managed) {
  started.push(managed);
  return managed;
}

interface Verdict {
  pass: boolean;
  line: string;
}

async function main(): Promise<Verdict[]> {
  const missing = [path.join(PG_BIN, "postgres"), path.join(PG_BIN, "pg_ctl"), NGINX_BIN, NGINX_STREAM_MODULE].filter(
    (file) => !fs.existsSync(file),
  );
  if (missing.length > 0) throw new ClusterError("missing", { files: missing.join(", ") });
  const pgUser = postgresUser();
  prepareFolders(dirs, { fresh: false, pgUser });
  fs.mkdirSync(proxyFolder, { recursive: true });
  await assertPortsFree([...Object.values(PORTS), ...nodePorts]);
  const { logs } = dirs;
  say("folder", { dir: dirs.root });

  // The primary, its database, the stable address in front of it.
  await initPrimary(dirs.primary, logs, pgUser);
  let primary = track(
    startPostgres("primary", dirs.primary, {
      port: PORTS.primary,
      sockets: dirs.sockets,
      logs,
      user: pgUser,
      standby: false,
    }),
  );
  const admin = (port: number) => `postgresql://postgres@127.0.0.1:${port}/postgres`;
  await waitFor(async () => (await query(admin(PORTS.primary), "SELECT 1")).length === 1, {
    timeoutMs: 30_000,
    managed: primary,
  });
  await ensureDatabase(admin(PORTS.primary), DATABASE);
  const proxyConf = path.join(proxyFolder, "nginx.conf");
  const pointProxyAt = (targetPort: number) =>
    fs.writeFileSync(
      proxyConf,
      databaseProxyConfig({
        listenPort: PORTS.stable,
        targetPort,
        folder: proxyFolder,
        logs,
        workerUser: nginxWorkerUser(),
      }),
    );
  pointProxyAt(PORTS.primary);
  const proxy = track(
    startProcess("db-proxy", NGINX_BIN, ["-c", proxyConf, "-p", proxyFolder, "-g", "daemon off;"], {
      log: path.join(logs, "db-proxy.log"),
      stopSignal: "SIGQUIT",
    }),
  );
  const stableUrl = `postgresql://postgres@127.0.0.1:${PORTS.stable}/${DATABASE}`;
  await waitFor(async () => (await query(stableUrl, "SELECT 1")).length === 1, { timeoutMs: 15_000, managed: proxy });
  say("primary", { primary: PORTS.primary, stable: PORTS.stable });

  // Migrations and the demo cooperatives, once.
  const tenants = path.join(dirs.root, "tenants");
  for (const tenant of TENANTS)
    fs.cpSync(path.join("tenants", tenant), path.join(tenants, tenant), { recursive: true });
  const appEnv: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    DATABASE_URL: stableUrl,
    MEDIA_STORAGE: "disk",
    MEDIA_DIR: dirs.media,
    EXPORTS_DIR: dirs.exports,
    TENANTS_DIR: tenants,
    PUBLIC_ORIGIN: `http://127.0.0.1:${PORTS.nginx}`,
    TRUST_PROXY: "loopback",
    TENANTS_SYNC_ON_START: "never",
    STRIPE_SECRET_KEY: "",
    LOG_LEVEL: "warn",
  };
  const node = process.execPath;
  const tsx = (script: string, ...args: string[]) => ["--import", "tsx", script, ...args];
  say("migrating");
  await runToEnd("db:migrate", node, tsx("scripts/db-migrate.ts"), { log: path.join(logs, "setup.log"), env: appEnv });
  await runToEnd("tenants:sync", node, tsx("scripts/tenants-sync.ts", "--if-empty", "--lang", "en"), {
    log: path.join(logs, "setup.log"),
    env: appEnv,
  });

  // The streaming replica, straight from the primary's own port.
  await initReplica(dirs.replica, admin(PORTS.primary), logs, pgUser);
  const startReplica = () =>
    track(
      startPostgres("replica", dirs.replica, {
        port: PORTS.replica,
        sockets: dirs.sockets,
        logs,
        user: pgUser,
        standby: true,
      }),
    );
  let replica = startReplica();
  const primaryUrl = moveUrl(admin(PORTS.primary), { database: DATABASE });
  const replicaUrl = moveUrl(admin(PORTS.replica), { database: DATABASE });
  const streaming = () =>
    waitFor(async () => (await query(replicaUrl, "SELECT 1")).length === 1 && (await replicaStreaming(primaryUrl)), {
      timeoutMs: 30_000,
      managed: replica,
    });
  await streaming();
  say("replica", { port: PORTS.replica });

  if (!fs.existsSync("build/server.mjs") || !fs.existsSync("build/server/index.js")) {
    say("building");
    await runToEnd("build", "npm", ["run", "build"], { log: path.join(logs, "build.log") });
  }

  // The worker and the app nodes.
  const nodeEnv = { ...appEnv, DATABASE_REPLICA_URL: replicaUrl, HOST: "127.0.0.1", WEB_CONCURRENCY: "1" };
  track(
    startProcess("worker", node, tsx("scripts/jobs-worker.ts"), { log: path.join(logs, "worker.log"), env: nodeEnv }),
  );
  const startNode = (i: number) =>
    track(
      startProcess(`app${i + 1}`, node, [...serveNodeFlags(), "build/server.mjs"], {
        log: path.join(logs, `app${i + 1}.log`),
        env: { ...nodeEnv, PORT: String(nodePorts[i]), NODE_NAME: `app${i + 1}`, JOB_WORKER: "separate" },
      }),
    );
  const nodeReady = (i: number, app: Managed) =>
    waitFor(async () => (await fetch(`http://127.0.0.1:${nodePorts[i]}/readyz`)).status === 200, {
      timeoutMs: 90_000,
      managed: app,
    });
  const apps = nodePorts.map((_, i) => startNode(i));
  await Promise.all(apps.map((app, i) => nodeReady(i, app)));

  // nginx in front, the cluster's configuration; rewritten to measure one node against all.
  const nginxConf = path.join(dirs.nginx, "nginx.conf");
  const routeTo = (ports: number[]) =>
    fs.writeFileSync(
      nginxConf,
      nginxConfig({
        listenPort: PORTS.nginx,
        nodePorts: ports,
        folder: dirs.nginx,
        logs,
        maxBodyBytes: uploadRequestMaxBytes(),
        workerUser: nginxWorkerUser(),
      }),
    );
  routeTo(nodePorts);
  const nginx = track(
    startProcess("nginx", NGINX_BIN, ["-c", nginxConf, "-p", dirs.nginx, "-g", "daemon off;"], {
      log: path.join(logs, "nginx.log"),
      stopSignal: "SIGQUIT",
    }),
  );
  const base = `http://127.0.0.1:${PORTS.nginx}`;
  await waitFor(async () => (await fetch(`${base}/readyz`)).status === 200, { timeoutMs: 15_000, managed: nginx });
  say("nodes", { n: nodeCount, ports: nodePorts.join(", "), port: PORTS.nginx });

  // What the buyers browse and rush for.
  const shops = await query<{ id: string; slug: string }>(
    primaryUrl,
    `SELECT id, slug FROM "Shop" WHERE status = 'LIVE' ORDER BY slug`,
  );
  const products = await query<{
    productId: string;
    variantId: string;
    shopId: string;
    shop: string;
    slug: string;
    title: string;
  }>(
    primaryUrl,
    `SELECT DISTINCT ON (p.id) p.id AS "productId", v.id AS "variantId", s.id AS "shopId", s.slug AS shop, p.slug, p."titleZh" AS title
       FROM "Variant" v JOIN "Product" p ON p."shopId" = v."shopId" AND p.id = v."productId" JOIN "Shop" s ON s.id = v."shopId"
      WHERE s.status = 'LIVE' AND p.status = 'ACTIVE' AND v.status = 'ACTIVE' AND p.kind = 'SPECIALTY' AND NOT p.presale
      ORDER BY p.id, v."priceFen"`,
  );
  if (products.length === 0)
    throw new ClusterError("failed", { name: "demo data", code: "-", log: "no specialty product" });
  const toUnits = (p: { variantId: string; shopId: string; shop: string; slug: string }): LastUnits => ({
    variantId: p.variantId,
    shopId: p.shopId,
    page: `/s/${p.shop}/p/${p.slug}`,
  });
  // A product with plenty of stock: the throughput measurement's and the recovery probe's.
  const plenty = toUnits(products[0]!);
  await query(primaryUrl, `UPDATE "Variant" SET stock = 1000000 WHERE "shopId" = $2 AND id = $1`, [
    plenty.variantId,
    plenty.shopId,
  ]);
  // The rushed products: copies of the demo's specialties (row for row, new ids and slugs), stock set below.
  const rushed: LastUnits[] = [];
  for (let i = 0; i < RUSHED_PRODUCTS; i++) {
    const source = products[i % products.length]!;
    const slug = `${source.slug}-last-${i + 1}`;
    const productId = `drill_p${i + 1}`;
    const variantId = `drill_v${i + 1}`;
    await query(
      primaryUrl,
      `INSERT INTO "Product" SELECT (jsonb_populate_record(NULL::"Product",
          to_jsonb(p) || jsonb_build_object('id', $2::text, 'slug', $3::text, 'titleZh', p."titleZh" || '（最后几件 ' || $4::text || '）'))).*
         FROM "Product" p WHERE "shopId" = $5 AND id = $1`,
      [source.productId, productId, slug, String(i + 1), source.shopId],
    );
    await query(
      primaryUrl,
      `INSERT INTO "Variant" SELECT (jsonb_populate_record(NULL::"Variant",
          to_jsonb(v) || jsonb_build_object('id', $2::text, 'productId', $3::text, 'sku', v.sku || '-LAST-' || $4::text))).*
         FROM "Variant" v WHERE "shopId" = $5 AND id = $1`,
      [source.variantId, variantId, productId, String(i + 1), source.shopId],
    );
    rushed.push(toUnits({ ...source, variantId, slug }));
  }
  const plan: BuyerPlan = {
    base,
    pages: [
      "/",
      ...shops.map((shop) => `/s/${shop.slug}`),
      ...products.map((p) => toUnits(p).page),
      ...rushed.map((p) => p.page),
    ],
    words: [...new Set(products.map((p) => p.title.slice(0, 2)))],
    products: rushed,
    checkoutShare: 0.25,
    // A buyer reads a page for a moment before the next click.
    thinkMs: [300, 1500],
  };

  // Throughput: the product page and checkout with 1 node, then with all of them.
  const throughput: { nodes: number; pageRps: number; pageP50: number; checkoutsPerS: number; checkoutP50: number }[] =
    [];
  for (const ports of [nodePorts.slice(0, 1), nodePorts]) {
    routeTo(ports);
    process.kill(nginx.proc.pid!, "SIGHUP");
    await sleep(1_000);
    const page = await load(`${base}${plenty.page}`, { connections: 50, durationS: throughputS, headers: {} });
    const rush = startBuyers(50, { ...plan, products: [plenty], checkoutShare: 1, thinkMs: [0, 0] });
    await sleep(throughputS * 1000);
    rush.stop();
    await rush.done;
    const placed = rush.outcomes.filter((o) => o.step === "place" && o.result === "ok");
    throughput.push({
      nodes: ports.length,
      pageRps: page.rps,
      pageP50: page.latencyMs.p50,
      checkoutsPerS: placed.length / throughputS,
      checkoutP50: percentile(
        placed.map((o) => o.ms),
        0.5,
      ),
    });
    say("throughput", {
      nodes: ports.length,
      rps: page.rps.toFixed(0),
      checkouts: (placed.length / throughputS).toFixed(1),
    });
  }

  // The last units, counted from now: the first wave on sale, the others sold out until released
  // (through the stable address: whichever server is the primary then).
  await query(
    primaryUrl,
    `UPDATE "Variant" v SET stock = CASE WHEN v.id = $2 THEN $3 ELSE 0 END
       FROM unnest($1::text[], $4::text[]) AS u(id, shop) WHERE v."shopId" = u.shop AND v.id = u.id`,
    [rushed.map((p) => p.variantId), rushed[0]!.variantId, LAST_UNITS, rushed.map((p) => p.shopId)],
  );
  const rushStart = (await query<{ now: Date }>(primaryUrl, "SELECT now()"))[0]!.now;
  let wave = 0;
  const releaseNextWave = async () => {
    wave += 1;
    await query(stableUrl, `UPDATE "Variant" SET stock = $2 WHERE "shopId" = $3 AND id = $1`, [
      rushed[wave]!.variantId,
      LAST_UNITS,
      rushed[wave]!.shopId,
    ]);
    await sleep(RELEASE_LEAD_MS);
  };

  // The run, and its events at fixed fractions of it.
  say("running", { buyers: buyerCount, seconds });
  const run = startBuyers(buyerCount, plan);
  // An event waits for its time, and (when the one before ran late on a loaded machine) for a tenth of
  // the run after that one, so each state (replica down, replica back) lasts long enough to be judged.
  const at = (fraction: number, after?: number) =>
    sleep(
      Math.max(
        0,
        fraction * seconds * 1000 - run.clock(),
        after === undefined ? 0 : after + seconds * 100 - run.clock(),
      ),
    );
  const events: Record<string, number> = {};
  const mark = (name: string) => (events[name] = run.clock());

  await at(0.2);
  const victim = nodeCount - 1;
  await releaseNextWave();
  mark("nodeKilled");
  await killProcess(apps[victim]!);
  say("event.nodeKilled", { name: `app${victim + 1}`, at: (events.nodeKilled! / 1000).toFixed(1) });
  await at(0.3);
  mark("nodeRestarted");
  apps[victim] = startNode(victim);
  // It rejoins when nginx hands it requests again (nginx retries a failed node after fail_timeout).
  let rejoinedS: number | null = null;
  await nodeReady(victim, apps[victim]!);
  for (const until = Date.now() + 30_000; Date.now() < until;) {
    const answer = await fetch(`${base}/healthz`).catch(() => null);
    if (answer?.headers.get("x-node") === `app${victim + 1}`) {
      rejoinedS = (run.clock() - events.nodeRestarted!) / 1000;
      break;
    }
    await sleep(100);
  }
  say("event.nodeRestarted", { name: `app${victim + 1}`, seconds: rejoinedS === null ? "-" : rejoinedS.toFixed(1) });

  await at(0.45, run.clock());
  await releaseNextWave();
  mark("replicaStopped");
  await pgCtl(["stop", "-m", "immediate"], dirs.replica, { logs, user: pgUser });
  await replica.exited;
  say("event.replicaStopped");
  await at(0.55, events.replicaStopped);
  mark("replicaStarted");
  replica = startReplica();
  await streaming();
  // Back and streaming: from now on an order is acknowledged only once the replica has it, so
  // losing the primary loses no acknowledged order (with the replica down, commits could not wait).
  await query(admin(PORTS.primary), `ALTER SYSTEM SET synchronous_standby_names = '*'`);
  await query(admin(PORTS.primary), "SELECT pg_reload_conf()");
  say("event.replicaStarted");

  await at(0.7, run.clock());
  await releaseNextWave();
  mark("primaryStopped");
  await pgCtl(["stop", "-m", "immediate"], dirs.primary, { logs, user: pgUser });
  await primary.exited;
  await pgCtl(["promote"], dirs.replica, { logs, user: pgUser });
  pointProxyAt(PORTS.replica);
  process.kill(proxy.proc.pid!, "SIGHUP");
  mark("promoted");
  say("event.promoted", { seconds: ((events.promoted! - events.primaryStopped!) / 1000).toFixed(1) });
  primary = replica;

  // Recovery: the first write answered after the stop — an add to cart or an order placed by a buyer,
  // or by a probing buyer of the plentiful product that tries to check out until it can.
  const probeStart = run.clock();
  const probe = startBuyers(1, { ...plan, products: [plenty], checkoutShare: 1, thinkMs: [200, 200] });
  const firstWrite = () => {
    const writes = [
      ...run.outcomes.filter((o) => o.at >= events.primaryStopped!).map((o) => ({ ...o, end: o.at + o.ms })),
      ...probe.outcomes.map((o) => ({ ...o, end: probeStart + o.at + o.ms })),
    ].filter((o) => (o.step === "place" || (o.step === "add" && o.detail === "")) && o.result === "ok");
    return writes.length === 0 ? null : Math.min(...writes.map((o) => o.end));
  };
  let recoveredS: number | null = null;
  for (const until = Date.now() + RECOVERY_LIMIT_S * 1000 + 5_000; Date.now() < until; await sleep(100)) {
    const end = firstWrite();
    if (end !== null && probe.outcomes.some((o) => o.step === "place" && o.result === "ok")) {
      recoveredS = (end - events.primaryStopped!) / 1000;
      break;
    }
  }
  probe.stop();
  await probe.done;
  say("event.recovered", { seconds: recoveredS === null ? "-" : recoveredS.toFixed(1) });
  await at(1);
  run.stop();
  await run.done;
  mark("end");

  // The database afterwards: the new primary.
  const newPrimary = replicaUrl;
  await sleep(1_000);
  const outcomes = run.outcomes;
  const acknowledged = [...outcomes, ...probe.outcomes].filter((o) => o.step === "place" && o.result === "ok");
  const numbers = acknowledged.map((o) => o.orderNumber!);
  const found = await query<{ number: string }>(newPrimary, `SELECT number FROM "Order" WHERE number = ANY($1)`, [
    numbers,
  ]);
  const lost = numbers.filter((n) => !found.some((row) => row.number === n));
  const cutKeys = outcomes.filter((o) => o.step === "place" && o.result === "cut").map((o) => o.checkoutKey!);
  const cutButPlaced = await query<{ n: number }>(
    newPrimary,
    `SELECT count(*)::int AS n FROM "Order" WHERE "checkoutKey" = ANY($1)`,
    [cutKeys],
  );
  const stock = await query<{ variantId: string; stock: number; ordered: number }>(
    newPrimary,
    `SELECT v.id AS "variantId", v.stock,
            COALESCE((SELECT sum(l.quantity) FROM "ShopOrderLine" l
                        JOIN "ShopOrder" so ON so."shopId" = l."shopId" AND so.id = l."shopOrderId"
                       WHERE l."shopId" = v."shopId" AND l."variantId" = v.id AND so."createdAt" >= $2), 0)::int AS ordered
       FROM "Variant" v JOIN unnest($1::text[], $3::text[]) AS u(id, shop) ON v."shopId" = u.shop AND v.id = u.id`,
    [rushed.map((p) => p.variantId), rushStart, rushed.map((p) => p.shopId)],
  );

  // Judging the outcomes by the window their answer arrived in (a request in flight when the primary
  // stops is the failover's, not the window's it was sent in).
  fs.writeFileSync(path.join(logs, "outcomes.json"), JSON.stringify({ events, outcomes, probe: probe.outcomes }));
  const within = (from: number, to: number) => outcomes.filter((o) => o.at + o.ms >= from && o.at + o.ms < to);
  const failedGets = (list: Outcome[]) => list.filter((o) => o.step === "get" && o.result !== "ok");
  const badPosts = (list: Outcome[]) => list.filter((o) => o.step !== "get" && o.result === "failed");
  const kinds = (list: Outcome[]) => {
    const counted = new Map<string, number>();
    for (const o of list) counted.set(`${o.step} ${o.detail}`, (counted.get(`${o.step} ${o.detail}`) ?? 0) + 1);
    return [...counted].map(([kind, n]) => `${kind}×${n}`).join(", ") || "-";
  };
  const verdicts: Verdict[] = [];
  const verdict = (pass: boolean, key: string, values: Record<string, string | number>) =>
    verdicts.push({ pass, line: `${pass ? "pass" : "FAIL"}  ${t(`cluster.drill.check.${key}`, values)}` });

  const killWindow = within(events.nodeKilled!, events.replicaStopped!);
  // A GET the killed node had begun to answer cannot be retried by nginx (its answer was on the way):
  // allowed only for requests in flight at the kill, and counted.
  const inFlightAtKill = (o: Outcome) => o.at <= events.nodeKilled! && o.at + o.ms >= events.nodeKilled!;
  const cutGets = killWindow.filter((o) => o.step === "get" && o.result === "cut" && inFlightAtKill(o));
  const killFailedGets = failedGets(killWindow).filter((o) => !cutGets.includes(o));
  const placedIn = (list: Outcome[]) => list.filter((o) => o.step === "place" && o.result === "ok").length;
  const refusedIn = (list: Outcome[]) =>
    list.filter((o) => o.step !== "get" && (o.result === "refused" || o.result === "cut")).length;
  verdict(killFailedGets.length === 0 && badPosts(killWindow).length === 0 && cutButPlaced[0]!.n === 0, "nodeKill", {
    gets: killWindow.filter((o) => o.step === "get").length,
    failedGets: killFailedGets.length,
    cutGets: cutGets.length,
    placed: placedIn(killWindow),
    refused: refusedIn(killWindow),
    cut: cutKeys.length,
    cutPlaced: cutButPlaced[0]!.n,
    failed: badPosts(killWindow).length,
    kinds: kinds([...failedGets(killWindow), ...badPosts(killWindow)]),
  });
  verdict(rejoinedS !== null, "rejoin", {
    name: `app${victim + 1}`,
    seconds: rejoinedS === null ? "-" : rejoinedS.toFixed(1),
  });
  const replicaWindow = within(events.replicaStopped!, events.primaryStopped!);
  const replicaErrors = [...failedGets(replicaWindow), ...badPosts(replicaWindow)];
  verdict(replicaErrors.length === 0, "replicaStop", {
    requests: replicaWindow.length,
    failed: replicaErrors.length,
    kinds: kinds(replicaErrors),
  });
  const outage = within(events.primaryStopped!, events.end!);
  verdict(recoveredS !== null && recoveredS <= RECOVERY_LIMIT_S, "failover", {
    seconds: recoveredS === null ? "-" : recoveredS.toFixed(1),
    limit: RECOVERY_LIMIT_S,
    failed: outage.filter((o) => o.result === "failed").length,
    kinds: kinds(outage.filter((o) => o.result === "failed")),
  });
  const oversold = stock.filter((row) => row.stock < 0 || row.ordered > LAST_UNITS);
  verdict(oversold.length === 0, "oversold", {
    products: stock.length,
    units: LAST_UNITS * stock.length,
    ordered: stock.reduce((sum, row) => sum + row.ordered, 0),
    left: stock.reduce((sum, row) => sum + row.stock, 0),
  });
  verdict(lost.length === 0, "lost", {
    acknowledged: numbers.length,
    lost: lost.length,
    numbers: lost.slice(0, 5).join(" ") || "-",
  });
  const steady = within(0, events.nodeKilled!);
  const steadyErrors = [...failedGets(steady), ...badPosts(steady)];
  verdict(steadyErrors.length === 0, "steady", {
    requests: steady.length,
    failed: steadyErrors.length,
    kinds: kinds(steadyErrors),
  });

  // The figures.
  const gets = outcomes.filter((o) => o.step === "get" && o.result === "ok").map((o) => o.ms);
  const places = outcomes.filter((o) => o.step === "place" && o.result === "ok").map((o) => o.ms);
  console.log("");
  say("summary", {
    requests: outcomes.length,
    seconds: (events.end! / 1000).toFixed(0),
    getP50: percentile(gets, 0.5).toFixed(0),
    getP95: percentile(gets, 0.95).toFixed(0),
    placeP50: percentile(places, 0.5).toFixed(0),
    placeP95: percentile(places, 0.95).toFixed(0),
    placed: places.length,
    failures: kinds(outcomes.filter((o) => o.result === "failed" || o.result === "cut")),
  });
  console.log(t("cluster.drill.tableHead"));
  for (const row of throughput)
    console.log(
      t("cluster.drill.tableRow", {
        nodes: row.nodes,
        rps: row.pageRps.toFixed(0),
        pageP50: row.pageP50.toFixed(0),
        checkouts: row.checkoutsPerS.toFixed(1),
        checkoutP50: row.checkoutP50.toFixed(0),
      }),
    );
  if (!isRunning(started.find((m) => m.name === "worker")!)) say("workerDied");
  return verdicts;
}

let verdicts: Verdict[] = [];
let crash: string | null = null;
try {
  verdicts = await main();
} catch (error) {
  crash =
    error instanceof ClusterError
      ? t(`cluster.cli.${error.key}`, error.values)
      : error instanceof Error
        ? (error.stack ?? error.message)
        : String(error);
}
await stopAll();
const passed = crash === null && verdicts.every((v) => v.pass);
if (passed && !keep) fs.rmSync(dirs.root, { recursive: true, force: true });
else say("kept", { dir: dirs.root });
// The verdict comes last.
console.log("");
if (crash !== null) console.log(`FAIL  ${crash}`);
for (const v of verdicts) console.log(v.line);
console.log(
  passed
    ? t("cluster.drill.passed", { checks: verdicts.length })
    : t("cluster.drill.failed", {
        failed: verdicts.filter((v) => !v.pass).length + (crash ? 1 : 0),
        checks: verdicts.length,
      }),
);
process.exit(passed ? 0 : 1);
