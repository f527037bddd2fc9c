import { db } from "~/db/index.server";

// What the product page's add-to-cart form needs besides what the catalog shows: the ids to
// submit and how many can be taken now (variant stock, or places left in a slot).

interface ChoiceRow {
  kind: "PRODUCE" | "SPECIALTY" | "EXPERIENCE";
  variants: { id: string; sku: string; stock: number }[];
  /** startsAt as PostgreSQL writes a timestamp in JSON. */
  slots: { id: string; startsAt: string; capacity: number; booked: number }[];
}

/** As many future slots as the product page offers. */
const CHOICE_SLOTS = 24;

export async function cartChoices({
  shopId,
  productSlug,
  now = new Date(),
}: {
  shopId: string;
  productSlug: string;
  now?: Date;
}) {
  // One statement (the product page's third): the product's kind, active options and next slots.
  const [product] = await db().$queryRaw<ChoiceRow[]>`
    SELECT p.kind::text AS kind,
           coalesce((
             SELECT json_agg(json_build_object('id', v.id, 'sku', v.sku, 'stock', v.stock) ORDER BY v.position, v.id)
               FROM "Variant" v
              WHERE v."productId" = p.id AND v."shopId" = p."shopId" AND v.status = 'ACTIVE'
           ), '[]'::json) AS variants,
           coalesce((
             SELECT json_agg(json_build_object('id', sl.id, 'startsAt', sl."startsAt",
                                               'capacity', sl.capacity, 'booked', sl.booked) ORDER BY sl."startsAt", sl.id)
               FROM (SELECT * FROM "ExperienceSlot" s
                      WHERE s."productId" = p.id AND s."shopId" = p."shopId" AND s."startsAt" > ${now}
                      ORDER BY s."startsAt", s.id
                      LIMIT ${CHOICE_SLOTS}) sl
           ), '[]'::json) AS slots
      FROM "Product" p
     WHERE p."shopId" = ${shopId} AND p.slug = ${productSlug}`;
  if (!product) return { shopId, variants: [], slots: [] };
  const experience = product.kind === "EXPERIENCE";
  return {
    /** Posted with the variant: /cart/add finds it by its key (shopId, id), decision 028. */
    shopId,
    /** For experiences a variant is a ticket type: its bound is the chosen slot's places. */
    variants: product.variants.map((v) => ({
      id: v.id,
      sku: v.sku,
      available: experience ? null : Math.max(0, v.stock),
    })),
    slots: product.slots.map((s) => ({
      id: s.id,
      startsAt: new Date(s.startsAt).toISOString(),
      placesLeft: Math.max(0, s.capacity - s.booked),
    })),
  };
}

export type CartChoices = Awaited<ReturnType<typeof cartChoices>>;
