import { pick } from "~/lib/i18n";
import { toPicture, type ImageWithRenditions } from "~/modules/media/picture";
import { ratingSummary } from "~/modules/reviews/review-display";
import { stockState, type ProductCardData, type ProductTag } from "./types";

/** What a product tile is made of, however it was loaded. */
export interface ProductCardSource {
  slug: string;
  kind: ProductCardData["kind"];
  titleZh: string;
  titleEn: string | null;
  summaryZh: string | null;
  summaryEn: string | null;
  presale: boolean;
  /** The cheapest active option, if any. */
  cheapest: { priceFen: number; unit: string } | null;
  /** The dearest active option's price (equal to the cheapest's when all cost the same). */
  maxPriceFen: number | null;
  /** Units in stock over the active options; for experiences, places left in future slots. */
  available: number;
  image: ImageWithRenditions | null;
  /** Kept chilled on the way (冷链). */
  coldChain: boolean;
  /** A geographic-indication product (地理标志). */
  gi: boolean;
  /** The cheapest option's strike-through price (划线价), if set. */
  compareAtFen: number | null;
  /** Its shop ships the cheapest option free (包邮). */
  freeShipping: boolean;
  /** The product's roll-up (decision 023): published reviews' stars, and units delivered. */
  ratingSum: number;
  ratingCount: number;
  soldQuantity: number;
}

/** The tags a tile shows, in this order (issue #13). */
export function cardTags(p: Pick<ProductCardSource, "freeShipping" | "coldChain" | "presale" | "gi">): ProductTag[] {
  const tags: ProductTag[] = [];
  if (p.freeShipping) tags.push("freeShipping");
  if (p.coldChain) tags.push("coldChain");
  if (p.presale) tags.push("presale");
  if (p.gi) tags.push("gi");
  return tags;
}

/** A product as a tile: title and summary in the page's language, the lowest price, stock. */
export function toProductCard(p: ProductCardSource, lng: string): ProductCardData {
  const title = pick(lng, p.titleZh, p.titleEn);
  return {
    slug: p.slug,
    kind: p.kind,
    title,
    summary: pick(lng, p.summaryZh, p.summaryEn),
    minPriceFen: p.cheapest?.priceFen ?? null,
    pricesVary: p.cheapest !== null && p.maxPriceFen !== null && p.maxPriceFen > p.cheapest.priceFen,
    unit: p.cheapest?.unit ?? null,
    // Experiences show only whether places are left, not how many across all dates.
    stock: p.kind === "EXPERIENCE" ? (p.available > 0 ? { state: "in" } : { state: "out" }) : stockState(p.available),
    presale: p.presale,
    picture: p.image ? toPicture(p.image, lng, title) : null,
    compareAtFen: p.cheapest && p.compareAtFen !== null && p.compareAtFen > p.cheapest.priceFen ? p.compareAtFen : null,
    tags: cardTags(p),
    rating: ratingSummary(p),
  };
}
