import type { DemoCatalog, DemoShop } from "./plan";

// What demo orders can buy: the live demo cooperatives (imported from tenants/, never a real
// shop), their active goods and their counties' pickup points. Raw SQL through a plain query
// function, so the same reader serves the real path, the bulk path and a benchmark's own pg
// client. Ordered by slugs and codes, not ids, so a seed means the same orders in any database.

/** Runs one SQL statement with $n parameters and gives its rows. */
export type Query = (sql: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;

export async function loadDemoCatalog(query: Query): Promise<DemoCatalog> {
  const shops = await query(
    `SELECT s.id, s.slug, s."countyId", s."shippingHomeFen", s."shippingPickupFen", s."freeShippingFromFen",
            c."provinceZh", c."cityZh", c."nameZh"
       FROM "Shop" s JOIN "County" c ON c.id = s."countyId"
      WHERE s.status = 'LIVE' AND s."isDemo"
      ORDER BY s.slug`,
  );
  const variants = await query(
    `SELECT v.id, v."shopId", v."productId", v."priceFen", p."harvestMonths"
       FROM "Variant" v JOIN "Product" p ON p.id = v."productId" AND p."shopId" = v."shopId"
       JOIN "Shop" s ON s.id = v."shopId"
      WHERE s.status = 'LIVE' AND s."isDemo" AND v.status = 'ACTIVE' AND p.status = 'ACTIVE'
        AND p.kind IN ('PRODUCE', 'SPECIALTY') AND NOT p.presale AND v."priceFen" > 0
      ORDER BY p.slug, v.sku`,
  );
  const points = await query(
    `SELECT id, "countyId", kind::text AS kind FROM "PickupPoint"
      WHERE active AND "cityZh" IS NULL ORDER BY code`,
  );
  return {
    shops: shops.map((s): DemoShop => ({
      id: String(s.id),
      slug: String(s.slug),
      county: { provinceZh: String(s.provinceZh), cityZh: String(s.cityZh), nameZh: String(s.nameZh) },
      rates: {
        shippingHomeFen: Number(s.shippingHomeFen),
        shippingPickupFen: Number(s.shippingPickupFen),
        freeShippingFromFen: s.freeShippingFromFen === null ? null : Number(s.freeShippingFromFen),
      },
      points: points
        .filter((p) => p.countyId === s.countyId)
        .map((p) => ({ id: String(p.id), kind: p.kind === "LOCKER" ? "LOCKER" : "POINT" })),
      variants: variants
        .filter((v) => v.shopId === s.id)
        .map((v) => ({
          id: String(v.id),
          productId: String(v.productId),
          priceFen: Number(v.priceFen),
          harvestMonths: ((v.harvestMonths as number[] | null) ?? []).map(Number),
        })),
    })),
  };
}
