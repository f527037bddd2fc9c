import { unscopedDb } from "~/db/index.server";
import { assignShipment } from "./shipments.server";

// The county's shipments waiting for a partner (no rule fitted at packing, or a partner rejected
// one), read across the county's shops for the coordinator and the platform admin, and the
// hand assignment of one. Always scoped by county: a coordinator names their own.

export interface CountyScope {
  /** The coordinator's county; null: the platform admin, every county (or `filter`). */
  countyId: string | null;
}

export async function listUnassigned(scope: CountyScope, filter: { countyId?: string | null } = {}, limit = 200) {
  if (scope.countyId && filter.countyId && filter.countyId !== scope.countyId) return [];
  const countyId = scope.countyId ?? filter.countyId ?? undefined;
  const rows = await unscopedDb().shipment.findMany({
    where: { status: "UNASSIGNED", ...(countyId ? { countyId } : {}) },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take: limit,
    select: {
      id: true,
      countyId: true,
      delivery: true,
      coldChain: true,
      parcelCount: true,
      weightGrams: true,
      reason: true,
      createdAt: true,
      shop: { select: { nameZh: true, nameEn: true, townZh: true, villageZh: true } },
      shopOrder: { select: { number: true } },
      pickupPoint: { select: { nameZh: true, nameEn: true } },
    },
  });
  return rows.map(({ shopOrder, ...s }) => ({ ...s, orderNumber: shopOrder.number }));
}

export type UnassignedRow = Awaited<ReturnType<typeof listUnassigned>>[number];

export type AssignOutcome = { ok: true } | { ok: false; error: "notFound" | "partner" | "notUnassigned" };

/**
 * Gives a waiting shipment of the county to one of the county's active partners, by hand: it
 * enters the partner's feed (a new feedXid) and the day's run, and the partner is told (push).
 * A shipment of another county is "not found"; one that moved on meanwhile is refused.
 */
export async function assignUnassigned({
  scope,
  shipmentId,
  partnerId,
  userId,
  now = new Date(),
}: {
  scope: CountyScope;
  shipmentId: string;
  partnerId: string;
  userId: string;
  now?: Date;
}): Promise<AssignOutcome> {
  return unscopedDb().$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ id: string; shopId: string; countyId: string; status: string }[]>`
      SELECT id, "shopId", "countyId", status::text AS status FROM "Shipment" WHERE id = ${shipmentId} FOR UPDATE`;
    const shipment = rows[0];
    if (!shipment || (scope.countyId && shipment.countyId !== scope.countyId)) return { ok: false, error: "notFound" };
    const partner = await tx.logisticsPartner.findFirst({
      where: { id: partnerId, countyId: shipment.countyId, active: true },
      select: { id: true },
    });
    if (!partner) return { ok: false, error: "partner" };
    if (shipment.status !== "UNASSIGNED") return { ok: false, error: "notUnassigned" };
    await assignShipment(tx, { id: shipment.id, shopId: shipment.shopId }, partner.id, {
      now,
      source: "PLATFORM",
      actorUserId: userId,
    });
    return { ok: true };
  });
}
