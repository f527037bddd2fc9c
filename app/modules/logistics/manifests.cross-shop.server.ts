import { unscopedDb } from "~/db/index.server";
import type {
  CollectStopResult,
  Counts,
  Manifest,
  ManifestShipment,
  ManifestStop,
  ManifestSummary,
  ManifestTownship,
  Totals,
} from "./manifest-schemas";
import { reportShipmentEvent } from "./partner-actions.cross-shop.server";

// Consolidated pickup runs (共同配送, issue #10). assignShipment puts each assigned shipment on its
// partner's run of the day (route = the shop's township) with a stop at the shop. A run is read
// across the shops it visits, so this file is cross-shop — and every read names the partner:
// another partner's (or county's) run, stop or shipment is simply not found.

const NO_TOWNSHIP = "—";

function zero(): Counts {
  return { shipments: 0, parcels: 0, weightGrams: 0 };
}

function emptyTotals(): Totals {
  return { all: zero(), ambient: zero(), cold: zero() };
}

function addTo(totals: Totals, s: { parcelCount: number; weightGrams: number; coldChain: boolean }) {
  for (const c of [totals.all, s.coldChain ? totals.cold : totals.ambient]) {
    c.shipments += 1;
    c.parcels += s.parcelCount;
    c.weightGrams += s.weightGrams;
  }
}

function sumTotals(parts: Totals[]): Totals {
  const t = emptyTotals();
  for (const p of parts)
    for (const k of ["all", "ambient", "cold"] as const) {
      t[k].shipments += p[k].shipments;
      t[k].parcels += p[k].parcels;
      t[k].weightGrams += p[k].weightGrams;
    }
  return t;
}

/** "YYYY-MM-DD" → the @db.Date value; null when not a calendar date. */
export function runDateOf(text: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return null;
  const d = new Date(`${text}T00:00:00Z`);
  return Number.isNaN(d.getTime()) || !d.toISOString().startsWith(text) ? null : d;
}

/** Shipments that still travel on a run: every status but cancelled, of this partner. */
function liveShipmentsWhere(partnerId: string, manifestIds: string[]) {
  return { manifestId: { in: manifestIds }, partnerId, status: { not: "CANCELLED" as const } };
}

/** A partner's runs of one day (Asia/Shanghai), by route, with their totals. */
export async function listManifests({
  partnerId,
  date,
}: {
  partnerId: string;
  date: string;
}): Promise<ManifestSummary[]> {
  const runDate = runDateOf(date);
  if (!runDate) return [];
  const prisma = unscopedDb();
  const manifests = await prisma.manifest.findMany({
    where: { partnerId, runDate },
    orderBy: [{ route: "asc" }, { id: "asc" }],
    select: { id: true, runDate: true, route: true, county: { select: { code: true } }, stops: true },
  });
  if (manifests.length === 0) return [];
  const shipments = await prisma.shipment.findMany({
    where: liveShipmentsWhere(
      partnerId,
      manifests.map((m) => m.id),
    ),
    select: { manifestId: true, shopId: true, parcelCount: true, weightGrams: true, coldChain: true },
  });
  return manifests.map((m) => {
    const mine = shipments.filter((s) => s.manifestId === m.id);
    const totals = emptyTotals();
    mine.forEach((s) => addTo(totals, s));
    const stopShops = new Set(mine.map((s) => s.shopId));
    const stops = m.stops.filter((st) => stopShops.has(st.stopShopId));
    return {
      id: m.id,
      runDate: m.runDate.toISOString().slice(0, 10),
      route: m.route,
      county: m.county.code,
      stops: stops.length,
      collectedStops: stops.filter((st) => st.collectedAt).length,
      totals,
    };
  });
}

/**
 * One run of the partner: parcels grouped by township → village → stop (a cooperative), cold
 * chain apart, with counts and weights at every level. Cancelled shipments are left out, and so
 * are stops left with nothing to collect. Null when it is not this partner's run.
 */
