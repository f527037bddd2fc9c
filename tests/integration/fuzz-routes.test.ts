import fs from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { unscopedDb } from "~/db/index.server";
import { addMember, createUser, signedIn } from "../support/auth";
import { describeCase, fuzzCases, type FuzzCase, type Persona, type Targets } from "../support/fuzz/arbitraries";
import { readDictionary } from "../support/fuzz/dictionary";
import { answer, clearReport, startWatchdog, Timeout, toRequest, type PersonaSession } from "../support/fuzz/request";
import { routesOf, type FuzzRoute } from "../support/fuzz/routes";
import { fuzzSettings, seedFor } from "../support/fuzz/settings";
import { changedTables, snapshot } from "../support/fuzz/snapshot";
import { appBuild, startApp, stopApp } from "../support/remix-app";
import { SHOP_A, SHOP_B, twoShops } from "./cart-fixtures";
import { placeTestOrder } from "./orders-fixtures";

// The fuzzing suite (issue #9): every route of the build, its loader and its action, gets
// generated requests (form bodies of every encoding, odd field names and values, query
// strings, headers, sizes) from an anonymous visitor, a signed-in buyer and the owner of a
// cooperative. Every answer must come within the limit and not be a 5xx, and a refused
// request (4xx) must leave the database as it was. See tests/support/fuzz/ and `npm run fuzz`.

const settings = fuzzSettings();
const hangReport = path.resolve("test-results/fuzz-hang.txt");

let lastError: unknown = null;
const app = await startApp({ onError: (error) => (lastError ??= error) });
const routes = routesOf(appBuild()).filter((r) => !settings.route || r.id.includes(settings.route));
const watchdog = startWatchdog(Math.max(10_000, settings.requestLimitMs * 5), hangReport);

let targets: Targets;
const personas = { buyer: "", owner: "" };
const sessions: Record<Persona, PersonaSession | null> = { anonymous: null, buyer: null, owner: null };
let shopAId = "";

beforeAll(async () => {
  clearReport(hangReport);
  const fixture = await twoShops();
  shopAId = (await unscopedDb().shop.findUniqueOrThrow({ where: { slug: SHOP_A } })).id;
  personas.buyer = (await createUser({ name: "买家" })).id;
  personas.owner = (await createUser({ name: "社长" })).id;
  await addMember(shopAId, personas.owner, "OWNER");
  const order = await placeTestOrder({
    lines: [
      { variantId: fixture.a.p6.id, quantity: 1 },
      { variantId: fixture.b.p6.id, quantity: 1 },
    ],
  });
  await unscopedDb().order.update({ where: { id: order.orderId }, data: { userId: personas.buyer } });

  const db = unscopedDb();
  const [shops, products, batches, shopOrders, images] = await Promise.all([
    db.shop.findMany({ select: { id: true, slug: true } }),
    db.product.findMany({ select: { id: true, slug: true } }),
    db.batch.findMany({ select: { id: true, traceCode: true } }),
    db.shopOrder.findMany({ select: { id: true, number: true } }),
    db.image.findMany({ select: { id: true } }),
  ]);
  const variants = await db.variant.findMany({ select: { id: true } });
  const ids = [
    ...shops.map((s) => s.id),
    ...variants.map((v) => v.id),
    ...products.map((p) => p.id),
    ...batches.map((b) => b.id),
    ...shopOrders.map((o) => o.id),
    ...images.map((i) => i.id),
    order.number,
    "13912345678",
    personas.buyer,
  ];
  const any = [...ids, ...shops.map((s) => s.slug), ...products.map((p) => p.slug), ...batches.map((b) => b.traceCode)];
  targets = {
    dictionary: readDictionary(),
    ids,
    hosts: [`${SHOP_A}.localhost`, `${SHOP_B}.localhost`],
    params: {
      shop: [SHOP_A, SHOP_A, SHOP_B, "no-such-shop"],
      product: products.map((p) => p.slug),
      batch: batches.map((b) => b.id),
      code: batches.map((b) => b.traceCode),
      order: shopOrders.flatMap((o) => [o.id, o.number]),
      number: [order.number, ...shopOrders.map((o) => o.number)],
      token: ["0".repeat(43), "garbage"],
      "*": [...images.map((i) => `${i.id}/400.avif`), "x/../../etc/passwd", "%2e%2e/%2e%2e/x", ...any],
    },
  };
});

