import { beforeAll, describe, expect, it } from "vitest";
import { unscopedDb } from "~/db/index.server";
import {
  addToCart,
  cartIdOf,
  confirmPrices,
  removeLine,
  setQuantity,
  viewCart,
  type Visitor,
} from "~/modules/cart/cart.cross-shop.server";
import { guest, request, twoShops, type Fixture } from "./cart-fixtures";

// The cart module: lines from many shops, bounds, stale flags that never drop a line.

let f: Fixture;
beforeAll(async () => {
  f = await twoShops();
});

async function add(visitor: Visitor, variantId: string, quantity: number, slotId?: string, now?: Date) {
  return addToCart({ visitor, request: request(), variantId, slotId, quantity, now });
}

async function view(visitor: Visitor) {
  return viewCart({ cartId: cartIdOf(visitor), lng: "zh-CN" });
}

describe("one cart across shops", () => {
  it("groups lines from two shops and an experience slot, with integer subtotals and total", async () => {
    const { visitor } = await guest();
    expect(await add(visitor, f.a.p6.id, 2)).toMatchObject({ ok: true, count: 1 });
    expect(await add(visitor, f.a.ticket.id, 3, f.a.slot)).toMatchObject({ ok: true, count: 2 });
    expect(await add(visitor, f.b.p12.id, 1)).toMatchObject({ ok: true, count: 3 });

    const cart = await view(visitor);
    expect(cart.shops.map((s) => s.slug)).toEqual(["cart-alpha", "cart-beta"]);
    const [a, b] = cart.shops;
    expect(a!.name).toBe("cart-alpha 合作社");
    expect(a!.themePrimary).toBe("#2f6b3a");
    expect(a!.lines.map((l) => [l.title, l.variantTitle, l.quantity, l.unitPriceFen, l.lineTotalFen])).toEqual([
      ["水蜜桃礼盒", "6只装", 2, 16800, 33600],
      ["采摘", "成人", 3, 4800, 14400],
    ]);
    expect(a!.lines[1]!.slotStartsAt).toBe("2030-03-02T01:00:00.000Z");
    expect(a!.lines[0]!.picture?.src).toMatch(/^\/media\//);
    expect(a!.subtotalFen).toBe(48000);
    expect(b!.subtotalFen).toBe(29800);
    expect(cart.totalFen).toBe(77800);
    expect(cart.hasFlags).toBe(false);
    expect(cart.shops.flatMap((s) => s.lines).every((l) => l.flags.length === 0)).toBe(true);
  });

  it("adds the same variant (and slot) again to the same line", async () => {
    const { visitor } = await guest();
    await add(visitor, f.a.p6.id, 1);
    expect(await add(visitor, f.a.p6.id, 2)).toMatchObject({ ok: true, count: 1 });
    await add(visitor, f.a.ticket.id, 1, f.a.slot);
    await add(visitor, f.a.ticket.id, 4, f.a.slot);
    const lines = (await view(visitor)).shops[0]!.lines;
    expect(lines.map((l) => l.quantity)).toEqual([3, 5]);
    expect(await unscopedDb().cartLine.count({ where: { cartId: cartIdOf(visitor)! } })).toBe(2);
  });

  it("bounds quantities by stock and places left, and refuses sold-out, past and missing slots", async () => {
    const { visitor } = await guest();
    expect(await add(visitor, f.a.p12.id, 3)).toEqual({
      ok: false,
      field: "quantity",
      error: 'cart.errors.notEnoughStock|{"available":2,"unit":"盒"}',
    });
    expect(await add(visitor, f.a.p12.id, 2)).toMatchObject({ ok: true });
    expect(await add(visitor, f.a.p12.id, 1)).toEqual({
      ok: false,
      field: "quantity",
      error: 'cart.errors.notEnoughStockInCart|{"available":2,"unit":"盒","inCart":2}',
    });
    expect(await add(visitor, f.a.tea.id, 1)).toEqual({ ok: false, field: "variantId", error: "cart.errors.soldOut" });
    expect(await add(visitor, f.a.ticket.id, 21, f.a.slot)).toMatchObject({
      ok: false,
      field: "quantity",
      error: expect.stringMatching(/^cart\.errors\.notEnoughPlaces\|.*"available":20/),
    });
    expect(await add(visitor, f.a.ticket.id, 1, f.a.slot, new Date("2031-01-01T00:00:00Z"))).toEqual({
      ok: false,
      field: "slotId",
      error: "cart.errors.slotPast",
    });
    expect(await add(visitor, f.a.ticket.id, 1)).toEqual({
      ok: false,
      field: "slotId",
      error: "cart.errors.slotRequired",
    });
    // Shop B's slot is not a slot of shop A's experience.
    expect(await add(visitor, f.a.ticket.id, 1, f.b.slot)).toEqual({
      ok: false,
      field: "slotId",
      error: "cart.errors.slotRequired",
    });
    expect(await add(visitor, "no-such-variant", 1)).toEqual({
      ok: false,
      field: "variantId",
      error: "cart.errors.unavailable",
    });
    // Nothing refused was written.
    expect((await view(visitor)).shops.flatMap((s) => s.lines).map((l) => [l.variantTitle, l.quantity])).toEqual([
      ["12只装", 2],
    ]);
  });

  it("refuses a full slot, and setQuantity stays within bounds", async () => {
    const { visitor } = await guest();
    await add(visitor, f.b.ticket.id, 2, f.b.slot);
    const line = (await view(visitor)).shops[0]!.lines[0]!;
    const cartId = cartIdOf(visitor);
    expect(await setQuantity({ cartId, lineId: line.id, quantity: 21 })).toMatchObject({
      ok: false,
      field: "quantity",
    });
    expect(await setQuantity({ cartId, lineId: line.id, quantity: 20 })).toEqual({ ok: true });
    expect(await setQuantity({ cartId, lineId: line.id, quantity: 0 })).toEqual({ ok: true });
    expect((await view(visitor)).lineCount).toBe(0);

    await unscopedDb().experienceSlot.updateMany({ where: { id: f.b.slot }, data: { booked: 20 } });
    try {
      expect(await add(visitor, f.b.ticket.id, 1, f.b.slot)).toEqual({
        ok: false,
        field: "slotId",
        error: "cart.errors.slotFull",
      });
    } finally {
      await unscopedDb().experienceSlot.updateMany({ where: { id: f.b.slot }, data: { booked: 0 } });
    }
  });

  it("flags stale lines with what changed and never removes them", async () => {
    const { visitor } = await guest();
    await add(visitor, f.b.p6.id, 2);
    await add(visitor, f.b.p12.id, 1);
    await add(visitor, f.b.ticket.id, 2, f.b.slot);
    const prisma = unscopedDb();

    await prisma.variant.updateMany({ where: { id: f.b.p6.id }, data: { priceFen: 17800 } });
    let cart = await view(visitor);
    let p6 = cart.shops[0]!.lines[0]!;
    expect(p6.flags).toEqual([{ kind: "PRICE_CHANGED", from: 16800, to: 17800 }]);
    expect(p6.lineTotalFen).toBe(35600);
    expect(cart.totalFen).toBe(35600 + 29800 + 9600);
    expect(cart.hasPriceChanges).toBe(true);
    expect(await confirmPrices({ cartId: cartIdOf(visitor) })).toBe(1);
    cart = await view(visitor);
    p6 = cart.shops[0]!.lines[0]!;
    expect(p6.flags).toEqual([]);
    expect(cart.hasPriceChanges).toBe(false);

    await prisma.variant.updateMany({ where: { id: f.b.p12.id }, data: { stock: 0 } });
    await prisma.variant.updateMany({ where: { id: f.b.p6.id }, data: { stock: 1 } });
    await prisma.experienceSlot.updateMany({ where: { id: f.b.slot }, data: { booked: 20 } });
    cart = await view(visitor);
    expect(cart.shops[0]!.lines.map((l) => l.flags)).toEqual([
      [{ kind: "NOT_ENOUGH_STOCK", available: 1 }],
      [{ kind: "SOLD_OUT" }],
      [{ kind: "SLOT_FULL" }],
    ]);

    await prisma.product.updateMany({ where: { id: f.b.p6.productId }, data: { status: "ARCHIVED" } });
    cart = await view(visitor);
    expect(cart.shops[0]!.lines[0]!.flags).toEqual([{ kind: "UNAVAILABLE" }]);
    // Every line is still there, and still counted.
    expect(cart.lineCount).toBe(3);
    expect(cart.totalFen).toBe(35600 + 29800 + 9600);

    await prisma.product.updateMany({ where: { id: f.b.p6.productId }, data: { status: "ACTIVE" } });
    await prisma.variant.updateMany({ where: { id: f.b.p6.id }, data: { stock: 40, priceFen: 16800 } });
    await prisma.variant.updateMany({ where: { id: f.b.p12.id }, data: { stock: 2 } });
    await prisma.experienceSlot.updateMany({ where: { id: f.b.slot }, data: { booked: 0 } });
  });

  it("never lets one visitor see or change another's lines", async () => {
    const owner = await guest();
    const other = await guest();
    await add(owner.visitor, f.a.p6.id, 1);
    await add(other.visitor, f.a.p6.id, 5);
    const ownerLine = (await view(owner.visitor)).shops[0]!.lines[0]!;
    expect(await setQuantity({ cartId: cartIdOf(other.visitor), lineId: ownerLine.id, quantity: 3 })).toEqual({
      ok: false,
      notFound: true,
    });
    expect(await removeLine({ cartId: cartIdOf(other.visitor), lineId: ownerLine.id })).toEqual({
      ok: false,
      notFound: true,
    });
    expect(await setQuantity({ cartId: null, lineId: ownerLine.id, quantity: 3 })).toEqual({
      ok: false,
      notFound: true,
    });
    expect((await view(owner.visitor)).shops[0]!.lines[0]!.quantity).toBe(1);
    expect((await view(other.visitor)).shops[0]!.lines.map((l) => l.quantity)).toEqual([5]);
  });
});
