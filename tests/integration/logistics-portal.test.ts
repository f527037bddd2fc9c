import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { unscopedDb } from "~/db/index.server";
import { manifestListSchema, manifestSchema, collectStopResultSchema } from "~/modules/logistics/manifest-schemas";
import { csvText } from "~/modules/logistics/manifest-csv.server";
import { collectStop, getManifest, listManifests } from "~/modules/logistics/manifests.cross-shop.server";
import { packShopOrder } from "~/modules/logistics/packing.server";
import { createApiKey, revokeApiKey } from "~/modules/logistics/partner-keys.server";
import { createPartner } from "~/modules/logistics/partners.server";
import { acceptPartnerInvitation, inviteToPartner } from "~/modules/logistics/partner-staff.server";
import { runDateText, shanghaiDate } from "~/modules/logistics/run-date";
import { actOnShopOrder } from "~/modules/orders/shop-orders.server";
import { refundShopOrder } from "~/modules/payments/refunds.server";
import { syncTenants } from "~/modules/tenants/sync.server";
import * as runRoute from "~/routes/logistics.runs.$id";
import * as stopRoute from "~/routes/logistics.runs.$id_.stops.$stopId";
import * as csvRoute from "~/routes/logistics.runs.$id[.csv]";
import * as runsRoute from "~/routes/logistics._index";
import * as inviteRoute from "~/routes/logistics_.invite.$token";
import * as staffRoute from "~/routes/platform_.logistics.$partnerId.staff";
import * as apiList from "~/routes/api.logistics.v1.manifests";
import * as apiOne from "~/routes/api.logistics.v1.manifests.$id";
import * as apiCollect from "~/routes/api.logistics.v1.manifests.$id.stops.$stopId.collected";
import { addMember, createUser, getAs, postAs, run, shopIdOf, signedIn, type Session } from "../support/auth";
import { samplePack, writePacks } from "../support/packs";
import { placeTestOrder } from "./orders-fixtures";

// The partner portal and pickup runs (issue #10): a run groups every cooperative's parcels by
// township → village → stop with cold chain apart and the sums right; marking a stop collected
// (API or portal) records picked_up once however often it is pressed; a partner's staff and
// keys reach only their own partner's runs, stops and shipments (404 for every other one, on
// every endpoint); the CSV opens in Excel and never runs a formula.

const BASE = "http://localhost";
const today = runDateText(shanghaiDate(new Date()));

type Fn = Parameters<typeof run>[0];
const ids: Record<string, string> = {};
let staffX: Session;
let staffY: Session;
let outsider: Session;
let staffXUser: string;
let keyX: string;
let keyY: string;
let revokedKeyX: string;
let manifestX = "";
let manifestY = "";
let stopX1 = ""; // 桃园村 (pa1): two shipments, one cold chain
let stopX2 = ""; // 火炬村 (pa2): one shipment (and one cancelled)
let stopY = "";

async function paidPackedOrder(
  shopId: string,
  variantId: string,
  owner: string,
  parcels: { parcelCount: number; weightGrams: number; coldChain: boolean },
) {
  const placed = await placeTestOrder({ lines: [{ variantId, quantity: 1 }] });
  const so = placed.shopOrders.get(shopId)!;
  expect(await actOnShopOrder({ shopId, shopOrderId: so.id, action: "confirmPayment", userId: owner })).toEqual({
    ok: true,
  });
  expect((await packShopOrder({ shopId, shopOrderId: so.id, userId: owner, parcels })).ok).toBe(true);
  const shipment = await unscopedDb().shipment.findFirstOrThrow({ where: { shopOrderId: so.id } });
  return { so, shipment };
}

const api = (key: string | null, url: string, method = "GET") =>
  new Request(`${BASE}${url}`, { method, headers: key ? { Authorization: `Bearer ${key}` } : {} });

async function snapshot() {
  const prisma = unscopedDb();
  return JSON.stringify(
    await Promise.all([
      prisma.shipment.findMany({ orderBy: { id: "asc" } }),
      prisma.shipmentEvent.findMany({ orderBy: { id: "asc" } }),
      prisma.manifestStop.findMany({ orderBy: { id: "asc" } }),
      prisma.shopOrder.findMany({ orderBy: { id: "asc" }, select: { id: true, status: true } }),
    ]),
    (_k, v) => (typeof v === "bigint" ? v.toString() : v),
  );
}

