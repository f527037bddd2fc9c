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

/** A refused hold: the line and why. */
export type HoldRefused = { request: HoldRequest; refusal: HoldRefusal };

/** What the hold's CTEs took, as the statement that ran them returns it (`heldRowsSql`). */
export interface HeldRows {
  heldSlots: string[];
  heldVariants: string[];
  heldProducts: string[];
}

/**
 * The holds of one order's lines as CTEs (`hold_queue`, `hold_slots`, `hold_variants`,
 * `hold_movements`, `hold_presale`) for a statement's WITH list: slot places, variant stock with a
 * movement per variant taken, pre-sale yield, each one set-based UPDATE that keeps the condition of
 * a single hold (… AND stock >= n), so concurrent orders cannot oversell. The text is the same for
 * every order (every list is an array parameter; an empty one updates nothing), so it can be
 * prepared. `heldRowsSql` selects what they took; `refusalIn` names the first line refused. A
 * statement that ran them for a refused line must be rolled back: the other holds were made.
 *
 * `hold_queue` is the order's place in line for those rows: a transaction-level advisory lock per
 * slot and variant, taken one after the other (slots, then variants, each sorted by key) before
 * either UPDATE touches a row, released at COMMIT or ROLLBACK with the row locks. PostgreSQL grants
 * an advisory lock to its waiters in the order they asked; a row lock alone does not: when its
 * holder commits, every buyer waiting on that row wakes, finds it changed, and they race for the
 * next version, so under a burst on one variant some buyers lost that race again and again and
 * waited seconds while the median waited a fraction of that, and each commit cost every waiter a
 * wake-up (issue #12, decision 042). Nothing else is held while an order waits in line, and no
 * round trip is added once it is its turn. The conditional UPDATEs under the row locks still decide;
 * the line only orders the buyers.
 */
export function holdCtes(requests: HoldRequest[]): Prisma.Sql {
  const first = requests[0];
  const orderNumber = first?.orderNumber ?? "";
  const userId = first?.userId ?? null;
  const now = first?.now ?? new Date();
  const slots = summed(
    requests.filter((r) => r.kind === "EXPERIENCE" && r.slotId).map((r) => ({ ...r, key: r.slotId! })),
  );
  const variants = summed(requests.filter((r) => r.kind !== "EXPERIENCE").map((r) => ({ ...r, key: r.variantId })));
  const products = summed(
    requests.filter((r) => r.kind !== "EXPERIENCE" && r.presale).map((r) => ({ ...r, key: r.productId })),
  );
  const queue = [...slots.map((r) => ["ExperienceSlot", r.key]), ...variants.map((r) => ["Variant", r.key])];
  return Prisma.sql`
    hold_queue AS MATERIALIZED (
      SELECT pg_advisory_xact_lock(hashtext(q.kind), hashtext(q.id))
        FROM unnest(${queue.map(([kind]) => kind)}::text[], ${queue.map(([, id]) => id)}::text[])
             WITH ORDINALITY AS q(kind, id, n)
       ORDER BY q.n
    ), hold_slots AS (
      UPDATE "ExperienceSlot" s SET booked = s.booked + w.quantity, "updatedAt" = now()
        FROM unnest(${slots.map((s) => s.key)}::text[], ${slots.map((s) => s.shopId)}::text[],
                    ${slots.map((s) => s.productId)}::text[], ${slots.map((s) => s.quantity)}::int[])
             AS w(id, "shopId", "productId", quantity)
       WHERE s.id = w.id AND s."shopId" = w."shopId" AND s."productId" = w."productId"
         AND s."startsAt" > ${now} AND s.booked + w.quantity <= s.capacity
         AND (SELECT count(*) FROM hold_queue) = ${queue.length}
       RETURNING s.id
    ), hold_variants AS (
      UPDATE "Variant" v SET stock = v.stock - w.quantity, "updatedAt" = now()
        FROM unnest(${variants.map((v) => v.key)}::text[], ${variants.map((v) => v.shopId)}::text[],
                    ${variants.map((v) => v.quantity)}::int[], ${variants.map(() => newRowId())}::text[])
             AS w(id, "shopId", quantity, "movementId")
       WHERE v.id = w.id AND v."shopId" = w."shopId" AND v.status = 'ACTIVE' AND v.stock >= w.quantity
         AND (SELECT count(*) FROM hold_queue) = ${queue.length}
       RETURNING v.id, v."shopId", w.quantity, w."movementId"
    ), hold_movements AS (
      INSERT INTO "StockMovement" (id, "shopId", "variantId", "userId", delta, reason)
      SELECT "movementId", "shopId", id, ${userId}, -quantity, ${reasonText("reserved", orderNumber)} FROM hold_variants
      RETURNING "variantId"
    ), hold_presale AS (
      UPDATE "Product" p SET "presaleReserved" = p."presaleReserved" + w.quantity
        FROM unnest(${products.map((p) => p.key)}::text[], ${products.map((p) => p.shopId)}::text[],
                    ${products.map((p) => p.quantity)}::int[]) AS w(id, "shopId", quantity)
       WHERE p.id = w.id AND p."shopId" = w."shopId"
         AND (p."presaleYieldCap" IS NULL OR p."presaleReserved" + w.quantity <= p."presaleYieldCap")
         AND (SELECT count(*) FROM hold_variants) = ${variants.length}
       RETURNING p.id
    )`;
}

