import type { Tx } from "~/db/index.server";

// The county's rules for who carries a shipment: an active partner of the shop's county that
// takes the delivery method (and cold chain when needed) and serves the shop's township or
// village (a partner with no areas serves the whole county). Among those that fit, the one
// that names the place most closely (village over township over the whole county), then the
// county centre before the post and express companies, then the oldest: predictable, and the
// coordinator can always re-assign by hand.

export interface AssignmentNeeds {
  countyId: string;
  delivery: "HOME" | "PICKUP_POINT" | "LOCKER";
  coldChain: boolean;
  townZh: string | null;
  villageZh: string;
  /** The chosen pickup point's partner, if it belongs to one: that network delivers it. */
  pickupPartnerId?: string | null;
}

const KIND_ORDER = { COUNTY_CENTRE: 0, POST: 1, EXPRESS: 2 } as const;

export async function choosePartner(tx: Tx, needs: AssignmentNeeds): Promise<string | null> {
  const service = needs.delivery;
  const partners = await tx.logisticsPartner.findMany({
    where: { countyId: needs.countyId, active: true },
    orderBy: { createdAt: "asc" },
    select: { id: true, kind: true, areas: true, services: true },
  });
  // The services are matched here, not in SQL: a county has a handful of partners, and the
  // embedded database's adapter cannot bind an enum array for `hasEvery`.
  const wanted = needs.coldChain ? [service, "COLD_CHAIN" as const] : [service];
  const scored = partners
    .filter((p) => wanted.every((s) => p.services.includes(s)))
    .map((p) => {
      const closeness = p.areas.includes(needs.villageZh)
        ? 0
        : needs.townZh && p.areas.includes(needs.townZh)
          ? 1
          : p.areas.length === 0
            ? 2
            : null;
      return { p, closeness };
    })
    .filter((x): x is { p: (typeof partners)[number]; closeness: number } => x.closeness !== null);
  if (needs.pickupPartnerId) {
    const own = scored.find((x) => x.p.id === needs.pickupPartnerId);
    if (own) return own.p.id;
  }
  scored.sort((a, b) => a.closeness - b.closeness || KIND_ORDER[a.p.kind] - KIND_ORDER[b.p.kind]);
  return scored[0]?.p.id ?? null;
}
