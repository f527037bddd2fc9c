import { expect } from "vitest";
import { unscopedDb } from "~/db/index.server";
import { addToCart, cartIdOf, type Visitor } from "~/modules/cart/cart.cross-shop.server";
import type { CheckoutInput } from "~/modules/checkout/checkout-schema";
import { loadCheckoutCart, placeOrder, quote } from "~/modules/checkout/place-order.cross-shop.server";
import { newToken } from "~/modules/identity/tokens.server";
import { syncTenants } from "~/modules/tenants/sync.server";
import { samplePack, writePacks } from "../support/packs";

// Three live shops from the sample pack in two counties, each county with a pickup point and
// a locker; helpers that fill a guest's cart and place its order through the real modules.

export const SHOPS = ["co-alpha", "co-beta", "co-gamma"] as const;

export async function threeShops() {
  const results = await syncTenants(
    writePacks([samplePack(SHOPS[0]), samplePack(SHOPS[1], "320507"), samplePack(SHOPS[2], "320507")]),
    { now: new Date("2026-11-27T00:00:00Z") },
  );
  expect(results.every((r) => r.ok)).toBe(true);
  const prisma = unscopedDb();
  for (const county of await prisma.county.findMany()) {
    await prisma.pickupPoint.createMany({
      data: [
        {
          countyId: county.id,
          code: "P1",
          kind: "POINT",
          nameZh: "村邮站",
          nameEn: "Village post",
          addressZh: "村口 1 号",
          addressEn: "1 Village Gate",
        },
        {
          countyId: county.id,
          code: "L1",
          kind: "LOCKER",
          nameZh: "快递柜",
          nameEn: "Parcel locker",
          addressZh: "镇政府旁",
          addressEn: "By the town hall",
        },
      ],
    });
  }
  const variants = await prisma.variant.findMany({ select: { id: true, sku: true, shopId: true, productId: true } });
  const slots = await prisma.experienceSlot.findMany({
    select: { id: true, shopId: true, shop: { select: { slug: true } } },
  });
  const shops = await prisma.shop.findMany({ select: { id: true, slug: true, countyId: true } });
  const points = await prisma.pickupPoint.findMany();
  const sku = (s: string) => variants.find((v) => v.sku === s)!;
  const of = (slug: string) => ({
    id: shops.find((s) => s.slug === slug)!.id,
    p6: sku(`${slug}-P6`),
    p12: sku(`${slug}-P12`),
    ticket: sku(`${slug}-E1`),
    slot: slots.find((s) => s.shop.slug === slug)!.id,
    locker: points.find((p) => p.countyId === shops.find((s) => s.slug === slug)!.countyId && p.kind === "LOCKER")!.id,
  });
  return { a: of(SHOPS[0]), b: of(SHOPS[1]), c: of(SHOPS[2]) };
}

export type Shops = Awaited<ReturnType<typeof threeShops>>;

export function newGuest(): Visitor {
  return { userId: null, guestToken: newToken() };
}

export async function fill(visitor: Visitor, lines: { variantId: string; quantity: number; slotId?: string }[]) {
  for (const line of lines) {
    const added = await addToCart({ visitor, request: new Request("http://localhost/cart/add"), ...line });
    expect(added).toMatchObject({ ok: true });
  }
}

/** A complete, valid checkout form for the visitor's cart: home delivery, one name per place. */
export async function formFor(visitor: Visitor, overrides: Partial<CheckoutInput> = {}): Promise<CheckoutInput> {
  const groups = await loadCheckoutCart(unscopedDb(), cartIdOf(visitor)!, "zh-CN");
  const shops = groups
    .filter((g) => g.hasGoods)
    .map((g) => ({
      shopId: g.shopId,
      delivery: "HOME" as const,
      addressRegion: "江苏省 南京市 玄武区",
      addressLine: "北京东路 1 号",
      pickupPointId: undefined,
      note: undefined,
    }));
  const visitors = groups
    .flatMap((g) => g.lines)
    .filter((l) => l.kind === "EXPERIENCE")
    .map((l) => ({ lineId: l.id, names: Array.from({ length: l.quantity }, (_, i) => `游客${i + 1}`) }));
  const input: CheckoutInput = {
    contactName: "王小明",
    contactPhone: "13912345678",
    shops,
    visitors,
    provider: "OFFLINE",
    offlineMethod: "COD",
    checkoutKey: newToken()
      .slice(0, 32)
      .replace(/[^A-Za-z0-9_-]/g, "x"),
    expectedTotalFen: 0,
    ...overrides,
  };
  const choices = Object.fromEntries(input.shops.map((s) => [s.shopId, s.delivery]));
  input.expectedTotalFen = overrides.expectedTotalFen ?? quote(groups, choices).totalFen;
  return input;
}

export async function checkout(visitor: Visitor, overrides: Partial<CheckoutInput> = {}, now?: Date) {
  const input = await formFor(visitor, overrides);
  return placeOrder({ cartId: cartIdOf(visitor), userId: visitor.userId, input, lng: "zh-CN", now });
}