export async function getManifest({ partnerId, id }: { partnerId: string; id: string }): Promise<Manifest | null> {
  const prisma = unscopedDb();
  const m = await prisma.manifest.findFirst({
    where: { id, partnerId },
    select: {
      id: true,
      runDate: true,
      route: true,
      county: { select: { code: true, provinceZh: true, cityZh: true, nameZh: true } },
      partner: { select: { nameZh: true } },
      stops: { orderBy: { id: "asc" } },
    },
  });
  if (!m) return null;
  const shipments = await prisma.shipment.findMany({
    where: liveShipmentsWhere(partnerId, [m.id]),
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: {
      id: true,
      shopId: true,
      status: true,
      delivery: true,
      coldChain: true,
      parcelCount: true,
      weightGrams: true,
      codAmountFen: true,
      waybillNo: true,
      lockerCode: true,
      reason: true,
      pickupPoint: { select: { nameZh: true, addressZh: true } },
      shopOrder: {
        select: { number: true, recipientName: true, addressRegion: true, addressLine: true },
      },
    },
  });
  const shopIds = [...new Set(shipments.map((s) => s.shopId))];
  const shops = await prisma.shop.findMany({
    where: { id: { in: shopIds } },
    select: {
      id: true,
      nameZh: true,
      townZh: true,
      villageZh: true,
      contactName: true,
      contactPhone: true,
      county: { select: { provinceZh: true, cityZh: true, nameZh: true } },
    },
  });
  const shopById = new Map(shops.map((s) => [s.id, s]));

  const townships = new Map<string, Map<string, ManifestStop[]>>();
  for (const stop of m.stops) {
    const shop = shopById.get(stop.stopShopId);
    if (!shop) continue; // nothing left to collect there
    const items: ManifestShipment[] = shipments
      .filter((s) => s.shopId === stop.stopShopId)
      .map((s) => ({
        id: s.id,
        orderNumber: s.shopOrder.number,
        waybillNo: s.waybillNo,
        status: s.status.toLowerCase(),
        delivery: s.delivery === "LOCKER" ? "locker" : s.delivery === "PICKUP_POINT" ? "pickup_point" : "home",
        coldChain: s.coldChain,
        parcels: s.parcelCount,
        weightGrams: s.weightGrams,
        codAmountFen: s.codAmountFen,
        recipientName: s.shopOrder.recipientName,
        destination: s.pickupPoint
          ? `${s.pickupPoint.nameZh} ${s.pickupPoint.addressZh}`
          : [s.shopOrder.addressRegion, s.shopOrder.addressLine].filter(Boolean).join(" "),
        lockerCode: s.lockerCode,
        reason: s.reason,
      }));
    const totals = emptyTotals();
    items.forEach((s) => addTo(totals, { parcelCount: s.parcels, weightGrams: s.weightGrams, coldChain: s.coldChain }));
    const c = shop.county;
    const entry: ManifestStop = {
      id: stop.id,
      cooperative: {
        name: shop.nameZh,
        address: [c.provinceZh, c.cityZh, c.nameZh, shop.townZh, shop.villageZh].filter(Boolean).join(""),
        contactName: shop.contactName,
        contactPhone: shop.contactPhone,
      },
      collectedAt: stop.collectedAt?.toISOString() ?? null,
      totals,
      shipments: items.filter((s) => !s.coldChain),
      coldChain: items.filter((s) => s.coldChain),
    };
    const town = shop.townZh ?? NO_TOWNSHIP;
    const villages = townships.get(town) ?? new Map<string, ManifestStop[]>();
    townships.set(town, villages);
    villages.set(shop.villageZh, [...(villages.get(shop.villageZh) ?? []), entry]);
  }

  const byName = (a: string, b: string) => a.localeCompare(b, "zh-CN");
  const groups: ManifestTownship[] = [...townships.entries()]
    .sort(([a], [b]) => byName(a, b))
    .map(([name, villages]) => {
      const vs = [...villages.entries()]
        .sort(([a], [b]) => byName(a, b))
        .map(([vname, stops]) => {
          const sorted = [...stops].sort((a, b) => byName(a.cooperative.name, b.cooperative.name));
          return { name: vname, totals: sumTotals(sorted.map((s) => s.totals)), stops: sorted };
        });
      return { name, totals: sumTotals(vs.map((v) => v.totals)), villages: vs };
    });
  const allStops = groups.flatMap((g) => g.villages.flatMap((v) => v.stops));
  return {
    id: m.id,
    runDate: m.runDate.toISOString().slice(0, 10),
    route: m.route,
    county: m.county.code,
    partner: m.partner.nameZh,
    stops: allStops.length,
    collectedStops: allStops.filter((s) => s.collectedAt).length,
    totals: sumTotals(groups.map((g) => g.totals)),
    townships: groups,
  };
}

export type CollectOutcome = { ok: true; result: CollectStopResult } | { ok: false; error: "notFound" };

/**
 * Marks a stop collected and records picked_up for each of its shipments through
 * reportShipmentEvent. The event ids come from the stop, so a second press (or an API retry)
 * records nothing new; the time of the first press is kept and reused.
 */
export async function collectStop({
  partnerId,
  manifestId,
  stopId,
  actorUserId = null,
  source,
  now = new Date(),
}: {
  partnerId: string;
  manifestId: string;
  stopId: string;
  actorUserId?: string | null;
  source: "PORTAL" | "PARTNER_API";
  now?: Date;
}): Promise<CollectOutcome> {
  const prisma = unscopedDb();
  const stop = await prisma.manifestStop.findFirst({
    where: { id: stopId, manifestId, manifest: { partnerId } },
    select: { id: true, stopShopId: true },
  });
  if (!stop) return { ok: false, error: "notFound" };
  // The first press wins the time; a repeat reads it back.
  await prisma.manifestStop.updateMany({
    where: { id: stop.id, collectedAt: null },
    data: { collectedAt: now, collectedById: actorUserId },
  });
  const { collectedAt } = await prisma.manifestStop.findUniqueOrThrow({
    where: { id: stop.id },
    select: { collectedAt: true },
  });
  const at = collectedAt ?? now;
  const shipments = await prisma.shipment.findMany({
    where: { ...liveShipmentsWhere(partnerId, [manifestId]), shopId: stop.stopShopId },
    orderBy: { id: "asc" },
    select: { id: true },
  });
  const results: CollectStopResult["shipments"] = [];
  for (const s of shipments) {
    const outcome = await reportShipmentEvent({
      partnerId,
      shipmentId: s.id,
      event: { eventId: `collected:${stop.id}`, type: "picked_up", at },
      actorUserId,
      source,
    });
    if (outcome.ok)
      results.push({
        id: s.id,
        outcome: outcome.duplicate ? "duplicate" : "picked_up",
        status: outcome.status.toLowerCase(),
      });
    else results.push({ id: s.id, outcome: "not_allowed", status: (outcome.status ?? "cancelled").toLowerCase() });
  }
  return { ok: true, result: { stopId: stop.id, collectedAt: at.toISOString(), shipments: results } };
}

/** Which of these partners (a portal user's) runs the manifest; null: none of them. */
export async function manifestPartner({ partnerIds, manifestId }: { partnerIds: string[]; manifestId: string }) {
  const m = await unscopedDb().manifest.findFirst({
    where: { id: manifestId, partnerId: { in: partnerIds } },
    select: { partnerId: true },
  });
  return m?.partnerId ?? null;
}
