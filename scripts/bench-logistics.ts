// The logistics bench (issue #10), `npm run bench -- --only logistics`: the production build on
// a fresh PostgreSQL database with the demo cooperatives, one partner with 100,000 shipments,
// and its feed GET /api/logistics/v1/shipments?limit=100 under load — the first page and pages
// deep in the feed (cursors spread over all of it) — with p50/p99 latency, CPU ms per request
// of the app and of PostgreSQL, and SQL statements per page.
//
// The 100,000 shipments are written by the documented bulk path (scripts/lib/logistics-bulk.ts):
// one order is placed through POST /checkout like a buyer's, then copied 100,000 times with
// INSERT … SELECT, and an ASSIGNED shipment with its "created" and "assigned" events is
// inserted for each copy in one transaction (one feedXid, as if one transaction packed them all).
// Partner and keys are rows as partners.server.ts writes them (the key stored as its sha256).
//
// Then push deliveries per second to a local receiver, with CPU ms each (scripts/lib/bench-logistics-push.ts).
import { randomBytes } from "node:crypto";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { cartCookie } from "~/modules/cart/cart.cross-shop.server";
import { csrfCookie } from "~/modules/identity/cookies.server";
import { CSRF_FIELD } from "~/modules/identity/csrf.server";
import { hashToken, newToken } from "~/modules/identity/tokens.server";
import { encodeCursor } from "~/modules/logistics/feed.cross-shop.server";
import { hashApiKey } from "~/modules/logistics/partner-keys.server";
import { createServerDatabase } from "./lib/bench-db";
import type { PushBenchResult } from "./lib/bench-logistics-push";
import { copyShopOrders, insertAssignedShipments } from "./lib/logistics-bulk";
import {
  backendCpuDelta,
  treeCpuSeconds,
  freePort,
  logTail,
  postgresBackendCpu,
  startChild,
  stopChild,
  waitForOk,
  workerPid,
} from "./lib/bench-proc";
import { fixed, formatTable } from "./lib/bench-report";

const root = fileURLToPath(new URL("..", import.meta.url));

interface AutocannonResult {
  duration: number;
  requests: { total: number; average: number };
  errors: number;
  timeouts: number;
  statusCodeStats: Record<string, { count: number }>;
  latency: { p50: number; p99: number; mean: number; max: number };
}
type Autocannon = (options: Record<string, unknown>) => PromiseLike<AutocannonResult>;
const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

export interface FeedBenchRow {
  page: string;
  connections: number;
  durationS: number;
  requests: number;
  rps: number;
  latencyMs: { p50: number; p99: number; mean: number; max: number };
  statusCodes: Record<string, number>;
  serverCpuMsPerRequest: number | null;
  databaseCpuMsPerRequest: number | null;
  sqlStatements: number | null;
  shipmentsPerPage: number;
  kbPerResponse: number;
}

export interface LogisticsBenchResult {
  database: string;
  shipments: number;
  seedS: number;
  feed: FeedBenchRow[];
  /** Push deliveries to a local receiver (scripts/lib/bench-logistics-push.ts), or why not measured. */
  push: PushBenchResult | string;
}

const PAGE_LIMIT = 100;
const KEYS = 100; // each key has its own rate limit (600/min): the load rotates through them

