import { db } from "~/db/index.server";

// What the product page's add-to-cart form needs besides what the catalog shows: the ids to
// submit and how many can be taken now (variant stock, or places left in a slot).

export async function cartChoices({
  shopId,
  productSlug,
  now = new Date(),
}: {
  shopId: string;
  productSlug: string;
  now?: Date;
}) {
  const product = await db().product.findUnique({
    where: { shopId_slug: { shopId, slug: productSlug }, shopId },
    select: {
      kind: true,
      variants: {
        where: { shopId, status: "ACTIVE" },
        orderBy: { position: "asc" },
        select: { id: true, sku: true, stock: true },
      },
      slots: {
        where: { shopId, startsAt: { gt: now } },
        orderBy: { startsAt: "asc" },
        take: 24,
        select: { id: true, startsAt: true, capacity: true, booked: true },
      },
    },
  });
  if (!product) return { variants: [], slots: [] };
  const experience = product.kind === "EXPERIENCE";
  return {
    /** For experiences a variant is a ticket type: its bound is the chosen slot's places. */
    variants: product.variants.map((v) => ({
      id: v.id,
      sku: v.sku,
      available: experience ? null : Math.max(0, v.stock),
    })),
    slots: product.slots.map((s) => ({
      id: s.id,
      startsAt: s.startsAt.toISOString(),
      placesLeft: Math.max(0, s.capacity - s.booked),
    })),
  };
}

export type CartChoices = Awaited<ReturnType<typeof cartChoices>>;