beforeAll(async () => {
  const packs = [samplePack("pt-a1"), samplePack("pt-a2"), samplePack("pt-a3"), samplePack("pt-b", "320507")];
  const results = await syncTenants(writePacks(packs), { now: new Date("2026-11-27T00:00:00Z") });
  expect(results.every((r) => r.ok)).toBe(true);
  const places: Record<string, [string, string]> = {
    "pt-a1": ["阳山镇", "桃园村"],
    "pt-a2": ["阳山镇", "火炬村"],
    "pt-a3": ["洛社镇", "张镇村"],
    "pt-b": ["东山镇", "陆巷村"],
  };
  for (const [slug, [townZh, villageZh]] of Object.entries(places)) {
    ids[slug] = await shopIdOf(slug);
    await unscopedDb().shop.update({ where: { slug }, data: { townZh, villageZh } });
  }
  // A cooperative's contact typed as a formula: the CSV must keep it as text.
  await unscopedDb().shop.update({ where: { slug: "pt-a2" }, data: { contactName: '=HYPERLINK("http://x")' } });

  const countyA = (await unscopedDb().shop.findUniqueOrThrow({ where: { slug: "pt-a1" } })).countyId;
  const countyB = (await unscopedDb().shop.findUniqueOrThrow({ where: { slug: "pt-b" } })).countyId;
  ids.countyA = countyA;
  ids.countyB = countyB;
  const all = ["HOME", "PICKUP_POINT", "LOCKER", "COLD_CHAIN"] as const;
  const x = await createPartner({
    countyId: countyA,
    nameZh: "惠山共配中心",
    kind: "COUNTY_CENTRE",
    services: [...all],
    areas: [],
  });
  const y = await createPartner({ countyId: countyB, nameZh: "吴中邮政", kind: "POST", services: [...all], areas: [] });
  ids.partnerX = x.id;
  ids.partnerY = y.id;
  keyX = x.apiKey;
  keyY = y.apiKey;
  const spare = await createApiKey(x.id, "old");
  await revokeApiKey(x.id, spare.id);
  revokedKeyX = spare.key;

  const owner = (await createUser()).id;
  for (const slug of Object.keys(places)) await addMember(ids[slug]!, owner, "OWNER");
  const variant = async (slug: string) =>
    (await unscopedDb().variant.findFirstOrThrow({ where: { shopId: ids[slug]!, sku: `${slug}-P6` } })).id;

  const s1 = await paidPackedOrder(ids["pt-a1"]!, await variant("pt-a1"), owner, {
    parcelCount: 2,
    weightGrams: 3500,
    coldChain: false,
  });
  const s2 = await paidPackedOrder(ids["pt-a1"]!, await variant("pt-a1"), owner, {
    parcelCount: 1,
    weightGrams: 2000,
    coldChain: true,
  });
  const s3 = await paidPackedOrder(ids["pt-a2"]!, await variant("pt-a2"), owner, {
    parcelCount: 1,
    weightGrams: 1200,
    coldChain: false,
  });
  const s4 = await paidPackedOrder(ids["pt-a2"]!, await variant("pt-a2"), owner, {
    parcelCount: 5,
    weightGrams: 9000,
    coldChain: false,
  });
  // Cancelled before pickup (a whole refund): off the run.
  expect(
    await refundShopOrder({
      shopId: ids["pt-a2"]!,
      shopOrderId: s4.so.id,
      amountFen: s4.so.totalFen,
      reason: null,
      lines: [],
      userId: owner,
    }),
  ).toMatchObject({ ok: true });
  await paidPackedOrder(ids["pt-a3"]!, await variant("pt-a3"), owner, {
    parcelCount: 1,
    weightGrams: 800,
    coldChain: false,
  });
  const sy = await paidPackedOrder(ids["pt-b"]!, await variant("pt-b"), owner, {
    parcelCount: 1,
    weightGrams: 1000,
    coldChain: false,
  });
  Object.assign(ids, {
    s1: s1.shipment.id,
    s2: s2.shipment.id,
    s3: s3.shipment.id,
    s4: s4.shipment.id,
    sy: sy.shipment.id,
  });
  Object.assign(ids, { so1: s1.so.id, so2: s2.so.id, so3: s3.so.id });
  manifestX = s1.shipment.manifestId!;
  manifestY = sy.shipment.manifestId!;
  expect(s3.shipment.manifestId).toBe(manifestX);
  const stops = await unscopedDb().manifestStop.findMany({ where: { manifestId: { in: [manifestX, manifestY] } } });
  stopX1 = stops.find((s) => s.stopShopId === ids["pt-a1"])!.id;
  stopX2 = stops.find((s) => s.stopShopId === ids["pt-a2"])!.id;
  stopY = stops.find((s) => s.stopShopId === ids["pt-b"])!.id;

  const ux = await createUser({ name: "揽收员甲" });
  const uy = await createUser({ name: "揽收员乙" });
  staffXUser = ux.id;
  await unscopedDb().partnerMember.create({ data: { partnerId: x.id, userId: ux.id } });
  await unscopedDb().partnerMember.create({ data: { partnerId: y.id, userId: uy.id } });
  staffX = await signedIn(ux.id);
  staffY = await signedIn(uy.id);
  outsider = await signedIn((await createUser()).id);
});