export async function benchLogistics({
  shipments = Number(process.env.BENCH_LOGISTICS_SHIPMENTS) || 100_000,
  connections = 10,
  durationS = 10,
}: { shipments?: number; connections?: number; durationS?: number } = {}): Promise<LogisticsBenchResult | string> {
  if (!fs.existsSync(path.join(root, "build/server/index.js")))
    return "build/server/index.js is missing: run npm run build";
  const database = await createServerDatabase("bench_logistics");
  if (typeof database === "string") return database;
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const logFile = path.join(os.tmpdir(), `bench-logistics-${Date.now()}.log`);
  const app = startChild({
    name: "app",
    command: "npx",
    args: ["tsx", "server.ts"],
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: "production",
      DATABASE_URL: database.url,
      PORT: String(port),
      HOST: "127.0.0.1",
      LOG_LEVEL: "warn",
      MEDIA_DIR: path.join(os.tmpdir(), `bench-media-${Date.now()}`),
      STRIPE_SECRET_KEY: "",
      DATABASE_POOL_SIZE: "20",
      TENANTS_SYNC_ON_START: "empty",
    },
    logFile,
  });
  const db = new pg.Client({ connectionString: database.url });
  try {
    await waitForOk(`${origin}/healthz`, app, 180_000);
    await db.connect();
    const seedStarted = performance.now();
    const template = await placeOneOrder(db, origin);
    const { rows: shopRows } = await db.query<{ countyId: string }>(`SELECT "countyId" FROM "Shop" WHERE id = $1`, [
      template.shopId,
    ]);
    const partnerId = `bench_partner_${randomBytes(4).toString("hex")}`;
    await db.query(
      `INSERT INTO "LogisticsPartner" (id, "countyId", "nameZh", kind, services, areas, "updatedAt")
       VALUES ($1, $2, '压测物流中心', 'COUNTY_CENTRE', ARRAY['HOME','PICKUP_POINT','LOCKER']::"PartnerService"[], '{}', now())`,
      [partnerId, shopRows[0]!.countyId],
    );
    const keys = Array.from({ length: KEYS }, () => `lk_${randomBytes(32).toString("base64url")}`);
    await db.query(
      `INSERT INTO "PartnerApiKey" (id, "partnerId", prefix, hash, label)
       SELECT 'bench_key_' || i, $1, left(k, 11), h, 'bench' FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS t(k, h, i)`,
      [partnerId, keys, keys.map(hashApiKey)],
    );
    const exec = async (sql: string, params: unknown[]) =>
      (await db.query(sql, params)).rows as Record<string, unknown>[];
    const step = performance.now();
    await copyShopOrders(exec, {
      templateShopOrderId: template.id,
      templateShopId: template.shopId,
      count: shipments,
      prefix: "bench",
    });
    const copiedS = (performance.now() - step) / 1000;
    await db.query("BEGIN");
    await insertAssignedShipments(exec, {
      partnerId,
      shopId: template.shopId,
      count: shipments,
      prefix: "bench",
      manifestId: null,
    });
    await db.query("COMMIT");
    console.log(
      `logistics: ${shipments} orders copied in ${copiedS.toFixed(1)} s, shipments and events inserted in ` +
        `${((performance.now() - step) / 1000 - copiedS).toFixed(1)} s`,
    );
    await db.query(
      `ANALYZE "Shipment"; ANALYZE "ShipmentEvent"; ANALYZE "ShopOrder"; ANALYZE "ShopOrderLine"; ANALYZE "Order"`,
    );
    const seedS = (performance.now() - seedStarted) / 1000;
    console.log(`logistics: ${shipments} shipments for one partner seeded in ${seedS.toFixed(1)} s`);

    // Cursors spread over the whole feed: a page deep in it must cost what the first one does.
    const { rows: positions } = await db.query<{ xid: string; id: string }>(
      `SELECT "feedXid"::text AS xid, id FROM (
         SELECT "feedXid", id, row_number() OVER (ORDER BY "feedXid", id) AS n FROM "Shipment" WHERE "partnerId" = $1
       ) t WHERE n % 1000 = 0 AND n < $2::int - $3::int ORDER BY n`,
      [partnerId, shipments, PAGE_LIMIT],
    );
    const cursors = positions.map((p) => encodeCursor({ xid: BigInt(p.xid), id: p.id }));
    const pid = workerPid(app.pid);
    const feed: FeedBenchRow[] = [];
    for (const [name, paths] of [
      [`first page, limit ${PAGE_LIMIT}`, [`/api/logistics/v1/shipments?limit=${PAGE_LIMIT}`]],
      [
        `${cursors.length} cursors across ${shipments}`,
        cursors.map((c) => `/api/logistics/v1/shipments?limit=${PAGE_LIMIT}&cursor=${c}`),
      ],
    ] as const) {
      feed.push(
        await measureFeed({
          name,
          paths: [...paths],
          keys,
          origin,
          port,
          pid,
          database: database.name,
          connections,
          durationS,
        }),
      );
    }
    // The app's own worker would send part of the bench's deliveries: stop it first.
    await stopChild(app);
    const push = await measurePush(database.url);
    return { database: `PostgreSQL ${database.version}`, shipments, seedS, feed, push };
  } catch (error) {
    return `logistics bench failed: ${error instanceof Error ? error.message : String(error)}\n${logTail(app)}`;
  } finally {
    await db.end().catch(() => undefined);
    await stopChild(app);
    if (process.env.BENCH_KEEP_DATABASE) console.log(`logistics: database ${database.name} kept (BENCH_KEEP_DATABASE)`);
    else await database.drop().catch(() => undefined);
  }
}

