import type { Tx } from "~/db/index.server";
import { recordMovement } from "~/modules/catalog/stock.server";

// Holding and giving back what an order needs: variant stock, experience places and
// pre-sale yield. Each hold is one conditional UPDATE (… WHERE stock >= n), so however many
// buyers press "place order" at once, the row lock makes them queue and the condition
// refuses whoever would take it below zero; the CHECK constraints are the last guard.

export type HoldRefusal =
  | { kind: "NOT_ENOUGH_STOCK"; available: number }
  | { kind: "SLOT_FULL"; available: number }
  | { kind: "PRESALE_CAP"; available: number }
  | { kind: "UNAVAILABLE" };

export interface HoldRequest {
  shopId: string;
  productId: string;
  variantId: string;
  slotId: string | null;
  kind: "PRODUCE" | "SPECIALTY" | "EXPERIENCE";
  presale: boolean;
  quantity: number;
  orderNumber: string;
  userId: string | null;
  now: Date;
}

/** Takes what one line needs, or says why it cannot; on refusal the caller rolls back. */
export async function hold(tx: Tx, r: HoldRequest): Promise<HoldRefusal | null> {
  if (r.kind === "EXPERIENCE") {
    if (!r.slotId) return { kind: "UNAVAILABLE" };
    const taken = await tx.$queryRaw<{ booked: number }[]>`
      UPDATE "ExperienceSlot" SET booked = booked + ${r.quantity}, "updatedAt" = now()
       WHERE id = ${r.slotId} AND "shopId" = ${r.shopId} AND "productId" = ${r.productId}
         AND "startsAt" > ${r.now} AND booked + ${r.quantity} <= capacity
       RETURNING booked`;
    if (taken.length === 0) return { kind: "SLOT_FULL", available: await placesLeft(tx, r) };
    return null;
  }
  const taken = await tx.$queryRaw<{ stock: number }[]>`
    UPDATE "Variant" SET stock = stock - ${r.quantity}, "updatedAt" = now()
     WHERE id = ${r.variantId} AND "shopId" = ${r.shopId} AND status = 'ACTIVE' AND stock >= ${r.quantity}
     RETURNING stock`;
  if (taken.length === 0) {
    const [row] = await tx.$queryRaw<{ stock: number }[]>`
      SELECT stock FROM "Variant" WHERE id = ${r.variantId} AND "shopId" = ${r.shopId}`;
    return { kind: "NOT_ENOUGH_STOCK", available: Math.max(0, row?.stock ?? 0) };
  }
  if (r.presale) {
    const capped = await tx.$queryRaw<{ id: string }[]>`
      UPDATE "Product" SET "presaleReserved" = "presaleReserved" + ${r.quantity}
       WHERE id = ${r.productId} AND "shopId" = ${r.shopId}
         AND ("presaleYieldCap" IS NULL OR "presaleReserved" + ${r.quantity} <= "presaleYieldCap")
       RETURNING id`;
    if (capped.length === 0) {
      const [row] = await tx.$queryRaw<{ left: number }[]>`
        SELECT GREATEST(0, COALESCE("presaleYieldCap", 0) - "presaleReserved")::int AS left
          FROM "Product" WHERE id = ${r.productId} AND "shopId" = ${r.shopId}`;
      return { kind: "PRESALE_CAP", available: row?.left ?? 0 };
    }
  }
  await recordMovement(tx, {
    shopId: r.shopId,
    variantId: r.variantId,
    userId: r.userId,
    delta: -r.quantity,
    reason: "reserved",
    note: r.orderNumber,
  });
  return null;
}

async function placesLeft(tx: Tx, r: HoldRequest): Promise<number> {
  const [row] = await tx.$queryRaw<{ left: number }[]>`
    SELECT GREATEST(0, capacity - booked)::int AS left FROM "ExperienceSlot"
     WHERE id = ${r.slotId} AND "shopId" = ${r.shopId} AND "startsAt" > ${r.now}`;
  return row?.left ?? 0;
}

export interface GiveBack {
  shopId: string;
  productId: string | null;
  variantId: string | null;
  slotId: string | null;
  presaleProductId: string | null;
  quantity: number;
  reason: "released" | "refunded" | "returned";
  orderNumber: string;
  userId: string | null;
}

/** Returns held or sold quantities: stock, slot places and pre-sale yield. */
export async function giveBack(tx: Tx, g: GiveBack): Promise<void> {
  if (g.quantity <= 0) return;
  if (g.slotId) {
    await tx.$executeRaw`
      UPDATE "ExperienceSlot" SET booked = GREATEST(0, booked - ${g.quantity}), "updatedAt" = now()
       WHERE id = ${g.slotId} AND "shopId" = ${g.shopId}`;
    return;
  }
  if (!g.variantId) return; // the variant was deleted since: nothing to give back to
  await tx.$executeRaw`
    UPDATE "Variant" SET stock = stock + ${g.quantity}, "updatedAt" = now()
     WHERE id = ${g.variantId} AND "shopId" = ${g.shopId}`;
  if (g.presaleProductId) {
    await tx.$executeRaw`
      UPDATE "Product" SET "presaleReserved" = GREATEST(0, "presaleReserved" - ${g.quantity})
       WHERE id = ${g.presaleProductId} AND "shopId" = ${g.shopId}`;
  }
  await recordMovement(tx, {
    shopId: g.shopId,
    variantId: g.variantId,
    userId: g.userId,
    delta: g.quantity,
    reason: g.reason,
    note: g.orderNumber,
  });
}
