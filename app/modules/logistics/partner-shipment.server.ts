import type { Tx } from "~/db/index.server";
import type { ShipmentStatus } from "./shipment-status";

// A shipment as its partner sees it: the partner API's body (GET /shipments/:id, the feed's
// items) and the push payload's `data`. One function, so the pull and the push never disagree.
// The recipient's mobile is given whole: the partner calls the buyer to deliver (labels mask it).
// The feed reads a page of them in one statement (partnerShipmentsJson); one is a page of one.

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

/** One row of the details query: the shipment, its shop, order and point, events and lines as JSON. */
interface DetailRow {
  id: string;
  shopId: string;
  partnerId: string | null;
  status: string;
  delivery: string;
  parcelCount: number;
  weightGrams: number;
  coldChain: boolean;
  waybillNo: string | null;
  carrier: string | null;
  codAmountFen: number;
  codCollectedFen: number | null;
  lockerCode: string | null;
  manifestId: string | null;
  reason: string | null;
  createdAt: Date;
  updatedAt: Date;
  countyCode: string;
  shopSlug: string;
  shopNameZh: string;
  townZh: string | null;
  villageZh: string;
  contactName: string | null;
  contactPhone: string | null;
  provinceZh: string;
  cityZh: string;
  countyNameZh: string;
  orderNumber: string;
  recipientName: string | null;
  recipientPhone: string | null;
  addressRegion: string | null;
  addressLine: string | null;
  pointCode: string | null;
  pointKind: string | null;
  pointNameZh: string | null;
  pointAddressZh: string | null;
  events: PartnerShipmentEvent[];
  lines: { title: string; variant: string; quantity: number; unit: string }[];
  traceCodes: string[];
}

const ISO = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;

/**
 * Several shipments as their partner sees them, in one SQL statement (the feed's page: no query
 * per shipment). Each ref names the shipment's shop; the answer keeps the refs' order and leaves
 * out any that do not exist.
 */
