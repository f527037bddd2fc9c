import { expect } from "vitest";
import { unscopedDb } from "~/db/index.server";
import { cartCookie, type Visitor } from "~/modules/cart/cart.cross-shop.server";
import { csrfCookie } from "~/modules/identity/cookies.server";
import { newToken } from "~/modules/identity/tokens.server";
import { syncTenants } from "~/modules/tenants/sync.server";
import { samplePack, writePacks } from "../support/packs";

// Two live shops from the sample pack (peach boxes with stock 40 and 2, a sold-out tea,
// a picking experience with one future slot of 20 places), and their ids by SKU.

export const SHOP_A = "cart-alpha";
export const SHOP_B = "cart-beta";

export async function twoShops() {
  const results = await syncTenants(writePacks([samplePack(SHOP_A), samplePack(SHOP_B, "320507")]), {
    now: new Date("2026-11-27T00:00:00Z"),
  });
  expect(results.every((r) => r.ok)).toBe(true);
  const variants = await unscopedDb().variant.findMany({
    select: { id: true, shopId: true, sku: true, productId: true },
  });
  const slots = await unscopedDb().experienceSlot.findMany({ select: { id: true, shop: { select: { slug: true } } } });
  const variant = (sku: string) => variants.find((v) => v.sku === sku)!;
  const slotOf = (slug: string) => slots.find((s) => s.shop.slug === slug)!.id;
  return {
    a: {
      p6: variant(`${SHOP_A}-P6`),
      p12: variant(`${SHOP_A}-P12`),
      tea: variant(`${SHOP_A}-T1`),
      ticket: variant(`${SHOP_A}-E1`),
      slot: slotOf(SHOP_A),
    },
    b: {
      p6: variant(`${SHOP_B}-P6`),
      p12: variant(`${SHOP_B}-P12`),
      ticket: variant(`${SHOP_B}-E1`),
      slot: slotOf(SHOP_B),
    },
  };
}

export type Fixture = Awaited<ReturnType<typeof twoShops>>;

/** A guest with a cart cookie (its cart is created on the first add) and a CSRF token. */
export async function guest() {
  const token = newToken();
  const csrf = newToken();
  const visitor: Visitor = { userId: null, guestToken: token };
  const cookie = [
    (await cartCookie.serialize(token)).split(";")[0],
    (await csrfCookie.serialize(csrf)).split(";")[0],
  ].join("; ");
  return { visitor, cookie, csrf, token };
}

export const request = (url = "http://localhost/cart/add") => new Request(url);