/** The select list that reports what holdCtes took (HeldRows). */
export const heldRowsSql = Prisma.sql`ARRAY(SELECT id FROM hold_slots) AS "heldSlots",
  ARRAY(SELECT "variantId" FROM hold_movements) AS "heldVariants",
  ARRAY(SELECT id FROM hold_presale) AS "heldProducts"`;

/** A line no hold can take (an experience without its slot), before any SQL. */
export function unholdable(requests: HoldRequest[]): HoldRefused | null {
  const noSlot = requests.find((r) => r.kind === "EXPERIENCE" && !r.slotId);
  return noSlot ? { request: noSlot, refusal: { kind: "UNAVAILABLE" } } : null;
}

/**
 * The first line the holds refused and why (slots, then stock, then pre-sale yield, as they were
 * always checked), reading what is left in the same transaction; null when everything was taken.
 */
export async function refusalIn(tx: SqlRunner, requests: HoldRequest[], held: HeldRows): Promise<HoldRefused | null> {
  const full = requests.find((r) => r.kind === "EXPERIENCE" && !held.heldSlots.includes(r.slotId!));
  if (full) return { request: full, refusal: { kind: "SLOT_FULL", available: await placesLeft(tx, full) } };
  const short = requests.find((r) => r.kind !== "EXPERIENCE" && !held.heldVariants.includes(r.variantId));
  if (short) {
    const [row] = await tx.query<{ stock: number }>(Prisma.sql`
      SELECT stock FROM "Variant" WHERE id = ${short.variantId} AND "shopId" = ${short.shopId}`);
    return { request: short, refusal: { kind: "NOT_ENOUGH_STOCK", available: Math.max(0, row?.stock ?? 0) } };
  }
  const over = requests.find((r) => r.kind !== "EXPERIENCE" && r.presale && !held.heldProducts.includes(r.productId));
  if (over) {
    const [row] = await tx.query<{ left: number }>(Prisma.sql`
      SELECT GREATEST(0, COALESCE("presaleYieldCap", 0) - "presaleReserved")::int AS left
        FROM "Product" WHERE id = ${over.productId} AND "shopId" = ${over.shopId}`);
    return { request: over, refusal: { kind: "PRESALE_CAP", available: row?.left ?? 0 } };
  }
  return null;
}

/**
 * Takes what all the lines of one order need in one statement (holdCtes), or names the first line
 * refused and why. On refusal the caller rolls the transaction back. (Checkout runs the same CTEs
 * inside the order's own statement instead: place-order.)
 */
export async function holdAll(tx: SqlRunner, requests: HoldRequest[]): Promise<HoldRefused | null> {
  if (requests.length === 0) return null;
  const refused = unholdable(requests);
  if (refused) return refused;
  const [held] = await tx.query<HeldRows>(Prisma.sql`WITH ${holdCtes(requests)} SELECT ${heldRowsSql}`);
  return refusalIn(tx, requests, held!);
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
