import type { Tx } from "~/db/index.server";
import { Prisma } from "~/generated/prisma/client";
import { prismaRunner, type SqlRunner } from "~/db/sql-runner.server";
import { newRowId } from "~/db/ids.server";
import { reasonText, recordMovement } from "~/modules/catalog/stock.server";

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
  return (await holdAll(prismaRunner(tx), [r]))?.refusal ?? null;
}

/** Quantities of the same key added up: one UPDATE row per variant, slot or product. */
function summed<K>(items: { key: K; shopId: string; quantity: number; productId: string }[]) {
  const byKey = new Map<K, { key: K; shopId: string; productId: string; quantity: number }>();
  for (const item of items) {
    const seen = byKey.get(item.key);
    if (seen) seen.quantity += item.quantity;
    else byKey.set(item.key, { ...item });
  }
  // Sorted by key: every order takes its row locks in the same order, so two never wait on each other.
  return [...byKey.values()].sort((a, b) => String(a.key).localeCompare(String(b.key)));
}

/**
 * The place in line of an order that holds these rows (sorted by key, as summed() returns them): a
 * transaction-level advisory lock per row, taken one after the other in key order, released at
 * COMMIT or ROLLBACK with the row locks. PostgreSQL grants an advisory lock to its waiters in the
 * order they asked; the row lock alone does not: when its holder commits, every buyer waiting on
 * that row wakes, finds it changed, and they race for the next version, so under a burst on one
 * variant some buyers lost that race dozens of times and waited seconds while the median waited a
 * fraction of that, and each commit cost every waiter a wake-up (issue #12, decision 042). The
 * statement that holds takes its place in line first (a MATERIALIZED CTE the UPDATE's condition
 * counts): nothing else is held while it waits, and no round trip is added once it is its turn.
 * The conditional UPDATE under the row lock still decides; the line only orders the buyers.
 */
function inQueue(table: "Variant" | "ExperienceSlot", rows: { key: string }[]) {
  return Prisma.sql`
    SELECT pg_advisory_xact_lock(hashtext(${table}), hashtext(q.id))
      FROM unnest(${rows.map((r) => r.key)}::text[]) WITH ORDINALITY AS q(id, n)
     ORDER BY q.n`;
}

/**
 * Takes what all the lines of one order need with one set-based statement per kind of hold
 * (slot places; variant stock with its movements; pre-sale yield), or names the first line
 * refused and why. Each UPDATE keeps the condition of a single hold (… AND stock >= n), so
 * concurrent orders still queue on the row locks and cannot oversell. On refusal the caller
 * rolls the transaction back.
 */
