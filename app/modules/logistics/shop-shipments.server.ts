import { db } from "~/db/index.server";
import { pick } from "~/lib/i18n";
import { platformOrigin } from "~/lib/origins.server";
import { qrSvg } from "~/modules/trace/qr.server";
import { tracePageUrl } from "~/modules/trace/trace-code";
import { packingDefaults } from "./packing.server";
import type { ShipmentStatus } from "./shipment-status";
import { maskMobile, type ShipmentView } from "./shipment-views";

// The cooperative's side of its shipments (issue #10): the shipment on the order page, the
// pack form's defaults and the parcel labels. Every read names the shop.

const SHIPMENT_SELECT = {
  id: true,
  status: true,
  partnerId: true,
  waybillNo: true,
  carrier: true,
  parcelCount: true,
  weightGrams: true,
  coldChain: true,
  codAmountFen: true,
  codCollectedFen: true,
  lockerCode: true,
  reason: true,
  partner: { select: { nameZh: true, nameEn: true } },
  pickupPoint: { select: { kind: true, nameZh: true, nameEn: true, addressZh: true, addressEn: true } },
} as const;

/** The shop order's shipment with its whole timeline, or null (not packed yet, or an experience). */
export async function shopShipmentView(
  shopId: string,
  shopOrderId: string,
  lng: string,
): Promise<(ShipmentView & { partnerId: string | null }) | null> {
  const s = await db().shipment.findFirst({
    where: { shopId, shopOrderId },
    select: {
      ...SHIPMENT_SELECT,
      events: {
        where: { shopId },
        orderBy: [{ at: "asc" }, { createdAt: "asc" }],
        select: { id: true, type: true, at: true, note: true, lockerCode: true },
      },
    },
  });
  if (!s) return null;
  return {
    status: s.status as ShipmentStatus,
    partnerId: s.partnerId,
    partnerName: s.partner ? pick(lng, s.partner.nameZh, s.partner.nameEn) : null,
    waybillNo: s.waybillNo,
    carrier: s.carrier,
    parcelCount: s.parcelCount,
    weightGrams: s.weightGrams,
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
    reason: s.reason,
    events: s.events.map((e) => ({
      id: e.id,
      type: e.type,
      at: e.at.toISOString(),
      note: e.note,
      lockerCode: e.lockerCode,
    })),
  };
}

/**
 * What the pack form starts with: one parcel, cold chain when a product asks for it, and the
 * weight of the goods when every variant has one (else the cooperative weighs the parcel).
 */
export async function packFormDefaults(shopId: string, shopOrderId: string) {
  const [defaults, lines] = await Promise.all([
    packingDefaults(shopId, shopOrderId),
    db().shopOrderLine.findMany({
      where: { shopId, shopOrderId, kind: { not: "EXPERIENCE" } },
      select: { quantity: true, refundedQuantity: true, variant: { select: { weightGrams: true } } },
    }),
  ]);
  const weights = lines.map((l) => (l.variant?.weightGrams ?? 0) * (l.quantity - l.refundedQuantity));
  const known = lines.length > 0 && lines.every((l) => (l.variant?.weightGrams ?? 0) > 0);
  const grams = weights.reduce((sum, w) => sum + w, 0);
  return { ...defaults, weightGrams: known && grams > 0 ? grams : null };
}

export interface ParcelLabel {
  /** 1-based: "i / n". */
  index: number;
  count: number;
  partnerName: string | null;
  waybillNo: string;
  waybillQrSvg: string;
  traceUrl: string | null;
  traceQrSvg: string | null;
  orderNumber: string;
  sender: { cooperative: string; village: string; phone: string | null };
  recipient: { name: string; phone: string; address: string | null };
  pickupPoint: { kind: "POINT" | "LOCKER"; name: string; address: string; code: string } | null;
  lockerCode: string | null;
  codAmountFen: number;
  coldChain: boolean;
  weightGrams: number;
}

/**
 * One label per parcel of the shop order with that number in this shop, or null (not this
 * shop's, or nothing shipped). The trace QR code is the newest batch of the order's goods, on
 * the configured public origin (never the request's Host).
 */
export async function parcelLabels(
  shopId: string,
  shopOrderNumber: string,
  lng: string,
): Promise<ParcelLabel[] | null> {
  const so = await db().shopOrder.findFirst({
    where: { shopId, number: shopOrderNumber },
    select: {
      number: true,
      recipientName: true,
      recipientPhone: true,
      addressRegion: true,
      addressLine: true,
      delivery: true,
      order: { select: { contactName: true, contactPhone: true } },
      lines: { where: { shopId }, select: { productId: true } },
      shop: {
        select: {
          nameZh: true,
          nameEn: true,
          townZh: true,
          townEn: true,
          villageZh: true,
          villageEn: true,
          contactPhone: true,
          county: { select: { provinceZh: true, cityZh: true, nameZh: true, nameEn: true } },
        },
      },
    },
  });
  if (!so) return null;
  const s = await db().shipment.findFirst({
    where: { shopId, shopOrder: { number: shopOrderNumber } },
    select: {
      ...SHIPMENT_SELECT,
      pickupPoint: {
        select: { kind: true, code: true, nameZh: true, nameEn: true, addressZh: true, addressEn: true },
      },
    },
  });
  if (!s || s.status === "CANCELLED") return null;
  const productIds = so.lines.map((l) => l.productId).filter((id): id is string => id !== null);
  const batch = productIds.length
    ? await db().batchProduct.findFirst({
        where: { shopId, productId: { in: productIds } },
        orderBy: { batch: { harvestDate: "desc" } },
        select: { batch: { select: { traceCode: true } } },
      })
    : null;
  const traceUrl = batch ? tracePageUrl(platformOrigin(), batch.batch.traceCode) : null;
  const waybillNo = s.waybillNo ?? so.number;
  const [waybillQrSvg, traceQrSvg] = await Promise.all([qrSvg(waybillNo), traceUrl ? qrSvg(traceUrl) : null]);
  const shop = so.shop;
  const village =
    lng === "en"
      ? [shop.villageEn, shop.townEn, shop.county.nameEn].filter(Boolean).join(", ")
      : [shop.county.provinceZh, shop.county.cityZh, shop.county.nameZh, shop.townZh, shop.villageZh]
          .filter(Boolean)
          .join("");
  const base = {
    count: s.parcelCount,
    partnerName: s.partner ? pick(lng, s.partner.nameZh, s.partner.nameEn) : null,
    waybillNo,
    waybillQrSvg,
    traceUrl,
    traceQrSvg,
    orderNumber: so.number,
    sender: { cooperative: pick(lng, shop.nameZh, shop.nameEn), village, phone: shop.contactPhone },
    recipient: {
      name: so.recipientName ?? so.order.contactName,
      phone: maskMobile(so.recipientPhone ?? so.order.contactPhone),
      address: so.delivery === "HOME" ? [so.addressRegion, so.addressLine].filter(Boolean).join(" ") : null,
    },
    pickupPoint: s.pickupPoint
      ? {
          kind: s.pickupPoint.kind,
          code: s.pickupPoint.code,
          name: pick(lng, s.pickupPoint.nameZh, s.pickupPoint.nameEn),
          address: pick(lng, s.pickupPoint.addressZh, s.pickupPoint.addressEn),
        }
      : null,
    lockerCode: s.lockerCode,
    codAmountFen: s.codAmountFen,
    coldChain: s.coldChain,
    weightGrams: s.weightGrams,
  };
  return Array.from({ length: s.parcelCount }, (_, i) => ({ ...base, index: i + 1 }));
}
