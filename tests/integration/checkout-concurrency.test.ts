import { beforeAll, describe, expect, it } from "vitest";
import { connection, unscopedDb } from "~/db/index.server";
import { cartIdOf, type Visitor } from "~/modules/cart/cart.cross-shop.server";
import { placeOrder } from "~/modules/checkout/place-order.cross-shop.server";
import { serverUrl } from "../support/database";
import { fill, formFor, newGuest, threeShops, type Shops } from "./checkout-fixtures";

// 200 buyers press "place order" at the same moment. Only a real PostgreSQL server runs
// their transactions side by side (the embedded database has one connection), so these
// tests need TEST_DATABASE_URL; CI provides it.

const BUYERS = 200;
let s: Shops;

beforeAll(async () => {
  s = await threeShops();
});

/** BUYERS guests, each with `quantity` of the variant (and slot) in their cart and a ready form. */
async function crowd(line: { variantId: string; quantity: number; slotId?: string }) {
  const buyers: { visitor: Visitor; input: Awaited<ReturnType<typeof formFor>> }[] = [];
  for (let i = 0; i < BUYERS; i++) {
    const visitor = newGuest();
    await fill(visitor, [line]);
    buyers.push({ visitor, input: await formFor(visitor) });
  }
  return buyers;
}

async function rush(buyers: Awaited<ReturnType<typeof crowd>>) {
  const results = await Promise.all(
    buyers.map(({ visitor, input }) => placeOrder({ cartId: cartIdOf(visitor), userId: null, input, lng: "zh-CN" })),
  );
  return {
    ok: results.filter((r) => r.ok),
    refused: results.filter((r) => !r.ok && r.reason === "CHANGED"),
    other: results.filter((r) => !r.ok && r.reason !== "CHANGED"),
  };
}

describe.skipIf(!serverUrl())("200 concurrent checkouts on the PostgreSQL server", () => {
  it.each([1, 10])("stock %i → exactly that many orders, stock 0, never negative", async (stock) => {
    const variant = stock === 1 ? s.a.p12 : s.b.p12;
    await unscopedDb().variant.updateMany({ where: { id: variant.id }, data: { stock: BUYERS } });
    const buyers = await crowd({ variantId: variant.id, quantity: 1 });
    await unscopedDb().variant.updateMany({ where: { id: variant.id }, data: { stock } });

    const { ok, refused, other } = await rush(buyers);
    expect(other).toEqual([]);
    expect(ok).toHaveLength(stock);
    expect(refused).toHaveLength(BUYERS - stock);
    expect(refused[0]).toMatchObject({ changes: [{ kind: "NOT_ENOUGH_STOCK", available: 0 }] });
    expect((await unscopedDb().variant.findFirstOrThrow({ where: { id: variant.id } })).stock).toBe(0);
    const lines = await unscopedDb().shopOrderLine.aggregate({
      where: { variantId: variant.id },
      _sum: { quantity: true },
      _count: true,
    });
    expect([lines._count, lines._sum.quantity]).toEqual([stock, stock]);
    const held = await unscopedDb().reservation.aggregate({
      where: { variantId: variant.id, status: "HELD" },
      _sum: { quantity: true },
    });
    expect(held._sum.quantity).toBe(stock);
  });

  it("an experience slot with 5 places → exactly 5 bookings", async () => {
    await unscopedDb().experienceSlot.updateMany({ where: { id: s.c.slot }, data: { capacity: BUYERS, booked: 0 } });
    const buyers = await crowd({ variantId: s.c.ticket.id, quantity: 1, slotId: s.c.slot });
    await unscopedDb().experienceSlot.updateMany({ where: { id: s.c.slot }, data: { capacity: 5 } });

    const { ok, refused, other } = await rush(buyers);
    expect(other).toEqual([]);
    expect(ok).toHaveLength(5);
    expect(refused).toHaveLength(BUYERS - 5);
    expect(refused[0]).toMatchObject({ changes: [{ kind: "SLOT_FULL", available: 0 }] });
    const slot = await unscopedDb().experienceSlot.findFirstOrThrow({ where: { id: s.c.slot } });
    expect([slot.booked, slot.capacity]).toEqual([5, 5]);
  });

  it("buyers of one variant are served in the order they pressed, not overtaken by later ones (issue #12)", async () => {
    const variant = s.c.p12;
    await unscopedDb().variant.updateMany({ where: { id: variant.id }, data: { stock: BUYERS } });
    const early: Awaited<ReturnType<typeof crowd>> = [];
    const late: Awaited<ReturnType<typeof crowd>> = [];
    for (const group of [early, late]) {
      for (let i = 0; i < 8; i++) {
        const visitor = newGuest();
        await fill(visitor, [{ variantId: variant.id, quantity: 1 }]);
        group.push({ visitor, input: await formFor(visitor) });
      }
    }
    const waiting = async () =>
      Number(
        (
          await connection().raw.query<{ n: string }>(
            `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
          )
        )[0]!.n,
      );
    const served: string[] = [];
    const place = (buyer: (typeof early)[number], name: string) =>
      placeOrder({ cartId: cartIdOf(buyer.visitor), userId: null, input: buyer.input, lng: "zh-CN" }).then((r) => {
        served.push(name);
        return r;
      });
    // The owner corrects the stock in a transaction that stays open while the early buyers press, one after
    // the other, each waiting before the next comes.
    let release = () => undefined as void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let locked = () => undefined as void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const owner = connection().raw.transaction(async (sql) => {
      await sql.query(`UPDATE "Variant" SET stock = stock WHERE id = $1`, [variant.id]);
      locked();
      await released;
    });
    await isLocked;
    const placements: Promise<unknown>[] = [];
    for (const [i, buyer] of early.entries()) {
      placements.push(place(buyer, `early ${i}`));
      for (let tries = 0; (await waiting()) < i + 1; tries++) {
        if (tries > 500) throw new Error(`buyer ${i} never waited`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }
    // The owner saves while later buyers keep pressing.
    release();
    await owner;
    for (const [i, buyer] of late.entries()) placements.push(place(buyer, `late ${i}`));
    const results = await Promise.all(placements);
    expect(results.every((r) => (r as { ok: boolean }).ok)).toBe(true);
    expect(served.slice(0, early.length)).toEqual(early.map((_, i) => `early ${i}`));
  });
});
