import { db } from "~/db/index.server";
import { pick } from "~/lib/i18n";
import { toPicture } from "~/modules/media/picture";
import { toProductCard } from "./product-card";
import { pricesVary, stockState, type ProductCardData } from "./types";

// What buyers see of one shop's catalog. Every query names the shop.

export async function listShopProducts({ shopId, lng }: { shopId: string; lng: string }): Promise<ProductCardData[]> {
  const products = await db().product.findMany({
    where: { shopId, status: "ACTIVE" },
    orderBy: [{ featured: "desc" }, { position: "asc" }],
    include: {
      variants: { where: { shopId, status: "ACTIVE" }, orderBy: { priceFen: "asc" } },
      images: { where: { shopId }, orderBy: { position: "asc" }, take: 1, include: { renditions: true } },
      slots: { where: { shopId, startsAt: { gt: new Date() } }, select: { capacity: true, booked: true } },
    },
  });
  return products.map((p) =>
    toProductCard(
      {
        ...p,
        cheapest: p.variants[0] ?? null,
        maxPriceFen: p.variants.at(-1)?.priceFen ?? null, // ordered by price
        available:
          p.kind === "EXPERIENCE"
            ? p.slots.reduce((sum, s) => sum + Math.max(0, s.capacity - s.booked), 0)
            : p.variants.reduce((sum, v) => sum + v.stock, 0),
        image: p.images[0] ?? null,
      },
      lng,
    ),
  );
}

export async function getShopProduct({ shopId, slug, lng, now = new Date() }: { shopId: string; slug: string; lng: string; now?: Date }) {
  const p = await db().product.findUnique({
    where: { shopId_slug: { shopId, slug }, shopId },
    include: {
      variants: { where: { shopId, status: "ACTIVE" }, orderBy: { position: "asc" } },
      images: { where: { shopId }, orderBy: { position: "asc" }, include: { renditions: true } },
      slots: { where: { shopId, startsAt: { gt: now } }, orderBy: { startsAt: "asc" }, take: 24 },
      batches: {
        where: { shopId },
        include: { batch: { select: { traceCode: true, harvestDate: true, productNameZh: true, productNameEn: true } } },
      },
    },
  });
  if (!p || p.status !== "ACTIVE") return null;
  const title = pick(lng, p.titleZh, p.titleEn);
  return {
    slug: p.slug,
    kind: p.kind,
    title,
    summary: pick(lng, p.summaryZh, p.summaryEn),
    description: pick(lng, p.descriptionZh, p.descriptionEn),
    harvestMonths: p.harvestMonths,
    coldChain: p.coldChain,
    shelfLifeDays: p.shelfLifeDays,
    storage: pick(lng, p.storageZh, p.storageEn),
    presale: p.presale ? { shipBy: p.presaleShipBy?.toISOString() ?? null, yieldCap: p.presaleYieldCap } : null,
    gi: p.giName ? { name: p.giName, authNumber: p.giAuthNumber } : null,
    experience:
      p.kind === "EXPERIENCE"
        ? {
            durationMinutes: p.durationMinutes,
            meetingPoint: pick(lng, p.meetingPointZh, p.meetingPointEn),
            included: pick(lng, p.includedZh, p.includedEn),
          }
        : null,
    pricesVary: pricesVary(p.variants.map((v) => v.priceFen)),
    variants: p.variants.map((v) => ({
      sku: v.sku,
      title: pick(lng, v.titleZh, v.titleEn),
      unit: v.unit,
      priceFen: v.priceFen,
      compareAtFen: v.compareAtFen,
      stock: p.kind === "EXPERIENCE" ? null : stockState(v.stock),
    })),
    slots: p.slots.map((s) => ({
      startsAt: s.startsAt.toISOString(),
      endsAt: s.endsAt.toISOString(),
      placesLeft: Math.max(0, s.capacity - s.booked),
    })),
    pictures: p.images.map((image, i) => toPicture(image, lng, `${title} ${i + 1}`)),
    batches: p.batches.map((b) => ({
      traceCode: b.batch.traceCode,
      harvestDate: b.batch.harvestDate.toISOString(),
      name: pick(lng, b.batch.productNameZh, b.batch.productNameEn),
    })),
  };
}

export type StorefrontProduct = NonNullable<Awaited<ReturnType<typeof getShopProduct>>>;
