import type { Tx } from "~/db/index.server";
import { assertTransition, STATUS_TIMESTAMP, type ShopOrderStatus } from "./status";

// The only place a shop order's status is written: checks the move against the state
// machine under a row lock, stamps the time, and records who made it.

export type Actor =
  | { kind: "BUYER"; userId: string | null }
  | { kind: "SHOP"; userId: string }
  | { kind: "PLATFORM"; userId: string }
  | { kind: "PROVIDER" }
  | { kind: "SYSTEM" };

export interface LockedShopOrder {
  id: string;
  shopId: string;
  orderId: string;
  number: string;
  status: ShopOrderStatus;
  totalFen: number;
  refundedFen: number;
  feeBps: number;
}

/** Reads a shop order FOR UPDATE: the caller's transaction is now the only one changing it. */
export async function lockShopOrder(tx: Tx, where: { shopId: string; id: string }): Promise<LockedShopOrder | null> {
  const rows = await tx.$queryRaw<LockedShopOrder[]>`
    SELECT id, "shopId", "orderId", number, status::text AS status, "totalFen", "refundedFen", "feeBps"
      FROM "ShopOrder" WHERE id = ${where.id} AND "shopId" = ${where.shopId} FOR UPDATE`;
  return rows[0] ?? null;
}

export async function moveShopOrder(
  tx: Tx,
  so: LockedShopOrder,
  to: ShopOrderStatus,
  actor: Actor,
  { note, now = new Date() }: { note?: string | null; now?: Date } = {},
): Promise<void> {
  assertTransition(so.status, to);
  const stamp = STATUS_TIMESTAMP[to];
  await tx.shopOrder.update({
    where: { shopId_id: { shopId: so.shopId, id: so.id } },
    data: { status: to, ...(stamp ? { [stamp]: now } : {}) },
  });
  await tx.shopOrderEvent.create({
    data: {
      shopId: so.shopId,
      shopOrderId: so.id,
      fromStatus: so.status,
      toStatus: to,
      actorKind: actor.kind,
      actorUserId: "userId" in actor ? actor.userId : null,
      note: note ?? null,
      createdAt: now,
    },
  });
  so.status = to;
}
