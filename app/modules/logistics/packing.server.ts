import { asTx, db } from "~/db/index.server";
import { lockShopOrder, moveShopOrder } from "~/modules/orders/moves.server";
import { notifyOrderChange } from "~/modules/orders/notify-buyer.cross-shop.server";
import { TransitionError } from "~/modules/orders/status";
import { createShipment, type PackedParcels } from "./shipments.server";

// A cooperative packs a shop order: it says what it packed, and in the same transaction the
// order becomes PACKED and its shipment is made and assigned (issue #10).

export type PackOutcome = { ok: true; shipmentId: string | null } | { ok: false; error: "notFound" | "notAllowed" };

export async function packShopOrder({
  shopId,
  shopOrderId,
  userId,
  parcels,
  now = new Date(),
}: {
  shopId: string;
  shopOrderId: string;
  userId: string;
  parcels: PackedParcels;
  now?: Date;
}): Promise<PackOutcome> {
  try {
    const done = await db().$transaction(async (scoped) => {
      const tx = asTx(scoped);
      const so = await lockShopOrder(tx, { shopId, id: shopOrderId });
      if (!so) return null;
      await moveShopOrder(tx, so, "PACKED", { kind: "SHOP", userId }, { now });
      const shipment = await createShipment(tx, so, parcels, { now, actorUserId: userId });
      return { orderId: so.orderId, number: so.number, shipmentId: shipment?.id ?? null };
    });
    if (!done) return { ok: false, error: "notFound" };
    await notifyOrderChange(done.orderId, "packed", done.number);
    return { ok: true, shipmentId: done.shipmentId };
  } catch (error) {
    if (error instanceof TransitionError) return { ok: false, error: "notAllowed" };
    throw error;
  }
}

/** What the pack form starts with: one parcel, cold chain when any product asks for it. */
export async function packingDefaults(shopId: string, shopOrderId: string) {
  const lines = await db().shopOrderLine.findMany({
    where: { shopId, shopOrderId },
    select: { kind: true, product: { select: { coldChain: true } } },
  });
  return {
    parcelCount: 1,
    coldChain: lines.some((l) => l.product?.coldChain === true),
    shipsGoods: lines.some((l) => l.kind !== "EXPERIENCE"),
  };
}