/** Push deliveries per second, in a child process on the bench database (its own module singletons). */
async function measurePush(databaseUrl: string): Promise<PushBenchResult | string> {
  const child = spawnSync("npx", ["tsx", "scripts/lib/bench-logistics-push-child.ts"], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: "silent", NODE_ENV: "production" },
    encoding: "utf8",
    timeout: 600_000,
  });
  const line = child.stdout.trim().split("\n").pop() ?? "";
  try {
    return JSON.parse(line) as PushBenchResult;
  } catch {
    return `push bench failed (exit ${child.status}): ${child.stderr.slice(-2000)}`;
  }
}

/** One order placed through POST /checkout as a buyer would (offline, cash on delivery, home). */
async function placeOneOrder(db: pg.Client, origin: string): Promise<{ id: string; shopId: string }> {
  const { rows } = await db.query<{
    variantId: string;
    productId: string;
    shopId: string;
    priceFen: number;
    homeFen: number;
    freeFrom: number | null;
  }>(`
    SELECT v.id AS "variantId", p.id AS "productId", s.id AS "shopId", v."priceFen", s."shippingHomeFen" AS "homeFen", s."freeShippingFromFen" AS "freeFrom"
      FROM "Variant" v JOIN "Product" p ON p."shopId" = v."shopId" AND p.id = v."productId" JOIN "Shop" s ON s.id = v."shopId"
     WHERE s.status = 'LIVE' AND p.status = 'ACTIVE' AND v.status = 'ACTIVE' AND p.kind = 'SPECIALTY' AND NOT p.presale AND v.stock > 0
     ORDER BY v."priceFen" LIMIT 1`);
  const target = rows[0];
  if (!target) throw new Error("no live specialty product in the demo data");
  const token = newToken();
  const csrf = newToken();
  const cartId = hashToken(token);
  await db.query(`INSERT INTO "Cart" (id, "updatedAt") VALUES ($1, now())`, [cartId]);
  await db.query(
    `INSERT INTO "CartLine" (id, "cartId", "shopId", "productId", "variantId", quantity, "seenPriceFen", "updatedAt")
     VALUES ('bench_line', $1, $2, $3, $4, 1, $5, now())`,
    [cartId, target.shopId, target.productId, target.variantId, target.priceFen],
  );
  const shipping = target.freeFrom !== null && target.priceFen >= target.freeFrom ? 0 : target.homeFen;
  const response = await fetch(`${origin}/checkout`, {
    method: "POST",
    redirect: "manual",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      cookie: [
        (await cartCookie.serialize(token)).split(";")[0],
        (await csrfCookie.serialize(csrf)).split(";")[0],
      ].join("; "),
    },
    // No Origin: the CSRF check falls back to the double-submit token in the cookie and the form.
    body: new URLSearchParams({
      [CSRF_FIELD]: csrf,
      intent: "place",
      contactName: "压测买家",
      contactPhone: "13912345678",
      "shops[0].shopId": target.shopId,
      "shops[0].delivery": "HOME",
      "shops[0].addressRegion": "江苏省 南京市 玄武区",
      "shops[0].addressLine": "北京东路 1 号",
      provider: "OFFLINE",
      offlineMethod: "COD",
      checkoutKey: newToken()
        .replace(/[^A-Za-z0-9_-]/g, "x")
        .slice(0, 40),
      expectedTotalFen: String(target.priceFen + shipping),
    }).toString(),
  });
  await response.arrayBuffer();
  if (response.status !== 302 && response.status !== 303) throw new Error(`POST /checkout answered ${response.status}`);
  const placed = await db.query<{ id: string; shopId: string }>(
    `SELECT id, "shopId" FROM "ShopOrder" WHERE "shopId" = $1 ORDER BY "createdAt" DESC LIMIT 1`,
    [target.shopId],
  );
  return placed.rows[0]!;
}

