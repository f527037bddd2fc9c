import { asTx, db, type Tx as PlainTx } from "~/db/index.server";
import { fieldError, notFound, type Outcome } from "./outcome";
import { STOCK_REASONS, SYSTEM_STOCK_REASONS, type StockReason } from "./variant-schema";

// Stock changes: every one is a StockMovement row (who, when, how much, why) written in
// the same transaction as the change itself. The reason column holds the reason's code,
// followed by ": note" when the person wrote one.

export function reasonText(reason: StockReason, note?: string | null): string {
  return note ? `${reason}: ${note}` : reason;
}

/** The stored reason split back into a code the page translates, and the note. */
export function parseReason(text: string): { code: StockReason | null; note: string | null } {
  const colon = text.indexOf(":");
  const code = (colon === -1 ? text : text.slice(0, colon)).trim();
  const note = colon === -1 ? null : text.slice(colon + 1).trim() || null;
  const known = [...STOCK_REASONS, ...SYSTEM_STOCK_REASONS].includes(code as StockReason);
  return known ? { code: code as StockReason, note } : { code: null, note: text };
}

export async function recordMovement(
  tx: PlainTx,
  movement: {
    shopId: string;
    variantId: string;
    userId: string | null;
    delta: number;
    reason: StockReason;
    note?: string | null;
  },
) {
  await tx.stockMovement.create({
    data: {
      shopId: movement.shopId,
      variantId: movement.variantId,
      userId: movement.userId,
      delta: movement.delta,
      reason: reasonText(movement.reason, movement.note),
    },
  });
}

/**
 * Adds `delta` (negative to take away) to a variant's stock, never below zero: one
 * conditional UPDATE, so concurrent adjustments cannot oversell, and the movement row in
 * the same transaction.
 */
export async function adjustStock(args: {
  shopId: string;
  productId: string;
  variantId: string;
  userId: string;
  delta: number;
  reason: StockReason;
  note?: string | null;
}): Promise<Outcome<{ stock: number }>> {
  const { shopId, productId, variantId, delta } = args;
  const stock = await db().$transaction(async (tx) => {
    // Raw SQL passes the shop guard: the WHERE names the shop itself.
    const updated = await tx.$queryRaw<{ stock: number }[]>`
      UPDATE "Variant" SET stock = stock + ${delta}, "updatedAt" = now()
       WHERE id = ${variantId} AND "shopId" = ${shopId} AND "productId" = ${productId} AND stock + ${delta} >= 0
      RETURNING stock`;
    if (updated.length === 0) return null;
    await recordMovement(asTx(tx), args);
    return updated[0]!.stock;
  });
  if (stock !== null) return { ok: true, stock };
  const variant = await db().variant.findFirst({
    where: { id: variantId, shopId, productId },
    select: { stock: true },
  });
  if (!variant) return notFound;
  return fieldError("delta", `catalog.errors.stockNegative|${JSON.stringify({ stock: variant.stock })}`);
}

/** The latest stock changes of some variants of the shop, newest first. */
export async function listStockHistory({
  shopId,
  variantIds,
  take = 50,
}: {
  shopId: string;
  variantIds: string[];
  take?: number;
}) {
  if (variantIds.length === 0) return [];
  const rows = await db().stockMovement.findMany({
    where: { shopId, variantId: { in: variantIds } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take,
    include: { user: { select: { name: true, phone: true, email: true } }, variant: { select: { sku: true } } },
  });
  return rows.map((row) => ({
    id: row.id,
    createdAt: row.createdAt.toISOString(),
    delta: row.delta,
    sku: row.variant.sku,
    who: row.user ? (row.user.name ?? row.user.phone ?? row.user.email ?? "") : null,
    ...parseReason(row.reason),
  }));
}