export async function partnerShipmentsJson(
  tx: Tx,
  refs: readonly { id: string; shopId: string }[],
): Promise<{ partnerId: string | null; shopId: string; json: PartnerShipment }[]> {
  if (refs.length === 0) return [];
  const ids = refs.map((r) => r.id);
  const shopIds = [...new Set(refs.map((r) => r.shopId))];
  const rows = await tx.$queryRawUnsafe<DetailRow[]>(
    `
    SELECT s.id, s."shopId", s."partnerId", s.status::text AS status, s.delivery::text AS delivery,
           s."parcelCount", s."weightGrams", s."coldChain", s."waybillNo", s.carrier, s."codAmountFen",
           s."codCollectedFen", s."lockerCode", s."manifestId", s.reason, s."createdAt", s."updatedAt",
           c.code AS "countyCode",
           sh.slug AS "shopSlug", sh."nameZh" AS "shopNameZh", sh."townZh", sh."villageZh",
           sh."contactName", sh."contactPhone",
           sc."provinceZh", sc."cityZh", sc."nameZh" AS "countyNameZh",
           so.number AS "orderNumber", so."recipientName", so."recipientPhone", so."addressRegion", so."addressLine",
           pp.code AS "pointCode", pp.kind::text AS "pointKind", pp."nameZh" AS "pointNameZh",
           pp."addressZh" AS "pointAddressZh",
           COALESCE((
             SELECT json_agg(json_build_object(
                      'eventId', e."eventId", 'type', e.type::text, 'at', to_char(e.at AT TIME ZONE 'UTC', ${ISO}),
                      'note', e.note, 'lockerCode', e."lockerCode", 'codCollectedFen', e."codCollectedFen")
                    ORDER BY e.at, e."createdAt")
               FROM "ShipmentEvent" e WHERE e."shipmentId" = s.id AND e."shopId" = s."shopId"
           ), '[]'::json) AS events,
           COALESCE((
             SELECT json_agg(json_build_object(
                      'title', l."titleZh", 'variant', l."variantTitleZh",
                      'quantity', l.quantity - l."refundedQuantity", 'unit', l.unit) ORDER BY l.id)
               FROM "ShopOrderLine" l
              WHERE l."shopOrderId" = s."shopOrderId" AND l."shopId" = s."shopId" AND l.quantity > l."refundedQuantity"
           ), '[]'::json) AS lines,
           COALESCE((
             SELECT json_agg(t."traceCode" ORDER BY t."productId")
               FROM (SELECT DISTINCT ON (bp."productId") bp."productId", b."traceCode"
                       FROM "BatchProduct" bp JOIN "Batch" b ON b.id = bp."batchId" AND b."shopId" = bp."shopId"
                      WHERE bp."shopId" = s."shopId"
                        AND bp."productId" IN (SELECT l."productId" FROM "ShopOrderLine" l
                                                WHERE l."shopOrderId" = s."shopOrderId" AND l."shopId" = s."shopId")
                      ORDER BY bp."productId", b."harvestDate" DESC, b.id DESC) t
           ), '[]'::json) AS "traceCodes"
      FROM "Shipment" s
      JOIN "County" c ON c.id = s."countyId"
      JOIN "Shop" sh ON sh.id = s."shopId"
      JOIN "County" sc ON sc.id = sh."countyId"
      JOIN "ShopOrder" so ON so.id = s."shopOrderId" AND so."shopId" = s."shopId"
      LEFT JOIN "PickupPoint" pp ON pp.id = s."pickupPointId"
     WHERE s.id = ANY($1::text[]) AND s."shopId" = ANY($2::text[])`,
    ids,
    shopIds,
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  return refs.flatMap((ref) => {
    const row = byId.get(ref.id);
    return row && row.shopId === ref.shopId
      ? [{ partnerId: row.partnerId, shopId: row.shopId, json: toJson(row) }]
      : [];
  });
}

/** Reads one shipment (naming its shop) as JSON, with the partner it is with. */
export async function partnerShipmentJson(
  tx: Tx,
  where: { id: string; shopId: string },
): Promise<{ partnerId: string | null; json: PartnerShipment } | null> {
  const [one] = await partnerShipmentsJson(tx, [where]);
  return one ? { partnerId: one.partnerId, json: one.json } : null;
}

function toJson(s: DetailRow): PartnerShipment {
  return {
    id: s.id,
    orderNumber: s.orderNumber,
    county: s.countyCode,
    status: s.status.toLowerCase() as Lowercase<ShipmentStatus>,
    delivery: s.delivery === "LOCKER" ? "locker" : s.delivery === "PICKUP_POINT" ? "pickup_point" : "home",
    parcels: { count: s.parcelCount, weightKg: s.weightGrams / 1000 },
    coldChain: s.coldChain,
    waybillNo: s.waybillNo,
    carrier: s.carrier,
    codAmountFen: s.codAmountFen,
    codCollectedFen: s.codCollectedFen,
    sender: {
      shop: s.shopSlug,
      cooperative: s.shopNameZh,
      village: s.villageZh,
      address: [s.provinceZh, s.cityZh, s.countyNameZh, s.townZh, s.villageZh].filter(Boolean).join(""),
      contactName: s.contactName,
      contactPhone: s.contactPhone,
    },
    recipient: {
      name: s.recipientName,
      phone: s.recipientPhone,
      region: s.delivery === "HOME" ? s.addressRegion : null,
      address: s.delivery === "HOME" ? s.addressLine : null,
    },
    pickupPoint: s.pointCode
      ? {
          code: s.pointCode,
          kind: s.pointKind === "LOCKER" ? "locker" : "point",
          name: s.pointNameZh ?? "",
          address: s.pointAddressZh ?? "",
          lockerCode: s.lockerCode,
        }
      : null,
    contents: s.lines,
    traceCodes: s.traceCodes,
    manifestId: s.manifestId,
    reason: s.reason,
    createdAt: new Date(s.createdAt).toISOString(),
    updatedAt: new Date(s.updatedAt).toISOString(),
    events: s.events,
  };
}