describe("a pickup run", () => {
  it("groups parcels by township → village → stop, cold chain apart, with the sums at every level; cancelled ones left out", async () => {
    const m = (await getManifest({ partnerId: ids.partnerX!, id: manifestX }))!;
    expect(manifestSchema.parse(m)).toEqual(m);
    expect(m).toMatchObject({ route: "阳山镇", runDate: today, county: "320206", stops: 2, collectedStops: 0 });
    expect(m.townships.map((t) => t.name)).toEqual(["阳山镇"]);
    const villages = m.townships[0]!.villages;
    expect(villages.map((v) => v.name).sort()).toEqual(["桃园村", "火炬村"].sort());
    const taoyuan = villages.find((v) => v.name === "桃园村")!;
    expect(taoyuan.stops).toHaveLength(1);
    const stop = taoyuan.stops[0]!;
    expect(stop.cooperative).toMatchObject({ name: "pt-a1 合作社", contactPhone: "13800000000" });
    expect(stop.cooperative.address).toContain("阳山镇桃园村");
    expect(stop.shipments.map((s) => s.id)).toEqual([ids.s1]);
    expect(stop.coldChain.map((s) => s.id)).toEqual([ids.s2]);
    expect(stop.totals).toEqual({
      all: { shipments: 2, parcels: 3, weightGrams: 5500 },
      ambient: { shipments: 1, parcels: 2, weightGrams: 3500 },
      cold: { shipments: 1, parcels: 1, weightGrams: 2000 },
    });
    const huoju = villages.find((v) => v.name === "火炬村")!;
    // The refunded order's five parcels are not on the run.
    expect(huoju.stops[0]!.shipments.map((s) => s.id)).toEqual([ids.s3]);
    expect(huoju.totals.all).toEqual({ shipments: 1, parcels: 1, weightGrams: 1200 });
    expect(m.townships[0]!.totals).toEqual(m.totals);
    expect(m.totals).toEqual({
      all: { shipments: 3, parcels: 4, weightGrams: 6700 },
      ambient: { shipments: 2, parcels: 3, weightGrams: 4700 },
      cold: { shipments: 1, parcels: 1, weightGrams: 2000 },
    });
  });

  it("lists the partner's runs of the day by route, and only its own", async () => {
    const runs = await listManifests({ partnerId: ids.partnerX!, date: today });
    expect(runs.map((r) => [r.route, r.totals.all.parcels, r.stops])).toEqual([
      ["洛社镇", 1, 1],
      ["阳山镇", 4, 2],
    ]);
    expect((await listManifests({ partnerId: ids.partnerY!, date: today })).map((r) => r.id)).toEqual([manifestY]);
    expect(await listManifests({ partnerId: ids.partnerX!, date: "2020-01-01" })).toEqual([]);
    expect(await getManifest({ partnerId: ids.partnerY!, id: manifestX })).toBeNull();
  });
});

