import { pick } from "~/lib/i18n";
import { toPicture, type ImageWithRenditions } from "~/modules/media/picture";
import { ratingSummary } from "~/modules/reviews/review-schema";
import { stockState, type ProductCardData } from "./types";

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
  /** The product's roll-up (decision 023): published reviews' stars, and units delivered. */
  ratingSum: number;
  ratingCount: number;
  soldQuantity: number;
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
    rating: ratingSummary(p),
  };
}
