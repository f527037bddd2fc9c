import { beforeAll, describe, expect, it } from "vitest";
import { unscopedDb } from "~/db/index.server";
import { countingSql } from "~/lib/request-context.server";
import { PARTNER_API_LIMIT } from "~/modules/logistics/api-http.server";
import { FeedPageSchema, ShipmentSchema } from "~/modules/logistics/api-schemas";
import { createApiKey, revokeApiKey } from "~/modules/logistics/partner-keys.server";
import { packShopOrder } from "~/modules/logistics/packing.server";
import { createPartner } from "~/modules/logistics/partners.server";
import { assignShipment } from "~/modules/logistics/shipments.server";
import { actOnShopOrder } from "~/modules/orders/shop-orders.server";
import * as anyOther from "~/routes/api.logistics.v1.$";
import * as guide from "~/routes/developers.logistics";
import * as openapi from "~/routes/api.logistics.v1.openapi[.]json";
import * as detail from "~/routes/api.logistics.v1.shipments.$id._index";
import * as accept from "~/routes/api.logistics.v1.shipments.$id.accept";
import * as events from "~/routes/api.logistics.v1.shipments.$id.events";
import * as reject from "~/routes/api.logistics.v1.shipments.$id.reject";
import * as feed from "~/routes/api.logistics.v1.shipments._index";
import { addMember, createUser, shopIdOf } from "../support/auth";
import { SHOP_A, SHOP_B, twoShops, type Fixture } from "./cart-fixtures";
import { placeTestOrder } from "./orders-fixtures";

// The partner API (issue #10) through its route modules with real Requests: every endpoint's
// answers and errors, the isolation walker (a key of county A never reaches a shipment it was
// not given), revoked keys and the rate limit.

type RouteModule = {
  loader?: (args: never) => unknown;
  action?: (args: never) => unknown;
};

