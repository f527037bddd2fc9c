import type { Tx } from "~/db/index.server";
import type { LockedShopOrder } from "~/modules/orders/moves.server";

// Cash on delivery as it really works (issue #10): the partner collects the money at the door
// and reports it with the delivery; a failed delivery's goods come back to the cooperative.
// (The COD flow — accepted, not paid, until delivery — is completed in this file.)

export async function bookCashOnDelivery(
  _tx: Tx,
  _so: LockedShopOrder,
  _collected: { collectedFen: number | null; now: Date },
): Promise<void> {
  // Until the COD flow lands, a COD shop order is confirmed paid by the cooperative before it
  // is packed, and its ledger entries were written then: nothing more to book here.
}

export async function goodsCameBack(_tx: Tx, _so: LockedShopOrder, _at: { now: Date }): Promise<void> {
  // Prepaid goods that come back are the cooperative's to refund from the order page.
}
