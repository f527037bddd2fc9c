// Starts the production server for the end-to-end tests on a fresh database.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { COUNTY_COORDINATOR, lastMonth, lastYear } from "./support/county-coordinator";
import { DEMO_OWNER } from "./support/demo-owner";
import { PLATFORM_ADMIN } from "./support/platform-admin";

const temp = fs.mkdtempSync(path.join(os.tmpdir(), "storefront-e2e-"));
process.env.PORT = process.env.E2E_PORT ?? "3210";
process.env.HOST = "127.0.0.1";
process.env.MEDIA_DIR = path.join(temp, "media");
process.env.PGLITE_DIR = path.join(temp, "pglite");
process.env.LOG_LEVEL = "warn";
process.env.NODE_ENV = "production";
process.env.TENANTS_SYNC_ON_START = "empty";
// One process: the server forks its serving processes from its entry script, which here is this
// one (it would make the database again in each); tests/integration/serving-processes covers several.
process.env.WEB_CONCURRENCY = "1";

const serverUrl = process.env.TEST_DATABASE_URL;
if (serverUrl) {
  // Its own name lets a second run (another port) go on beside the usual one.
  const name = process.env.E2E_DB_NAME ?? "storefront_e2e";
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  process.env.DATABASE_URL = url.toString();
} else {
  delete process.env.DATABASE_URL;
}

// Stripe, offline: with E2E_STRIPE_PORT set, a local Stripe test server answers the app's
// Stripe calls, serves the hosted payment page and posts signed webhooks back to the app.
if (process.env.E2E_STRIPE_PORT) {
  const { startStripeTestServer, TEST_SECRET_KEY } = await import("../support/stripe-test-server");
  const stripe = await startStripeTestServer({
    port: Number(process.env.E2E_STRIPE_PORT),
    webhookUrl: `http://127.0.0.1:${process.env.PORT}/webhooks/stripe`,
  });
  process.env.STRIPE_SECRET_KEY = TEST_SECRET_KEY;
  process.env.STRIPE_WEBHOOK_SECRET = stripe.webhookSecret;
  process.env.STRIPE_API_BASE = stripe.url;
}

// Custom domains are checked against a local DNS server (tests/support/dns-server.ts), so a
// "check now" gets a quick, known answer instead of waiting on the machine's resolver.
{
  const { startDnsServer } = await import("../support/dns-server");
  process.env.DOMAIN_DNS_SERVERS = (await startDnsServer()).address;
}

// The platform admin the journeys sign in as, made the way `npm run platform:admin` makes one
// (the server then finds the database migrated and shares this process's connection).
const { connection } = await import("~/db/index.server");
const { migrate } = await import("~/db/migrate.server");
const { makePlatformAdmin } = await import("~/modules/platform/admins.server");
await migrate(connection().raw);
const platformAdmin = await makePlatformAdmin({
  identifier: PLATFORM_ADMIN.phone,
  password: PLATFORM_ADMIN.password,
  locale: "zh-CN",
});
if (!platformAdmin.ok) throw new Error(`could not create the end-to-end platform admin: ${platformAdmin.error}`);
{
  // Platform admins must have two-step verification: a known secret, so that journeys can compute codes.
  const { db } = await import("~/db/index.server");
  const { sealSecret } = await import("~/modules/identity/secret-box.server");
  await db().twoFactor.create({
    data: { userId: platformAdmin.userId, secret: sealSecret(PLATFORM_ADMIN.totpSecret), enabledAt: new Date() },
  });
}

// The demo cooperatives, imported here as the server would into an empty database, and an
// owner for a few of them (a membership, as if the cooperative had signed up itself).
const { env } = await import("~/env.server");
const { db } = await import("~/db/index.server");
const { signUp } = await import("~/modules/identity/accounts.server");
const { syncTenants } = await import("~/modules/tenants/sync.server");
const packs = await syncTenants(env().TENANTS_DIR);
const refused = packs.filter((pack) => !pack.ok).map((pack) => pack.file);
if (refused.length) throw new Error(`demo packs refused: ${refused.join(", ")}`);
const owner = await signUp({
  identifier: DEMO_OWNER.phone,
  password: DEMO_OWNER.password,
  name: "演示店主",
  locale: "zh-CN",
});
if (!owner.ok) throw new Error(`could not create the end-to-end demo owner: ${owner.error}`);
for (const slug of DEMO_OWNER.shops) {
  const shop = await db().shop.findUniqueOrThrow({ where: { slug }, select: { id: true } });
  await db().membership.create({ data: { shopId: shop.id, userId: owner.userId, role: "OWNER" } });
}

// The county coordinator of the reports journey (issue #11), appointed as the operators' command does,
// and the demo orders (the bulk path of npm run demo:orders) for the county to report on.
{
  const { connection } = await import("~/db/index.server");
  const { insertBulkOrders } = await import("~/modules/demo/bulk-orders.cross-shop.server");
  const { parseReportFilters } = await import("~/modules/reports/filters");
  const { orderReportCount } = await import("~/modules/reports/orders-report.cross-shop.server");
  const { resetEnv } = await import("~/env.server");
  // Only 高邮 duck eggs (the county's shop, in no other journey) takes them: the other journeys' shops keep their stock and orders.
  await insertBulkOrders(connection().raw, {
    orders: 150,
    days: 120,
    seed: 11,
    now: new Date(),
    shops: ["gaoyou-duck-egg"],
  });
  const county = await db().county.findUniqueOrThrow({ where: { code: COUNTY_COORDINATOR.county } });
  const lines = async (range: { from: string; to: string }) => {
    const parsed = parseReportFilters(new URLSearchParams(range));
    if (!parsed.ok) throw new Error(parsed.error);
    return orderReportCount({ countyId: county.id }, parsed.filters);
  };
  const [month, year] = [await lines(lastMonth()), await lines(lastYear())];
  if (month === 0 || year <= month)
    throw new Error(`demo orders for the journey: ${month} lines last month, ${year} in the year`);
  process.env.EXPORT_BACKGROUND_ROWS = String(month);
  resetEnv();

  const { appointCoordinatorFromCli } = await import("~/modules/platform/coordinators.server");
  const appointed = await appointCoordinatorFromCli({
    identifier: COUNTY_COORDINATOR.phone,
    countyCode: COUNTY_COORDINATOR.county,
    password: COUNTY_COORDINATOR.password,
    locale: "zh-CN",
  });
  if (!appointed.ok) throw new Error(`could not appoint the end-to-end county coordinator: ${appointed.error}`);
}

// The logistics partner's part in the journeys (issue #10): registered and played through the module.
{
  const { startLogisticsControl, logisticsControlPort } = await import("./support/logistics-control");
  await startLogisticsControl(logisticsControlPort(Number(process.env.PORT)));
}

await import("../../server");
