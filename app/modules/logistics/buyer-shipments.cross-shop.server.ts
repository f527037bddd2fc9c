import { unscopedDb } from "~/db/index.server";
import { pick } from "~/lib/i18n";
import type { ShipmentStatus } from "./shipment-status";
import { BUYER_HIDDEN_EVENTS, type ShipmentView } from "./shipment-views";

// The buyer's side of the shipments of one order (issue #10), keyed by shop order number.
// Reads across the order's shops: call it only for an order the buyer may see (the order page
// asks getBuyerOrder first, which answers null to anyone else).

export type BuyerShipmentView = Omit<ShipmentView, "weightGrams">;

export async function shipmentsOfOrder(orderNumber: string, lng: string): Promise<Record<string, BuyerShipmentView>> {
  const rows = await unscopedDb().shipment.findMany({
    where: { shopOrder: { order: { number: orderNumber } } },
    select: {
      shopId: true,
      status: true,
      waybillNo: true,
      carrier: true,
      parcelCount: true,
      coldChain: true,
      codAmountFen: true,
      codCollectedFen: true,
      lockerCode: true,
      reason: true,
      shopOrder: { select: { number: true } },
      partner: { select: { nameZh: true, nameEn: true } },
      pickupPoint: { select: { kind: true, nameZh: true, nameEn: true, addressZh: true, addressEn: true } },
      events: {
        where: { type: { notIn: BUYER_HIDDEN_EVENTS as never } },
        orderBy: [{ at: "asc" }, { createdAt: "asc" }],
        select: { id: true, shopId: true, type: true, at: true, note: true, lockerCode: true },
      },
    },
  });
  const views: Record<string, BuyerShipmentView> = {};
  for (const s of rows) {
    const status = s.status as ShipmentStatus;
    views[s.shopOrder.number] = {
      status,
      partnerName: s.partner ? pick(lng, s.partner.nameZh, s.partner.nameEn) : null,
      waybillNo: s.waybillNo,
      carrier: s.carrier,
      parcelCount: s.parcelCount,
      coldChain: s.coldChain,
      codAmountFen: s.codAmountFen,
      codCollectedFen: s.codCollectedFen,
      pickupPoint: s.pickupPoint
        ? {
            kind: s.pickupPoint.kind,
            name: pick(lng, s.pickupPoint.nameZh, s.pickupPoint.nameEn),
            address: pick(lng, s.pickupPoint.addressZh, s.pickupPoint.addressEn),
          }
        : null,
      lockerCode: s.lockerCode,
      reason: status === "FAILED" || status === "RETURNED" ? s.reason : null,
      events: s.events
        .filter((e) => e.shopId === s.shopId)
        .map((e) => ({
          id: e.id,
          type: e.type,
          at: e.at.toISOString(),
          // A partner's note can be internal; the buyer sees the reason of a failed delivery only.
          note: e.type === "failed" ? e.note : null,
          lockerCode: e.lockerCode,
        })),
    };
  }
  return views;
}