describe("the manifest API", () => {
  it("answers the partner's runs and one run in the documented shapes", async () => {
    const list = await apiList.loader({
      request: api(keyX, `/api/logistics/v1/manifests?date=${today}`),
      params: {},
      context: {},
    });
    expect(list.status).toBe(200);
    const body = manifestListSchema.parse(await list.json());
    expect(body.manifests.map((m) => m.route)).toEqual(["洛社镇", "阳山镇"]);
    const one = await apiOne.loader({
      request: api(keyX, `/api/logistics/v1/manifests/${manifestX}`),
      params: { id: manifestX },
      context: {},
    });
    expect(one.status).toBe(200);
    expect(manifestSchema.parse(await one.json()).totals.all.parcels).toBe(4);
  });

  it("400 names a bad date; 401 without a key and with a revoked one", async () => {
    const bad = await apiList.loader({
      request: api(keyX, "/api/logistics/v1/manifests?date=2026-02-30"),
      params: {},
      context: {},
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { fields: Record<string, string> } }).error.fields).toHaveProperty("date");
    for (const key of [null, revokedKeyX, "lk_nonsense"]) {
      for (const [fn, url, params, method] of [
        [apiList.loader, `/api/logistics/v1/manifests?date=${today}`, {}, "GET"],
        [apiOne.loader, `/api/logistics/v1/manifests/${manifestX}`, { id: manifestX }, "GET"],
        [
          apiCollect.action,
          `/api/logistics/v1/manifests/${manifestX}/stops/${stopX1}/collected`,
          { id: manifestX, stopId: stopX1 },
          "POST",
        ],
      ] as const) {
        const r = await run(fn as Fn, api(key, url, method), params);
        expect(r.status, `${key} ${url}`).toBe(401);
      }
    }
  });

  it("collecting a stop records picked_up for its shipments once, however often it is sent", async () => {
    const url = `/api/logistics/v1/manifests/${manifestX}/stops/${stopX1}/collected`;
    const first = await apiCollect.action({
      request: api(keyX, url, "POST"),
      params: { id: manifestX, stopId: stopX1 },
      context: {},
    });
    expect(first.status).toBe(200);
    const r1 = collectStopResultSchema.parse(await first.json());
    expect(r1.shipments.map((s) => [s.id, s.outcome, s.status]).sort()).toEqual(
      [
        [ids.s1, "picked_up", "picked_up"],
        [ids.s2, "picked_up", "picked_up"],
      ].sort(),
    );
    const events = async () =>
      unscopedDb().shipmentEvent.count({ where: { shipmentId: { in: [ids.s1!, ids.s2!] }, type: "picked_up" } });
    expect(await events()).toBe(2);
    const again = await apiCollect.action({
      request: api(keyX, url, "POST"),
      params: { id: manifestX, stopId: stopX1 },
      context: {},
    });
    const r2 = collectStopResultSchema.parse(await again.json());
    expect(r2.collectedAt).toBe(r1.collectedAt);
    expect(r2.shipments.every((s) => s.outcome === "duplicate")).toBe(true);
    expect(await events()).toBe(2);
    for (const so of [ids.so1!, ids.so2!])
      expect((await unscopedDb().shopOrder.findFirstOrThrow({ where: { id: so } })).status).toBe("HANDED_OVER");
    const m = (await getManifest({ partnerId: ids.partnerX!, id: manifestX }))!;
    expect(m.collectedStops).toBe(1);
    // Through the module as the portal calls it: the same stop, the same events.
    const viaPortal = await collectStop({
      partnerId: ids.partnerX!,
      manifestId: manifestX,
      stopId: stopX1,
      source: "PORTAL",
      actorUserId: staffXUser,
    });
    expect(viaPortal.ok && viaPortal.result.shipments.every((s) => s.outcome === "duplicate")).toBe(true);
  });

  it("another partner's key gets 404 for every run and stop of X, and changes nothing", async () => {
    const before = await snapshot();
    const one = await apiOne.loader({
      request: api(keyY, `/api/logistics/v1/manifests/${manifestX}`),
      params: { id: manifestX },
      context: {},
    });
    expect(one.status).toBe(404);
    for (const stop of [stopX1, stopX2]) {
      const r = await apiCollect.action({
        request: api(keyY, `/api/logistics/v1/manifests/${manifestX}/stops/${stop}/collected`, "POST"),
        params: { id: manifestX, stopId: stop },
        context: {},
      });
      expect(r.status).toBe(404);
    }
    // Its own run's id with X's stop, and X's run with its own stop: not found either.
    for (const [id, stopId] of [
      [manifestY, stopX2],
      [manifestX, stopY],
    ]) {
      const r = await apiCollect.action({
        request: api(keyY, `/api/logistics/v1/manifests/${id}/stops/${stopId}/collected`, "POST"),
        params: { id: id!, stopId: stopId! },
        context: {},
      });
      expect(r.status).toBe(404);
    }
    const list = await apiList.loader({
      request: api(keyY, `/api/logistics/v1/manifests?date=${today}`),
      params: {},
      context: {},
    });
    expect(manifestListSchema.parse(await list.json()).manifests.map((m) => m.id)).toEqual([manifestY]);
    expect(await snapshot()).toBe(before);
  });
});