async function measureFeed({
  name,
  paths,
  keys,
  origin,
  port,
  pid,
  database,
  connections,
  durationS,
}: {
  name: string;
  paths: string[];
  keys: string[];
  origin: string;
  port: number;
  pid: number;
  database: string;
  connections: number;
  durationS: number;
}): Promise<FeedBenchRow> {
  const probe = await fetch(origin + paths[0], { headers: { authorization: `Bearer ${keys[0]}` } });
  const body = (await probe.json()) as { shipments: unknown[] };
  if (probe.status !== 200) throw new Error(`${paths[0]} answered ${probe.status}`);
  const sql = /\bsql;[^,]*desc="(\d+) statements"/.exec(probe.headers.get("server-timing") ?? "");
  let next = 0;
  const run = (seconds: number) =>
    autocannon({
      url: origin,
      connections,
      duration: seconds,
      timeout: 30,
      requests: [
        {
          method: "GET",
          setupRequest: (request: Record<string, unknown>) => {
            const i = next++;
            return {
              ...request,
              path: paths[i % paths.length],
              headers: {
                authorization: `Bearer ${keys[i % keys.length]}`,
                host: `127.0.0.1:${port}`,
                "accept-encoding": "gzip",
              },
            };
          },
        },
      ],
    });
  process.stdout.write(`  logistics feed: ${name} … `);
  await run(2);
  const cpuBefore = treeCpuSeconds(pid);
  const dbBefore = postgresBackendCpu(database);
  const result = await run(durationS);
  const cpuAfter = treeCpuSeconds(pid);
  const dbAfter = postgresBackendCpu(database);
  const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, s]) => [code, s.count]));
  const requests = result.requests.total;
  const perRequest = (seconds: number | null) => (seconds === null || !requests ? null : (seconds * 1000) / requests);
  console.log(`${Math.round(requests / result.duration)} req/s`);
  return {
    page: name,
    connections,
    durationS: result.duration,
    requests,
    rps: requests / result.duration,
    latencyMs: result.latency,
    statusCodes,
    serverCpuMsPerRequest: perRequest(cpuBefore !== null && cpuAfter !== null ? cpuAfter - cpuBefore : null),
    databaseCpuMsPerRequest: perRequest(backendCpuDelta(dbBefore, dbAfter)),
    sqlStatements: sql ? Number(sql[1]) : null,
    shipmentsPerPage: body.shipments.length,
    kbPerResponse: JSON.stringify(body).length / 1024,
  };
}

export function formatLogisticsResult(r: LogisticsBenchResult): string {
  return [
    `Logistics feed (${r.database}, one partner with ${r.shipments} shipments, seeded in ${r.seedS.toFixed(1)} s):`,
    formatTable(r.feed, [
      { title: "GET /shipments", value: (x) => x.page, align: "left" },
      { title: "conns", value: (x) => String(x.connections) },
      { title: "req/s", value: (x) => fixed(x.rps) },
      { title: "p50 ms", value: (x) => fixed(x.latencyMs.p50) },
      { title: "p99 ms", value: (x) => fixed(x.latencyMs.p99) },
      { title: "CPU ms/req", value: (x) => fixed(x.serverCpuMsPerRequest, 1) },
      { title: "db ms/req", value: (x) => fixed(x.databaseCpuMsPerRequest, 1) },
      { title: "SQL/page", value: (x) => (x.sqlStatements === null ? "–" : String(x.sqlStatements)) },
      { title: "items", value: (x) => String(x.shipmentsPerPage) },
      { title: "KB (json)", value: (x) => fixed(x.kbPerResponse) },
      { title: "status", value: (x) => JSON.stringify(x.statusCodes), align: "left" },
    ]),
    typeof r.push === "string"
      ? `Push deliveries: not measured: ${r.push}`
      : `Push deliveries to a local receiver: ${r.push.deliveries} in ${r.push.seconds} s = ${r.push.perSecond}/s at ` +
        `concurrency ${r.push.concurrency}, ${r.push.cpuMsPerDelivery} CPU ms per delivery (sender and receiver in one process)`,
  ].join("\n");
}