interface Answer {
  status: number;
  headers: Headers;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

const BASE = "http://localhost/api/logistics/v1";
let peer = 0;

/** Calls a route module as Remix would: GET/HEAD → loader, anything else → action. */
async function call(
  mod: RouteModule,
  path: string,
  {
    method = "GET",
    key,
    body,
    params = {},
    headers = {},
    ip,
  }: {
    method?: string;
    key?: string | null;
    body?: unknown;
    params?: Record<string, string>;
    headers?: Record<string, string>;
    ip?: string;
  } = {},
): Promise<Answer> {
  const h = new Headers(headers);
  if (key) h.set("Authorization", `Bearer ${key}`);
  h.set("x-peer-address", ip ?? `198.51.100.${(++peer % 200) + 1}`);
  if (body !== undefined && !h.has("Content-Type")) h.set("Content-Type", "application/json");
  const request = new Request(`${BASE}${path}`, {
    method,
    headers: h,
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const fn = (method === "GET" || method === "HEAD" ? mod.loader : mod.action) as
    ((args: { request: Request; params: Record<string, string>; context: object }) => unknown) | undefined;
  if (!fn) throw new Error(`no ${method} handler`);
  let result: unknown;
  try {
    result = await fn({ request, params, context: {} });
  } catch (thrown) {
    if (!(thrown instanceof Response)) throw thrown;
    result = thrown;
  }
  if (!(result instanceof Response)) throw new Error("the API answers with Responses only");
  const text = await result.text();
  return { status: result.status, headers: result.headers, body: text ? JSON.parse(text) : null };
}

const get = (mod: RouteModule, path: string, key: string | null, params: Record<string, string> = {}) =>
  call(mod, path, { key, params });
const post = (mod: RouteModule, path: string, key: string | null, body: unknown, params: Record<string, string> = {}) =>
  call(mod, path, { method: "POST", key, body, params });

let f: Fixture;
let shopA: string;
let shopB: string;
let ownerA: string;
let ownerB: string;
let partnerA: { id: string; apiKey: string };
let partnerB: { id: string; apiKey: string };
let countyA: string;

const parcels = { parcelCount: 1, weightGrams: 2500, coldChain: false };

/** A paid shop order of the shop, packed: its shipment goes to the county's partner. */
async function packedShipment(shopId: string, variantId: string, owner: string): Promise<string> {
  const placed = await placeTestOrder({ lines: [{ variantId, quantity: 1 }] });
  const so = placed.shopOrders.get(shopId)!;
  expect(await actOnShopOrder({ shopId, shopOrderId: so.id, action: "confirmPayment", userId: owner })).toEqual({
    ok: true,
  });
  const packed = await packShopOrder({ shopId, shopOrderId: so.id, userId: owner, parcels });
  if (!packed.ok || !packed.shipmentId) throw new Error("not packed");
  return packed.shipmentId;
}

/** Every shipment the key's feed gives, paging with `limit`. */
async function wholeFeed(key: string, limit: number, query = ""): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  for (;;) {
    const qs = `?limit=${limit}${query}${cursor ? `&cursor=${cursor}` : ""}`;
    const page = await get(feed, `/shipments${qs}`, key);
    expect(page.status).toBe(200);
    pages++;
    ids.push(...page.body.shipments.map((s: { id: string }) => s.id));
    cursor = page.body.nextCursor;
    if (!page.body.hasMore) return { ids, pages };
  }
}

/**
 * The feed shows a shipment once no transaction that began before it still runs, anywhere on
 * the server (its horizon is cluster-wide), so other test files running beside this one can
 * hold it back for a moment: ask again until it shows, as a partner's next poll would.
 */
async function untilFeedShows<T>(read: () => Promise<T>, shows: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const value = await read();
    if (shows(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

beforeAll(async () => {
  f = await twoShops();
  shopA = await shopIdOf(SHOP_A);
  shopB = await shopIdOf(SHOP_B);
  ownerA = (await createUser({ name: "甲" })).id;
  ownerB = (await createUser({ name: "乙" })).id;
  await addMember(shopA, ownerA, "OWNER");
  await addMember(shopB, ownerB, "OWNER");
  const shops = await unscopedDb().shop.findMany({ where: { id: { in: [shopA, shopB] } } });
  countyA = shops.find((s) => s.id === shopA)!.countyId;
  const countyB = shops.find((s) => s.id === shopB)!.countyId;
  expect(countyA).not.toBe(countyB);
  const services = ["HOME", "PICKUP_POINT", "LOCKER"] as ("HOME" | "PICKUP_POINT" | "LOCKER")[];
  partnerA = await createPartner({
    countyId: countyA,
    nameZh: "甲县物流中心",
    kind: "COUNTY_CENTRE",
    services,
    areas: [],
  });
  partnerB = await createPartner({ countyId: countyB, nameZh: "乙县邮政", kind: "POST", services, areas: [] });
});

describe("authentication", () => {
  it("a missing, malformed or unknown key is 401 on every endpoint; nothing is read", async () => {
    const id = await packedShipment(shopA, f.a.p6.id, ownerA);
    for (const key of [null, "lk_wrong", "not-a-key"]) {
      const answers = [
        await get(feed, "/shipments", key),
        await get(detail, `/shipments/${id}`, key, { id }),
        await post(accept, `/shipments/${id}/accept`, key, { waybillNo: "W1", carrier: "邮政" }, { id }),
        await post(reject, `/shipments/${id}/reject`, key, { reason: "不要" }, { id }),
        await post(
          events,
          `/shipments/${id}/events`,
          key,
          { eventId: "e", type: "picked_up", at: new Date().toISOString() },
          { id },
        ),
      ];
      for (const a of answers) {
        expect(a.status).toBe(401);
        expect(a.body.error.code).toBe("unauthorized");
        expect(a.headers.get("WWW-Authenticate")).toMatch(/^Bearer/);
      }
    }
    const plain = await call(feed, "/shipments", { headers: { Authorization: "Basic dXNlcjpwYXNz" } });
    expect(plain.status).toBe(401);
    expect((await unscopedDb().shipment.findFirstOrThrow({ where: { id } })).status).toBe("ASSIGNED");
  });

  it("a revoked key is 401 while another key of the same partner still works", async () => {
    const first = await createApiKey(partnerA.id, "rotating");
    const second = await createApiKey(partnerA.id, "new");
    expect((await get(feed, "/shipments", first.key)).status).toBe(200);
    expect(await revokeApiKey(partnerA.id, first.id)).toBe(true);
    const refused = await get(feed, "/shipments", first.key);
    expect(refused.status).toBe(401);
    expect(refused.body.error.message).toMatch(/revoked/);
    expect((await get(feed, "/shipments", second.key)).status).toBe(200);
    const used = await unscopedDb().partnerApiKey.findUniqueOrThrow({ where: { id: second.id } });
    expect(used.lastUsedAt).not.toBeNull();
  });
});

describe("the feed", () => {
  it("pages through the partner's shipments once each, in order, with a cursor; filters by status", async () => {
    const made: string[] = [];
    for (let i = 0; i < 5; i++) made.push(await packedShipment(shopA, f.a.p6.id, ownerA));
    const all = await untilFeedShows(
      () => wholeFeed(partnerA.apiKey, 100),
      (feedNow) => made.every((id) => feedNow.ids.includes(id)),
    );
    const byTwo = await wholeFeed(partnerA.apiKey, 2);
    expect(byTwo.ids).toEqual(all.ids);
    expect(new Set(all.ids).size).toBe(all.ids.length);
    expect(byTwo.pages).toBe(Math.ceil(all.ids.length / 2));
    // Packed one after another, in that order.
    expect(all.ids.slice(-5)).toEqual(made);
    const first = await get(feed, "/shipments?limit=1", partnerA.apiKey);
    expect(first.body.hasMore).toBe(true);
    expect(FeedPageSchema.parse(first.body)).toBeTruthy();
    const shipment = first.body.shipments[0];
    expect(Object.keys(shipment).sort()).toEqual(Object.keys(ShipmentSchema.shape).sort());
    expect(shipment).toMatchObject({ county: expect.any(String), status: expect.any(String), parcels: { count: 1 } });
    expect(shipment.events.map((e: { type: string }) => e.type)).toEqual(["created", "assigned"]);

    // After the last page the cursor stays, and a new shipment is the next thing it gives.
    const end = await get(feed, `/shipments?limit=100`, partnerA.apiKey);
    const cursor = end.body.nextCursor as string;
    const empty = await get(feed, `/shipments?cursor=${cursor}`, partnerA.apiKey);
    expect(empty.body).toEqual({ shipments: [], nextCursor: cursor, hasMore: false });
    const newer = await packedShipment(shopA, f.a.p6.id, ownerA);
    const next = await untilFeedShows(
      () => get(feed, `/shipments?cursor=${cursor}`, partnerA.apiKey),
      (page) => page.body.shipments.length > 0,
    );
    expect(next.body.shipments.map((s: { id: string }) => s.id)).toEqual([newer]);

    // Status filter: accept one, it is the only "accepted" one.
    expect(
      (
        await post(
          accept,
          `/shipments/${made[0]}/accept`,
          partnerA.apiKey,
          { waybillNo: "YZ1", carrier: "邮政" },
          { id: made[0]! },
        )
      ).status,
    ).toBe(200);
    const accepted = await untilFeedShows(
      () => wholeFeed(partnerA.apiKey, 50, "&status=accepted"),
      (feedNow) => feedNow.ids.length > 0,
    );
    expect(accepted.ids).toEqual([made[0]]);
    const assigned = await wholeFeed(partnerA.apiKey, 50, "&status=assigned");
    expect(assigned.ids).not.toContain(made[0]);
    expect(assigned.ids).toContain(made[1]);
  });

  it("a page costs the same few SQL statements for 1 shipment or 100 (no query per shipment)", async () => {
    const key = partnerA.apiKey;
    for (let i = 0; i < 3; i++) await packedShipment(shopA, f.a.p6.id, ownerA);
    await get(feed, "/shipments?limit=1", key); // the key's lastUsedAt is written at most once a minute
    const one = await countingSql(() => get(feed, "/shipments?limit=1", key));
    const many = await countingSql(() => get(feed, "/shipments?limit=100", key));
    expect(one.result.body.shipments).toHaveLength(1);
    expect(many.result.body.shipments.length).toBeGreaterThanOrEqual(3);
    expect(many.statements).toBe(one.statements);
    // The key, the rate limiter's count, the page's ids and their details.
    expect(many.statements).toBeLessThanOrEqual(5);
  });

  it("a bad cursor, limit or status is 400 naming the parameter", async () => {
    const cases: [string, string][] = [
      ["?cursor=abc", "cursor"],
      [`?cursor=${Buffer.from("1.x").toString("base64url")}x`, "cursor"],
      [`?cursor=${Buffer.from("x.y").toString("base64url")}`, "cursor"],
      ["?limit=0", "limit"],
      ["?limit=201", "limit"],
      ["?limit=0x10", "limit"],
      ["?limit=1e2", "limit"],
      ["?limit=2.5", "limit"],
      ["?limit=ten", "limit"],
      ["?status=ASSIGNED", "status"],
      ["?status=lost", "status"],
    ];
    for (const [qs, field] of cases) {
      const answer = await get(feed, `/shipments${qs}`, partnerA.apiKey);
      expect(answer.status, qs).toBe(400);
      expect(Object.keys(answer.body.error.fields), qs).toEqual([field]);
    }
    expect((await get(feed, "/shipments?limit=200&status=delivered", partnerA.apiKey)).status).toBe(200);
  });
});

describe("one shipment", () => {
  it("GET gives the whole shipment: sender, recipient, contents, trace codes, events", async () => {
    const id = await packedShipment(shopA, f.a.p6.id, ownerA);
    const answer = await get(detail, `/shipments/${id}`, partnerA.apiKey, { id });
    expect(answer.status).toBe(200);
    expect(ShipmentSchema.parse(answer.body)).toBeTruthy();
    const so = await unscopedDb().shopOrder.findFirstOrThrow({ where: { shipment: { id } } });
    expect(answer.body).toMatchObject({
      id,
      orderNumber: so.number,
      status: "assigned",
      delivery: "home",
      recipient: { name: so.recipientName, phone: so.recipientPhone, address: so.addressLine },
      contents: [{ quantity: 1 }],
      sender: { shop: SHOP_A },
    });
    expect(answer.headers.get("Cache-Control")).toBe("no-store");
  });

  it("accept (and its repeat), events 201 then 200 on a repeat, out-of-order events, 409 for a move the state refuses", async () => {
    const id = await packedShipment(shopA, f.a.p6.id, ownerA);
    const p = { id };
    const key = partnerA.apiKey;
    const ok = await post(accept, `/shipments/${id}/accept`, key, { waybillNo: "YZ9801", carrier: "中国邮政" }, p);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ status: "accepted", waybillNo: "YZ9801", carrier: "中国邮政" });
    expect(
      (await post(accept, `/shipments/${id}/accept`, key, { waybillNo: "YZ9801", carrier: "中国邮政" }, p)).status,
    ).toBe(200);

    const t0 = Date.now() - 60_000;
    const at = (ms: number) => new Date(t0 + ms).toISOString();
    const picked = { eventId: "evt-1", type: "picked_up", at: at(0) };
    const first = await post(events, `/shipments/${id}/events`, key, picked, p);
    expect(first.status).toBe(201);
    expect(first.body.status).toBe("picked_up");
    const again = await post(events, `/shipments/${id}/events`, key, picked, p);
    expect(again.status).toBe(200);
    expect(again.body.events.filter((e: { eventId: string }) => e.eventId === "evt-1")).toHaveLength(1);
    expect((await unscopedDb().shopOrder.findFirstOrThrow({ where: { shipment: { id } } })).status).toBe("HANDED_OVER");

    // Accepting again (another waybill) or rejecting once on the road: the state refuses.
    const late = await post(accept, `/shipments/${id}/accept`, key, { waybillNo: "OTHER", carrier: "x" }, p);
    expect(late.status).toBe(409);
    expect(late.body.error).toMatchObject({ code: "conflict" });
    expect((await post(reject, `/shipments/${id}/reject`, key, { reason: "晚了" }, p)).status).toBe(409);

    await post(events, `/shipments/${id}/events`, key, { eventId: "evt-3", type: "out_for_delivery", at: at(2000) }, p);
    const older = await post(
      events,
      `/shipments/${id}/events`,
      key,
      { eventId: "evt-2", type: "at_hub", at: "2026-01-01T08:00:00+08:00" },
      p,
    );
    expect(older.status).toBe(201);
    expect(older.body.status).toBe("out_for_delivery");
    const delivered = await post(
      events,
      `/shipments/${id}/events`,
      key,
      { eventId: "evt-4", type: "delivered", at: at(3000), codCollectedFen: ok.body.codAmountFen },
      p,
    );
    expect(delivered.status).toBe(201);
    expect(delivered.body).toMatchObject({ status: "delivered", codCollectedFen: ok.body.codAmountFen });
    expect((await unscopedDb().shopOrder.findFirstOrThrow({ where: { shipment: { id } } })).status).toBe("DELIVERED");
    // Delivered is final: a new event is refused, a repeat still answers 200.
    const after = await post(
      events,
      `/shipments/${id}/events`,
      key,
      { eventId: "evt-5", type: "at_hub", at: at(4000) },
      p,
    );
    expect(after.status).toBe(409);
    expect(after.body.error.message).toMatch(/delivered/);
    expect((await post(events, `/shipments/${id}/events`, key, picked, p)).status).toBe(200);
  });

  it("in_locker keeps the locker code; failed keeps its reason", async () => {
    const id = await packedShipment(shopA, f.a.p6.id, ownerA);
    const key = partnerA.apiKey;
    const inLocker = await post(
      events,
      `/shipments/${id}/events`,
      key,
      { eventId: "l1", type: "in_locker", at: new Date(Date.now() - 5000).toISOString(), lockerCode: "834211" },
      { id },
    );
    expect(inLocker.status).toBe(201);
    expect(inLocker.body.status).toBe("in_locker");
    expect(inLocker.body.events.find((e: { type: string }) => e.type === "in_locker")).toMatchObject({
      type: "in_locker",
      lockerCode: "834211",
    });
    const failed = await post(
      events,
      `/shipments/${id}/events`,
      key,
      { eventId: "f1", type: "failed", at: new Date().toISOString(), note: "收件人电话无人接听" },
      { id },
    );
    expect(failed.body).toMatchObject({ status: "failed", reason: "收件人电话无人接听" });
  });

  it("a bad body is 400 naming the fields and changes nothing; wrong type 415; too large 413", async () => {
    const id = await packedShipment(shopA, f.a.p6.id, ownerA);
    const key = partnerA.apiKey;
    const now = new Date().toISOString();
    const cases: [unknown, string[]][] = [
      [{ eventId: "b1", type: "in_locker", at: now }, ["lockerCode"]],
      [{ eventId: "b2", type: "failed", at: now }, ["note"]],
      [{ eventId: "b3", type: "picked_up", at: now, codCollectedFen: 100 }, ["codCollectedFen"]],
      [{ eventId: "b4", type: "picked_up", at: now, lockerCode: "1" }, ["lockerCode"]],
      [{ eventId: "b5", type: "teleported", at: now }, ["type"]],
      [{ eventId: "b6", type: "picked_up", at: "yesterday" }, ["at"]],
      [{ eventId: "b7", type: "delivered", at: now, codCollectedFen: -1 }, ["codCollectedFen"]],
      [{ eventId: "b8", type: "delivered", at: now, codCollectedFen: 1.5 }, ["codCollectedFen"]],
      [{ type: "picked_up", at: now }, ["eventId"]],
      [{ eventId: "b9", type: "picked_up", at: now, extra: 1 }, ["(body)"]],
      [{ eventId: "b10", type: "picked_up", at: new Date(Date.now() + 3_600_000).toISOString() }, ["at"]],
    ];
    for (const [body, fields] of cases) {
      const answer = await post(events, `/shipments/${id}/events`, key, body, { id });
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(Object.keys(answer.body.error.fields), JSON.stringify(body)).toEqual(fields);
    }
    const noWaybill = await post(
      accept,
      `/shipments/${id}/accept`,
      key,
      { carrier: "邮政", waybillNo: "有 空格" },
      { id },
    );
    expect(noWaybill.status).toBe(400);
    expect(Object.keys(noWaybill.body.error.fields)).toEqual(["waybillNo"]);
    const noReason = await post(reject, `/shipments/${id}/reject`, key, { reason: "   " }, { id });
    expect(noReason.status).toBe(400);
    expect(Object.keys(noReason.body.error.fields)).toEqual(["reason"]);

    const notJson = await post(events, `/shipments/${id}/events`, key, "{not json", { id });
    expect([notJson.status, notJson.body.error.code]).toEqual([400, "invalid_json"]);
    const form = await call(events, `/shipments/${id}/events`, {
      method: "POST",
      key,
      params: { id },
      body: "eventId=x",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    });
    expect(form.status).toBe(415);
    const huge = { eventId: "h", type: "picked_up", at: now, note: "x".repeat(20_000) };
    expect((await post(events, `/shipments/${id}/events`, key, huge, { id })).status).toBe(413);

    const row = await unscopedDb().shipment.findFirstOrThrow({ where: { id } });
    expect(row.status).toBe("ASSIGNED");
    expect(await unscopedDb().shipmentEvent.count({ where: { shipmentId: id } })).toBe(2);
  });

  it("reject sends it back to the coordinator: gone from the partner's reach and feed", async () => {
    const id = await packedShipment(shopA, f.a.p6.id, ownerA);
    const answer = await post(reject, `/shipments/${id}/reject`, partnerA.apiKey, { reason: "冷链车满" }, { id });
    expect(answer).toMatchObject({ status: 200, body: { id, status: "rejected" } });
    expect(await unscopedDb().shipment.findFirstOrThrow({ where: { id } })).toMatchObject({
      status: "UNASSIGNED",
      partnerId: null,
      reason: "冷链车满",
    });
    expect((await get(detail, `/shipments/${id}`, partnerA.apiKey, { id })).status).toBe(404);
    expect((await wholeFeed(partnerA.apiKey, 200)).ids).not.toContain(id);
  });

  it("other methods are 405 with Allow; unknown paths are a JSON 404", async () => {
    const id = "x";
    const cases: [RouteModule, string, string, string][] = [
      [feed, "/shipments", "POST", "GET"],
      [detail, `/shipments/${id}`, "DELETE", "GET"],
      [accept, `/shipments/${id}/accept`, "GET", "POST"],
      [reject, `/shipments/${id}/reject`, "PUT", "POST"],
      [events, `/shipments/${id}/events`, "GET", "POST"],
      [openapi, "/openapi.json", "POST", "GET"],
    ];
    for (const [mod, path, method, allow] of cases) {
      const answer = await call(mod, path, { method, key: partnerA.apiKey, params: { id } });
      expect(answer.status, `${method} ${path}`).toBe(405);
      expect(answer.headers.get("Allow")).toBe(allow);
      expect(answer.body.error.code).toBe("method_not_allowed");
    }
    const unknown = await call(anyOther, "/parcels", { key: partnerA.apiKey, params: { "*": "parcels" } });
    expect([unknown.status, unknown.body.error.code]).toEqual([404, "not_found"]);
  });
});

describe("isolation", () => {
  it("a key of county A gets 404 for every shipment it was not given, on every endpoint, and never sees one in its feed", async () => {
    // County B's shipments in several states, and one of another partner in county A itself.
    const bIds: string[] = [];
    for (let i = 0; i < 3; i++) bIds.push(await packedShipment(shopB, f.b.p6.id, ownerB));
    await post(
      accept,
      `/shipments/${bIds[1]}/accept`,
      partnerB.apiKey,
      { waybillNo: "B2", carrier: "邮政" },
      { id: bIds[1]! },
    );
    await post(
      events,
      `/shipments/${bIds[2]}/events`,
      partnerB.apiKey,
      { eventId: "b", type: "picked_up", at: new Date().toISOString() },
      { id: bIds[2]! },
    );
    const otherA = await createPartner({
      countyId: countyA,
      nameZh: "甲县快递",
      kind: "EXPRESS",
      services: ["HOME"],
      areas: ["没有这个镇"],
    });
    const mine = await packedShipment(shopA, f.a.p6.id, ownerA);
    const given = await packedShipment(shopA, f.a.p6.id, ownerA);
    await unscopedDb().$transaction((tx) => assignShipment(tx, { id: given, shopId: shopA }, otherA.id));
    const unassigned = await packedShipment(shopA, f.a.p6.id, ownerA);
    await post(reject, `/shipments/${unassigned}/reject`, partnerA.apiKey, { reason: "不送" }, { id: unassigned });

    // The walker: every shipment in the database that is not partner A's.
    const foreign = await unscopedDb().shipment.findMany({
      where: { OR: [{ partnerId: { not: partnerA.id } }, { partnerId: null }] },
      select: { id: true, status: true, updatedAt: true },
    });
    expect(foreign.length).toBeGreaterThanOrEqual(5);
    expect(foreign.map((s) => s.id)).toEqual(expect.arrayContaining([...bIds, given, unassigned]));
    const key = partnerA.apiKey;
    const now = new Date().toISOString();
    for (const s of foreign) {
      const p = { id: s.id };
      const answers = [
        await get(detail, `/shipments/${s.id}`, key, p),
        await post(accept, `/shipments/${s.id}/accept`, key, { waybillNo: "STEAL", carrier: "x" }, p),
        await post(reject, `/shipments/${s.id}/reject`, key, { reason: "x" }, p),
        await post(events, `/shipments/${s.id}/events`, key, { eventId: "steal", type: "delivered", at: now }, p),
        await post(events, `/shipments/${s.id}/events`, key, { eventId: "steal2", type: "returned", at: now }, p),
      ];
      for (const a of answers) {
        expect(a.status, s.id).toBe(404);
        expect(a.body).toEqual({ error: { code: "not_found", message: "No such shipment for this partner." } });
      }
    }
    // Nothing changed on any of them.
    const after = await unscopedDb().shipment.findMany({
      where: { id: { in: foreign.map((s) => s.id) } },
      select: { id: true, status: true, updatedAt: true },
    });
    expect(after.sort((x, y) => x.id.localeCompare(y.id))).toEqual(foreign.sort((x, y) => x.id.localeCompare(y.id)));
    expect(await unscopedDb().shipmentEvent.count({ where: { eventId: { startsWith: "steal" } } })).toBe(0);

    const seen = (
      await untilFeedShows(
        () => wholeFeed(key, 7),
        (feedNow) => feedNow.ids.includes(mine),
      )
    ).ids;
    expect(seen).toContain(mine);
    for (const s of foreign) expect(seen).not.toContain(s.id);
    // And the other way round: B's key sees none of A's.
    const seenByB = (
      await untilFeedShows(
        () => wholeFeed(partnerB.apiKey, 200),
        (feedNow) => bIds.every((id) => feedNow.ids.includes(id)),
      )
    ).ids;
    expect(seenByB.sort()).toEqual([...bIds].sort());
    expect((await get(detail, `/shipments/${mine}`, partnerB.apiKey, { id: mine })).status).toBe(404);
  });
});

describe("rate limit", () => {
  it(`after ${PARTNER_API_LIMIT.points} requests a minute a key gets 429 with Retry-After; another key does not`, async () => {
    const { key } = await createApiKey(partnerA.id, "busy");
    for (let i = 0; i < PARTNER_API_LIMIT.points; i++) {
      const answer = await call(detail, "/shipments/none", { key, params: { id: "none" } });
      expect(answer.status).toBe(404);
    }
    const limited = await call(detail, "/shipments/none", { key, params: { id: "none" } });
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe("rate_limited");
    expect(Number(limited.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect((await get(feed, "/shipments?limit=1", partnerA.apiKey)).status).toBe(200);
  });
});

describe("the OpenAPI document", () => {
  it("is OpenAPI 3.1 with every endpoint, the bearer scheme and the webhooks, from the same schemas", async () => {
    const answer = await call(openapi, "/openapi.json");
    expect(answer.status).toBe(200);
    const doc = answer.body;
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.servers[0].url).toBe("http://localhost/api/logistics/v1");
    expect(Object.keys(doc.paths).sort()).toEqual(
      [
        "/manifests",
        "/manifests/{id}",
        "/manifests/{id}/stops/{stopId}/collected",
        "/shipments",
        "/shipments/{id}",
        "/shipments/{id}/accept",
        "/shipments/{id}/events",
        "/shipments/{id}/reject",
      ].sort(),
    );
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: "http", scheme: "bearer" });
    expect(Object.keys(doc.webhooks).sort()).toEqual(["shipment.cancelled", "shipment.created", "shipment.updated"]);
    const hook = doc.webhooks["shipment.updated"].post;
    expect(hook.parameters.map((p: { name: string }) => p.name)).toEqual([
      "webhook-id",
      "webhook-timestamp",
      "webhook-signature",
    ]);
    const eventSchema = doc.components.schemas.EventRequest;
    expect(eventSchema.required).toEqual(["eventId", "type", "at"]);
    expect(eventSchema.properties.type.enum).toContain("in_locker");
    expect(doc.paths["/shipments"].get.parameters.map((p: { name: string }) => p.name)).toEqual([
      "status",
      "cursor",
      "limit",
    ]);
    expect(doc.paths["/shipments/{id}/events"].post.responses["429"].headers["Retry-After"]).toBeTruthy();
  });
});

describe("the developers' page", () => {
  it("explains the API in zh-CN (default) and en, with curl examples from PUBLIC_ORIGIN, not the request's Host", async () => {
    const page = async (headers: Record<string, string>) => {
      const request = new Request("http://evil.example/developers/logistics", { headers });
      return guide.loader({ request, params: {}, context: {} });
    };
    const zh = await page({});
    expect(zh.text.title).toBe("物流伙伴 API");
    expect(zh.api).toBe("http://localhost/api/logistics/v1");
    const en = await page({ "Accept-Language": "en-US,en;q=0.9", "X-Forwarded-Host": "evil.example" });
    expect(en.text.title).toBe("Logistics partner API");
    expect(en.text.auth.limit).toContain(String(PARTNER_API_LIMIT.points));
    const code = Object.values(en.examples).join("\n");
    expect(code).not.toContain("evil.example");
    for (const path of ["/shipments?limit=100", "/shipments/$SHIPMENT_ID", "/accept", "/reject", "/events"])
      expect(code).toContain(
        `http://localhost/api/logistics/v1${path.startsWith("/shipments") ? "" : "/shipments/$SHIPMENT_ID"}${path}`,
      );
    expect(en.examples.verify).toContain('from "standardwebhooks"');
    expect(en.examples.verify).toContain("webhook.verify(body");
    expect(en.errors.map((e) => e.status)).toEqual(["400", "401", "404", "405", "409", "413", "415", "429"]);
    expect(en.openapiUrl).toBe("http://localhost/api/logistics/v1/openapi.json");
  });
});