describe("the portal", () => {
  const runUrl = () => `${BASE}/logistics/runs/${manifestX}`;
  const stopUrl = (stop = stopX2) => `${BASE}/logistics/runs/${manifestX}/stops/${stop}`;

  it("shows a member the day's runs and a run; signed out goes to sign in; a non-member gets 403", async () => {
    const runs = await run(runsRoute.loader as Fn, getAs(staffX, `${BASE}/logistics`));
    expect(runs.status).toBe(200);
    const groups = (runs.data as unknown as { groups: { runs: { id: string }[] }[] }).groups;
    expect(groups[0]!.runs.map((r) => r.id)).toContain(manifestX);
    const page = await run(runRoute.loader as Fn, getAs(staffX, runUrl()), { id: manifestX });
    expect(page.status).toBe(200);
    const signedOut = await run(runsRoute.loader as Fn, getAs(null, `${BASE}/logistics`));
    expect(signedOut.status).toBe(302);
    expect(signedOut.location).toMatch(/^\/login\?redirectTo=/);
    expect((await run(runsRoute.loader as Fn, getAs(outsider, `${BASE}/logistics`))).status).toBe(403);
    expect((await run(runRoute.loader as Fn, getAs(outsider, runUrl()), { id: manifestX })).status).toBe(403);
    expect((await run(runsRoute.loader as Fn, getAs(staffX, `${BASE}/logistics?date=2026-13-01`))).status).toBe(400);
  });

  it("walks every portal route: partner Y's staff gets 404 for X's runs, stops and shipments, and nothing changes", async () => {
    const routeFiles = fs
      .readdirSync(path.resolve("app/routes"))
      .filter((f) => /^logistics\.runs/.test(f))
      .sort();
    expect(routeFiles).toEqual([
      "logistics.runs.$id.tsx",
      "logistics.runs.$id[.csv].ts",
      "logistics.runs.$id_.stops.$stopId.tsx",
    ]);
    const modules: Record<string, { loader?: Fn; action?: Fn }> = {
      "logistics.runs.$id.tsx": runRoute as never,
      "logistics.runs.$id[.csv].ts": csvRoute as never,
      "logistics.runs.$id_.stops.$stopId.tsx": stopRoute as never,
    };
    const before = await snapshot();
    for (const file of routeFiles) {
      const mod = modules[file]!;
      for (const stopId of [stopX1, stopX2]) {
        const params = { id: manifestX, stopId };
        const url = `${BASE}/logistics/runs/${manifestX}/stops/${stopId}`;
        if (mod.loader) expect((await run(mod.loader, getAs(staffY, url), params)).status, file).toBe(404);
        if (mod.action) {
          const forms: Record<string, string>[] = [
            { intent: "collect", stopId },
            { intent: "event", shipmentId: ids.s3!, nonce: "abcdefgh1234", type: "delivered" },
            { intent: "event", shipmentId: ids.s1!, nonce: "abcdefgh1234", type: "returned" },
          ];
          for (const fields of forms)
            expect((await run(mod.action, postAs(staffY, url, fields), params)).status, file).toBe(404);
        }
      }
    }
    // Y's own run, with X's stop or X's shipment in it: not found.
    const yStop = `${BASE}/logistics/runs/${manifestY}/stops/${stopX2}`;
    expect((await run(stopRoute.loader as Fn, getAs(staffY, yStop), { id: manifestY, stopId: stopX2 })).status).toBe(
      404,
    );
    const yOwn = `${BASE}/logistics/runs/${manifestY}/stops/${stopY}`;
    const r = await run(
      stopRoute.action as Fn,
      postAs(staffY, yOwn, { intent: "event", shipmentId: ids.s3!, nonce: "abcdefgh1234", type: "delivered" }),
      { id: manifestY, stopId: stopY },
    );
    expect(r.status).toBe(404);
    // And X's staff for Y's run.
    expect(
      (await run(runRoute.loader as Fn, getAs(staffX, `${BASE}/logistics/runs/${manifestY}`), { id: manifestY }))
        .status,
    ).toBe(404);
    expect(await snapshot()).toBe(before);
  });

  it("a stop collected by the portal; a parcel delivered by a form sent twice is one event, and the shop order is DELIVERED", async () => {
    const params = { id: manifestX, stopId: stopX2 };
    const collected = await run(stopRoute.action as Fn, postAs(staffX, stopUrl(), { intent: "collect" }), params);
    expect(collected.status).toBe(302);
    const stop = await unscopedDb().manifestStop.findUniqueOrThrow({ where: { id: stopX2 } });
    expect(stop.collectedAt).not.toBeNull();
    expect(stop.collectedById).toBe(staffXUser);
    const picked = await unscopedDb().shipmentEvent.findMany({ where: { shipmentId: ids.s3!, type: "picked_up" } });
    expect(picked.map((e) => [e.source, e.actorUserId])).toEqual([["PORTAL", staffXUser]]);

    const page = await run(stopRoute.loader as Fn, getAs(staffX, stopUrl()), params);
    const nonce = (page.data as unknown as { shipments: { id: string; nonce: string }[] }).shipments.find(
      (s) => s.id === ids.s3,
    )!.nonce;
    const form = { intent: "event", shipmentId: ids.s3!, nonce, type: "delivered" };
    for (let i = 0; i < 2; i++) {
      const r = await run(stopRoute.action as Fn, postAs(staffX, stopUrl(), form), params);
      expect(r.status).toBe(302);
    }
    expect(await unscopedDb().shipmentEvent.count({ where: { shipmentId: ids.s3!, type: "delivered" } })).toBe(1);
    expect((await unscopedDb().shipment.findFirstOrThrow({ where: { id: ids.s3! } })).status).toBe("DELIVERED");
    expect((await unscopedDb().shopOrder.findFirstOrThrow({ where: { id: ids.so3! } })).status).toBe("DELIVERED");
  });

  it("failed needs a reason and in_locker a code: a clear 400 that changes nothing; with them, recorded", async () => {
    const params = { id: manifestX, stopId: stopX1 };
    const before = await snapshot();
    const noReason = await run(
      stopRoute.action as Fn,
      postAs(staffX, stopUrl(stopX1), {
        intent: "event",
        shipmentId: ids.s1!,
        nonce: "n0reason0001",
        type: "failed",
        reason: "  ",
      }),
      params,
    );
    expect(noReason.status).toBe(400);
    expect((noReason.data as unknown as { fields: Record<string, string> }).fields.reason).toBe(
      "portal.shipment.errors.reasonRequired",
    );
    const noCode = await run(
      stopRoute.action as Fn,
      postAs(staffX, stopUrl(stopX1), {
        intent: "event",
        shipmentId: ids.s2!,
        nonce: "n0code000001",
        type: "in_locker",
      }),
      params,
    );
    expect(noCode.status).toBe(400);
    expect((noCode.data as unknown as { fields: Record<string, string> }).fields.lockerCode).toBe(
      "portal.shipment.errors.lockerCodeRequired",
    );
    expect(await snapshot()).toBe(before);

    const failed = await run(
      stopRoute.action as Fn,
      postAs(staffX, stopUrl(stopX1), {
        intent: "event",
        shipmentId: ids.s1!,
        nonce: "failed000001",
        type: "failed",
        reason: "无人在家",
      }),
      params,
    );
    expect(failed.status).toBe(302);
    expect(await unscopedDb().shipment.findFirstOrThrow({ where: { id: ids.s1! } })).toMatchObject({
      status: "FAILED",
      reason: "无人在家",
    });
    const locker = await run(
      stopRoute.action as Fn,
      postAs(staffX, stopUrl(stopX1), {
        intent: "event",
        shipmentId: ids.s2!,
        nonce: "locker000001",
        type: "in_locker",
        lockerCode: "A1234",
      }),
      params,
    );
    expect(locker.status).toBe(302);
    expect(await unscopedDb().shipment.findFirstOrThrow({ where: { id: ids.s2! } })).toMatchObject({
      status: "IN_LOCKER",
      lockerCode: "A1234",
    });
  });

  it("the run as CSV: UTF-8 with a BOM, one row per shipment, formulas kept as text", async () => {
    const r = await csvRoute.loader({
      request: getAs(staffX, `${runUrl()}.csv`),
      params: { id: manifestX },
      context: {},
    });
    expect(r.status).toBe(200);
    expect(r.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    const bytes = new Uint8Array(await r.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    const lines = text.slice(1).trim().split("\r\n");
    expect(lines).toHaveLength(1 + 3 + 1); // header, three shipments, the total
    expect(text).toContain(`'=HYPERLINK(""http://x"")`);
    expect(text).not.toMatch(/(^|,)=HYPERLINK/m);
    for (const [input, output] of [
      ["=1+1", "'=1+1"],
      ["+86 138", "'+86 138"],
      ["-5", "'-5"],
      ["@SUM(A1)", "'@SUM(A1)"],
      ["\tx", "'\tx"],
      ["桃园村", "桃园村"],
    ])
      expect(csvText(input!)).toBe(output);
  });
});

describe("partner staff invitations", () => {
  it("a coordinator of the partner's county invites; the invited person accepts once and reaches the portal", async () => {
    const coordinator = await createUser();
    await unscopedDb().countyCoordinator.create({ data: { countyId: ids.countyA!, userId: coordinator.id } });
    const coordinatorB = await createUser();
    await unscopedDb().countyCoordinator.create({ data: { countyId: ids.countyB!, userId: coordinatorB.id } });
    const cs = await signedIn(coordinator.id);
    const url = `${BASE}/platform/logistics/${ids.partnerX}/staff`;
    expect(
      (await run(staffRoute.loader as Fn, getAs(await signedIn(coordinatorB.id), url), { partnerId: ids.partnerX! }))
        .status,
    ).toBe(404);
    expect((await run(staffRoute.loader as Fn, getAs(staffX, url), { partnerId: ids.partnerX! })).status).toBe(403);
    const bad = await run(staffRoute.action as Fn, postAs(cs, url, { identifier: "not a phone" }), {
      partnerId: ids.partnerX!,
    });
    expect(bad.status).toBe(400);

    const invitee = await createUser();
    const sent = await run(staffRoute.action as Fn, postAs(cs, url, { identifier: invitee.phone }), {
      partnerId: ids.partnerX!,
    });
    expect(sent.status).toBe(302);
    const note = await unscopedDb().notification.findFirstOrThrow({
      where: { recipient: invitee.phone, template: "partner-staff-invitation" },
    });
    const token = String((note.payload as { url: string }).url).split("/logistics/invite/")[1]!;
    const inviteeSession = await signedIn(invitee.id);
    const link = `${BASE}/logistics/invite/${token}`;
    expect((await run(inviteRoute.loader as Fn, getAs(inviteeSession, link), { token })).data).toMatchObject({
      state: "ready",
    });
    expect((await run(inviteRoute.action as Fn, postAs(outsider, link, {}), { token })).status).toBe(403);
    const accepted = await run(inviteRoute.action as Fn, postAs(inviteeSession, link, {}), { token });
    expect(accepted).toMatchObject({ status: 302, location: "/logistics" });
    expect((await run(inviteRoute.action as Fn, postAs(inviteeSession, link, {}), { token })).status).toBe(410);
    expect(
      (
        await run(runRoute.loader as Fn, getAs(inviteeSession, `${BASE}/logistics/runs/${manifestX}`), {
          id: manifestX,
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await run(runRoute.loader as Fn, getAs(inviteeSession, `${BASE}/logistics/runs/${manifestY}`), {
          id: manifestY,
        })
      ).status,
    ).toBe(404);
    // An existing member cannot be invited again.
    expect(
      await inviteToPartner({ partnerId: ids.partnerX!, identifier: invitee.phone, invitedById: coordinator.id }),
    ).toMatchObject({
      ok: false,
    });
    expect(
      await acceptPartnerInvitation({ token: "nope", user: { id: invitee.id, phone: invitee.phone, email: null } }),
    ).toMatchObject({
      ok: false,
      status: 404,
    });
  });
});
