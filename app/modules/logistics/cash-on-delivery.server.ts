import type { Tx } from "~/db/index.server";
import { logger } from "~/lib/logger.server";
import { recordCodHeld } from "~/modules/ledger/ledger.server";
import { moveShopOrder, type LockedShopOrder } from "~/modules/orders/moves.server";
import { giveBackKept, markCashCollected } from "~/modules/orders/settle.cross-shop.server";
import { isCashOnDelivery } from "~/modules/orders/status";
import { recordSecurityEvent } from "~/modules/security/security-log.server";

// Cash on delivery as it really works (issue #10): a 货到付款 shop order is ACCEPTED by the
// cooperative (goods kept, nothing booked), packed and shipped with the amount to collect; the
// partner collects the cash at the door and reports it with the delivery. Only then is the shop
// order paid, and the cash is the cooperative's money held by the partner until the partner pays
// the platform (COD_HELD_BY_PARTNER, then COD_REMITTED: docs/decisions/016). Goods of a failed
// delivery that come back return to stock and the order is cancelled.

/**
 * The partner delivered a cash-on-delivery parcel. Books once however often the delivery is
 * reported (the ledger's dedupe keys; paidAt only when unset). A reported amount that differs
 * from the amount to collect (or none reported) is booked as the partner reports it — the partner
 * holds what it says it collected, and the expected amount stays on the shipment — and flagged
 * in the security log and on both money pages; a missing report holds the amount printed on the
 * label, which the partner was asked to collect.
 */
export async function bookCashOnDelivery(
  tx: Tx,
  so: LockedShopOrder,
  collected: { collectedFen: number | null; now: Date },
): Promise<void> {
  const shipment = await tx.shipment.findFirst({
    where: { shopId: so.shopId, shopOrderId: so.id },
    select: { id: true, partnerId: true, codAmountFen: true },
  });
  if (!shipment || shipment.codAmountFen <= 0) return;
  const already = await tx.ledgerEntry.findFirst({
    where: { shopId: so.shopId, dedupeKey: `cod-held:${so.id}` },
    select: { id: true },
  });
  if (already) return;
  await markCashCollected(tx, so, collected.now);
  if (!shipment.partnerId) return;
  const heldFen = collected.collectedFen ?? shipment.codAmountFen;
  const differs = collected.collectedFen !== shipment.codAmountFen;
  await recordCodHeld(
    tx,
    so,
    {
      partnerId: shipment.partnerId,
      amountFen: heldFen,
      memo: differs
        ? `${so.number} cod-mismatch expected=${shipment.codAmountFen} reported=${collected.collectedFen ?? "none"}`
        : so.number,
    },
    collected.now,
  );
  if (differs) {
    logger.warn(
      { shopOrder: so.number, expectedFen: shipment.codAmountFen, reportedFen: collected.collectedFen },
      "cash on delivery: the partner reported a different amount",
    );
    await recordSecurityEvent(
      {
        type: "cod_amount_mismatch",
        shopId: so.shopId,
        detail: {
          shopOrder: so.number,
          shipmentId: shipment.id,
          partnerId: shipment.partnerId,
          expectedFen: shipment.codAmountFen,
          reportedFen: collected.collectedFen,
        },
      },
      tx,
    );
  }
}

/**
 * The parcel came back to the cooperative after a failed delivery. An unpaid cash-on-delivery
 * order gives its goods back to stock and is cancelled; a prepaid one is left to the cooperative,
 * which refunds the buyer from the order page and puts the goods back in stock there (the order
 * page says so).
 */
export async function goodsCameBack(tx: Tx, so: LockedShopOrder, at: { now: Date }): Promise<void> {
  const row = await tx.shopOrder.findFirstOrThrow({
    where: { id: so.id, shopId: so.shopId },
    select: { paidAt: true, order: { select: { number: true, provider: true, offlineMethod: true } } },
  });
  if (!isCashOnDelivery(row.order) || row.paidAt !== null) return;
  if (so.status !== "HANDED_OVER" && so.status !== "PACKED") return;
  if (so.status === "PACKED")
    await moveShopOrder(tx, so, "HANDED_OVER", { kind: "SYSTEM" }, { now: at.now, note: "logistics" });
  await giveBackKept(tx, so, row.order.number, null, "returned");
  await moveShopOrder(tx, so, "CANCELLED", { kind: "SYSTEM" }, { now: at.now, note: "returned" });
}
