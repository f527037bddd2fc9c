import type { Tx } from "~/db/index.server";
import type { ShipmentStatus } from "./shipment-status";

// A shipment as its partner sees it: the partner API's body (GET /shipments/:id, the feed's
// items) and the push payload's `data`. One function, so the pull and the push never disagree.
// The recipient's mobile is given whole: the partner calls the buyer to deliver (labels mask it).

export interface PartnerShipmentEvent {
  eventId: string;
  type: string;
  at: string;
  note: string | null;
  lockerCode: string | null;
  codCollectedFen: number | null;
}

export interface PartnerShipment {
  id: string;
  orderNumber: string;
  county: string;
  status: string;
  delivery: "home" | "pickup_point" | "locker";
  parcels: { count: number; weightKg: number };
  coldChain: boolean;
  waybillNo: string | null;
  carrier: string | null;
  codAmountFen: number;
  codCollectedFen: number | null;
  sender: {
    shop: string;
    cooperative: string;
    village: string;
    address: string;
    contactName: string | null;
    contactPhone: string | null;
  };
  /** Who receives it; the address only for home delivery (else the pickup point says where). */
  recipient: { name: string | null; phone: string | null; region: string | null; address: string | null };
  pickupPoint: {
    code: string;
    kind: "point" | "locker";
    name: string;
    address: string;
    lockerCode: string | null;
  } | null;
  contents: { title: string; variant: string; quantity: number; unit: string }[];
  traceCodes: string[];
  manifestId: string | null;
  reason: string | null;
  createdAt: string;
  updatedAt: string;
  events: PartnerShipmentEvent[];
}

/** Reads one shipment (naming its shop) as JSON, with the partner it is with. */
export async function partnerShipmentJson(
  tx: Tx,
  where: { id: string; shopId: string },
): Promise<{ partnerId: string | null; json: PartnerShipment } | null> {
  const s = await tx.shipment.findFirst({
    where: { id: where.id, shopId: where.shopId },
    include: {
      county: { select: { code: true } },
      pickupPoint: true,
      events: { where: { shopId: where.shopId }, orderBy: [{ at: "asc" }, { createdAt: "asc" }] },
      shop: {
        select: {
          slug: true,
          nameZh: true,
          townZh: true,
          villageZh: true,
          contactName: true,
          contactPhone: true,
          county: { select: { provinceZh: true, cityZh: true, nameZh: true } },
        },
      },
      shopOrder: {
        select: {
          number: true,
          recipientName: true,
          recipientPhone: true,
          addressRegion: true,
          addressLine: true,
          lines: {
            where: { shopId: where.shopId },
            orderBy: { id: "asc" },
            select: {
              titleZh: true,
              variantTitleZh: true,
              quantity: true,
              refundedQuantity: true,
              unit: true,
              productId: true,
            },
          },
        },
      },
    },
  });
  if (!s) return null;
  const productIds = s.shopOrder.lines.map((l) => l.productId).filter((id): id is string => id !== null);
  const batches = productIds.length
    ? await tx.batchProduct.findMany({
        where: { shopId: s.shopId, productId: { in: productIds } },
        orderBy: { batch: { harvestDate: "desc" } },
        select: { productId: true, batch: { select: { traceCode: true } } },
      })
    : [];
  // The newest batch of each product is the one being shipped.
  const traceCodes = [...new Map(batches.map((b) => [b.productId, b.batch.traceCode] as const).reverse()).values()];
  const county = s.shop.county;
  const json: PartnerShipment = {
    id: s.id,
    orderNumber: s.shopOrder.number,
    county: s.county.code,
    status: s.status.toLowerCase() as Lowercase<ShipmentStatus>,
    delivery: s.delivery === "LOCKER" ? "locker" : s.delivery === "PICKUP_POINT" ? "pickup_point" : "home",
    parcels: { count: s.parcelCount, weightKg: s.weightGrams / 1000 },
    coldChain: s.coldChain,
    waybillNo: s.waybillNo,
    carrier: s.carrier,
    codAmountFen: s.codAmountFen,
    codCollectedFen: s.codCollectedFen,
    sender: {
      shop: s.shop.slug,
      cooperative: s.shop.nameZh,
      village: s.shop.villageZh,
      address: [county.provinceZh, county.cityZh, county.nameZh, s.shop.townZh, s.shop.villageZh]
        .filter(Boolean)
        .join(""),
      contactName: s.shop.contactName,
      contactPhone: s.shop.contactPhone,
    },
    recipient: {
      name: s.shopOrder.recipientName,
      phone: s.shopOrder.recipientPhone,
      region: s.delivery === "HOME" ? s.shopOrder.addressRegion : null,
      address: s.delivery === "HOME" ? s.shopOrder.addressLine : null,
    },
    pickupPoint: s.pickupPoint
      ? {
          code: s.pickupPoint.code,
          kind: s.pickupPoint.kind === "LOCKER" ? "locker" : "point",
          name: s.pickupPoint.nameZh,
          address: s.pickupPoint.addressZh,
          lockerCode: s.lockerCode,
        }
      : null,
    contents: s.shopOrder.lines
      .filter((l) => l.quantity - l.refundedQuantity > 0)
      .map((l) => ({
        title: l.titleZh,
        variant: l.variantTitleZh,
        quantity: l.quantity - l.refundedQuantity,
        unit: l.unit,
      })),
    traceCodes,
    manifestId: s.manifestId,
    reason: s.reason,
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
    events: s.events.map((e) => ({
      eventId: e.eventId,
      type: e.type,
      at: e.at.toISOString(),
      note: e.note,
      lockerCode: e.lockerCode,
      codCollectedFen: e.codCollectedFen,
    })),
  };
  return { partnerId: s.partnerId, json };
}
