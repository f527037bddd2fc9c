import { setTimeout as sleep } from "node:timers/promises";
import { beforeAll, describe, expect, it } from "vitest";
import { connect } from "~/db/connection.server";
import { unscopedDb } from "~/db/index.server";
import { createApiKey } from "~/modules/logistics/partner-keys.server";
import { createPartner } from "~/modules/logistics/partners.server";
import { createShipment } from "~/modules/logistics/shipments.server";
import { actOnShopOrder } from "~/modules/orders/shop-orders.server";
import * as feed from "~/routes/api.logistics.v1.shipments._index";
import { copyShopOrders } from "../../scripts/lib/logistics-bulk";
import { addMember, createUser, shopIdOf } from "../support/auth";
import { serverUrl, withDatabase } from "../support/database";
import { SHOP_A, twoShops } from "./cart-fixtures";
import { placeTestOrder } from "./orders-fixtures";

// The partner feed under concurrent writers (issue #10, docs/decisions/016): 1,000 shipments
// are created by 20 workers, each packing in its own transactions — some held open for a while
// after the shipment got its place in the feed, so transactions commit out of order — while a
// partner pages through GET /shipments in a loop. Each shipment must be seen exactly once: a
// feed ordered by a sequence (or by feedXid without the snapshot's xmin) would let the cursor
// pass a row whose transaction commits later, and never give it.
// Needs the PostgreSQL server: the embedded database has a single connection, so its
// transactions cannot overlap and there is nothing to show.

const SHIPMENTS = 1000;
const WORKERS = 20;

let shopA: string;
let partner: { id: string; keys: string[] };
let shopOrderIds: string[];

beforeAll(async () => {
  if (!serverUrl()) return;
  // This file's database with a pool large enough for 20 writers and the reader at once.
  const [row] = await unscopedDb().$queryRaw<{ db: string }[]>`SELECT current_database() AS db`;
  const db = row!.db;
  const store = globalThis as unknown as { __singletons: Map<string, unknown> };
  const old = store.__singletons.get("db:connection") as { close: () => Promise<void> };
  store.__singletons.set(
    "db:connection",
    connect({ kind: "server", url: withDatabase(serverUrl()!, db), poolSize: 30 }),
  );
  store.__singletons.delete("db:scoped");
  await old.close();

  const f = await twoShops();
  shopA = await shopIdOf(SHOP_A);
  const owner = (await createUser({ name: "甲" })).id;
  await addMember(shopA, owner, "OWNER");
  const { countyId } = await unscopedDb().shop.findUniqueOrThrow({ where: { id: shopA }, select: { countyId: true } });
  const made = await createPartner({
    countyId,
    nameZh: "县物流中心",
    kind: "COUNTY_CENTRE",
    services: ["HOME"],
    areas: [],
  });
  // A poller that asks every few milliseconds for a while: several keys keep it under the rate limit.
  const keys = [made.apiKey];
  for (let i = 0; i < 4; i++) keys.push((await createApiKey(made.id, `poller ${i}`)).key);
  partner = { id: made.id, keys };

  // One real order, placed and paid; its 1,000 copies are the shop orders the workers pack.
  const placed = await placeTestOrder({ lines: [{ variantId: f.a.p6.id, quantity: 1 }] });
  const so = placed.shopOrders.get(shopA)!;
  await actOnShopOrder({ shopId: shopA, shopOrderId: so.id, action: "confirmPayment", userId: owner });
  shopOrderIds = await copyShopOrders((sql, params) => unscopedDb().$queryRawUnsafe(sql, ...params), {
    templateShopOrderId: so.id,
    count: SHIPMENTS,
    prefix: "cc",
  });
});

interface Page {
  shipments: { id: string }[];
  nextCursor: string | null;
  hasMore: boolean;
}

async function getPage(cursor: string | null, limit: number, key: string): Promise<Page> {
  const url = `http://localhost/api/logistics/v1/shipments?limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`;
  const request = new Request(url, { headers: { Authorization: `Bearer ${key}`, "x-peer-address": "192.0.2.10" } });
  const response = (await feed.loader({ request, params: {}, context: {} })) as Response;
  expect(response.status).toBe(200);
  return (await response.json()) as Page;
}

describe.skipIf(!serverUrl())("the feed while 20 workers create 1,000 shipments (PostgreSQL server)", () => {
  it("a partner paging in a loop sees every shipment exactly once", async () => {
    let next = 0;
    let held = 0;
    let done = false;
    let doneAt = 0;
    const worker = async (w: number) => {
      for (let i = next++; i < SHIPMENTS; i = next++) {
        // Every 7th transaction stays open after assignShipment gave it its feedXid, so
        // later transactions commit before it.
        const hold = (i * 31 + w) % 7 === 0 ? 20 + ((i * 13) % 120) : 0;
        if (hold) held++;
        await unscopedDb().$transaction(
          async (tx) => {
            const made = await createShipment(
              tx,
              { id: shopOrderIds[i]!, shopId: shopA },
              { parcelCount: 1, weightGrams: 1000, coldChain: false },
            );
            expect(made?.partnerId).toBe(partner.id);
            if (hold) await sleep(hold);
          },
          { timeout: 20_000, maxWait: 20_000 },
        );
      }
    };

    const seen = new Map<string, number>();
    let pages = 0;
    let nonEmptyWhileWriting = 0;
    const reader = async () => {
      let cursor: string | null = null;
      for (let round = 0; ; round++) {
        const writing = !done;
        const page = await getPage(cursor, 17 + (round % 40), partner.keys[round % partner.keys.length]!);
        pages++;
        if (writing && page.shipments.length) nonEmptyWhileWriting++;
        for (const s of page.shipments) seen.set(s.id, (seen.get(s.id) ?? 0) + 1);
        cursor = page.nextCursor;
        // Stop only after a page that started once every writer had committed, was the last, and
        // showed everything: the feed reaches only below the cluster's oldest running transaction,
        // which other test files' transactions on the same server may hold back for a moment.
        if (!writing && !page.hasMore && seen.size >= SHIPMENTS) return;
        if (!writing && Date.now() - doneAt > 30_000) return; // a real miss: the asserts below name it
        if (!page.hasMore) await sleep(10);
      }
    };

    const readerDone = reader();
    await Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w)));
    doneAt = Date.now();
    done = true;
    await readerDone;

    const created = await unscopedDb().shipment.findMany({ where: { partnerId: partner.id }, select: { id: true } });
    expect(created).toHaveLength(SHIPMENTS);
    expect(held).toBeGreaterThan(100);
    // The reader really read while the writers wrote (not everything at the end).
    expect(nonEmptyWhileWriting).toBeGreaterThan(5);
    const repeated = [...seen].filter(([, n]) => n > 1);
    expect(repeated).toEqual([]);
    const missed = created.filter((s) => !seen.has(s.id));
    expect(missed).toEqual([]);
    expect(seen.size).toBe(SHIPMENTS);
    expect(pages).toBeGreaterThan(SHIPMENTS / 57);
  });
});