export async function holdAll(
  tx: SqlRunner,
  requests: HoldRequest[],
): Promise<{ request: HoldRequest; refusal: HoldRefusal } | null> {
  const first = requests[0];
  if (!first) return null;
  const { orderNumber, userId, now } = first;

  const visits = requests.filter((r) => r.kind === "EXPERIENCE");
  const noSlot = visits.find((r) => !r.slotId);
  if (noSlot) return { request: noSlot, refusal: { kind: "UNAVAILABLE" } };
  if (visits.length > 0) {
    const slots = summed(visits.map((r) => ({ ...r, key: r.slotId! })));
    const taken = await tx.query<{ id: string }>(Prisma.sql`
      WITH queued AS MATERIALIZED (${inQueue("ExperienceSlot", slots)})
      UPDATE "ExperienceSlot" s SET booked = s.booked + w.quantity, "updatedAt" = now()
        FROM unnest(${slots.map((s) => s.key)}::text[], ${slots.map((s) => s.shopId)}::text[],
                    ${slots.map((s) => s.productId)}::text[], ${slots.map((s) => s.quantity)}::int[])
             AS w(id, "shopId", "productId", quantity)
       WHERE s.id = w.id AND s."shopId" = w."shopId" AND s."productId" = w."productId"
         AND s."startsAt" > ${now} AND s.booked + w.quantity <= s.capacity
         AND (SELECT count(*) FROM queued) = ${slots.length}
       RETURNING s.id`);
    const full = visits.find((r) => !taken.some((t) => t.id === r.slotId));
    if (full) return { request: full, refusal: { kind: "SLOT_FULL", available: await placesLeft(tx, full) } };
  }

  const goods = requests.filter((r) => r.kind !== "EXPERIENCE");
  if (goods.length === 0) return null;
  const variants = summed(goods.map((r) => ({ ...r, key: r.variantId })));
  // The stock and its movement rows in one statement: a movement per variant actually taken.
  const taken = await tx.query<{ id: string }>(Prisma.sql`
    WITH queued AS MATERIALIZED (${inQueue("Variant", variants)}),
    taken AS (
      UPDATE "Variant" v SET stock = v.stock - w.quantity, "updatedAt" = now()
        FROM unnest(${variants.map((v) => v.key)}::text[], ${variants.map((v) => v.shopId)}::text[],
                    ${variants.map((v) => v.quantity)}::int[], ${variants.map(() => newRowId())}::text[])
             AS w(id, "shopId", quantity, "movementId")
       WHERE v.id = w.id AND v."shopId" = w."shopId" AND v.status = 'ACTIVE' AND v.stock >= w.quantity
         AND (SELECT count(*) FROM queued) = ${variants.length}
       RETURNING v.id, v."shopId", w.quantity, w."movementId")
    INSERT INTO "StockMovement" (id, "shopId", "variantId", "userId", delta, reason)
    SELECT "movementId", "shopId", id, ${userId}, -quantity, ${reasonText("reserved", orderNumber)} FROM taken
    RETURNING "variantId" AS id`);
  const short = goods.find((r) => !taken.some((t) => t.id === r.variantId));
  if (short) {
    const [row] = await tx.query<{ stock: number }>(Prisma.sql`
      SELECT stock FROM "Variant" WHERE id = ${short.variantId} AND "shopId" = ${short.shopId}`);
    return { request: short, refusal: { kind: "NOT_ENOUGH_STOCK", available: Math.max(0, row?.stock ?? 0) } };
  }

  const presales = goods.filter((r) => r.presale);
  if (presales.length === 0) return null;
  const products = summed(presales.map((r) => ({ ...r, key: r.productId })));
  const capped = await tx.query<{ id: string }>(Prisma.sql`
    UPDATE "Product" p SET "presaleReserved" = p."presaleReserved" + w.quantity
      FROM unnest(${products.map((p) => p.key)}::text[], ${products.map((p) => p.shopId)}::text[],
                  ${products.map((p) => p.quantity)}::int[]) AS w(id, "shopId", quantity)
     WHERE p.id = w.id AND p."shopId" = w."shopId"
       AND (p."presaleYieldCap" IS NULL OR p."presaleReserved" + w.quantity <= p."presaleYieldCap")
     RETURNING p.id`);
  const over = presales.find((r) => !capped.some((c) => c.id === r.productId));
  if (over) {
    const [row] = await tx.query<{ left: number }>(Prisma.sql`
      SELECT GREATEST(0, COALESCE("presaleYieldCap", 0) - "presaleReserved")::int AS left
        FROM "Product" WHERE id = ${over.productId} AND "shopId" = ${over.shopId}`);
    return { request: over, refusal: { kind: "PRESALE_CAP", available: row?.left ?? 0 } };
  }
  return null;
}

async function placesLeft(tx: SqlRunner, r: HoldRequest): Promise<number> {
  const [row] = await tx.query<{ left: number }>(Prisma.sql`
    SELECT GREATEST(0, capacity - booked)::int AS left FROM "ExperienceSlot"
     WHERE id = ${r.slotId} AND "shopId" = ${r.shopId} AND "startsAt" > ${r.now}`);
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