afterAll(async () => {
  await watchdog.stop();
  await stopApp();
});

/** Fresh sessions for the buyer and the owner, and the owner's membership, before each route. */
beforeEach(async () => {
  await unscopedDb().membership.upsert({
    where: { shopId_userId: { shopId: shopAId, userId: personas.owner } },
    create: { shopId: shopAId, userId: personas.owner, role: "OWNER" },
    update: { role: "OWNER" },
  });
  sessions.buyer = await signedIn(personas.buyer);
  sessions.owner = await signedIn(personas.owner);
});

async function check(c: FuzzCase) {
  const request = toRequest(c, sessions[c.persona]);
  const before = await snapshot();
  lastError = null;
  const errors: unknown[][] = [];
  const consoleError = console.error;
  console.error = (...args: unknown[]) => {
    errors.push(args);
    consoleError(...args);
  };
  let result;
  watchdog.begin(describeCase(c));
  try {
    result = await answer(app, request, settings.requestLimitMs);
  } catch (error) {
    if (error instanceof Timeout) throw new Error(`hang: ${error.message}`);
    throw error;
  } finally {
    watchdog.end();
    console.error = consoleError;
  }
  if (result.status >= 500) {
    const cause =
      lastError instanceof Error
        ? (lastError.stack ?? lastError.message)
        : String(lastError ?? result.body.slice(0, 400));
    throw new Error(`answered ${result.status}: ${cause}`);
  }
  if (result.ms > settings.requestLimitMs)
    throw new Error(`hang: answered ${result.status} only after ${Math.round(result.ms)} ms`);
  if (errors.length)
    throw new Error(`console.error during the request: ${errors.map((a) => a.map(String).join(" ")).join("\n")}`);
  if (result.status >= 400) {
    const changed = changedTables(before, await snapshot());
    if (changed.length)
      throw new Error(`refused with ${result.status}, yet the database changed: ${changed.join(", ")}`);
  }
}

async function fuzz(route: FuzzRoute, kind: "loader" | "action", methods: string[]) {
  const seed = seedFor(settings.seed, `${route.id} ${kind}`);
  const details = await fc.check(
    fc.asyncProperty(fuzzCases(targets, route, methods), (c) => check(c)),
    // Shrinking re-runs requests: bound it so a failure is reported, shrunk as far as time allowed.
    { seed, numRuns: settings.runs, interruptAfterTimeLimit: 90_000 },
  );
  if (details.failed) {
    const counterexample = details.counterexample?.[0] as FuzzCase | undefined;
    const error =
      details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
    throw new Error(
      [
        `${route.id} (${kind}) failed after ${details.numRuns} run(s), shrunk ${details.numShrinks} time(s):`,
        counterexample ? describeCase(counterexample) : "(no counterexample)",
        error,
        `replay: npm run fuzz -- --seed ${settings.seed} --route ${route.id}`,
      ].join("\n"),
    );
  }
}

describe("fuzzing every route", () => {
  it("walks every route module in app/routes", () => {
    if (settings.route) return;
    const files = fs.readdirSync("app/routes").map((f) => `routes/${f.replace(/\.tsx?$/, "")}`);
    expect(routes.map((r) => r.id)).toEqual(expect.arrayContaining(files));
  });

  for (const route of routes) {
    if (route.hasLoader || !route.hasAction) {
      // A route without an action still answers a POST (405), so GETs and the odd POST go here.
      const methods = route.hasAction ? ["GET", "GET", "GET", "HEAD"] : ["GET", "GET", "GET", "HEAD", "POST"];
      it(`${route.id} (${route.pattern}): loader`, () => fuzz(route, "loader", methods), 300_000);
    }
    if (route.hasAction) {
      it(
        `${route.id} (${route.pattern}): action`,
        () => fuzz(route, "action", ["POST", "POST", "POST", "POST", "PUT", "PATCH", "DELETE"]),
        300_000,
      );
    }
  }
});
