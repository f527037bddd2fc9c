import type { RatingSummary } from "~/modules/reviews/review-display";
import type { PictureData } from "~/modules/media/presets";

// Stock as buyers see it: plenty, only a few left, or sold out.
const LOW_STOCK = 5;

export type StockState = { state: "in" } | { state: "low"; count: number } | { state: "out" };

export function stockState(stock: number): StockState {
  if (stock <= 0) return { state: "out" };
  if (stock <= LOW_STOCK) return { state: "low", count: stock };
  return { state: "in" };
}

/** Whether options cost different amounts: only then does a price read "from ¥…". */
export function pricesVary(prices: number[]): boolean {
  return prices.some((price) => price !== prices[0]);
}

/** A product as a tile in a list. */
export interface ProductCardData {
  slug: string;
  kind: "PRODUCE" | "SPECIALTY" | "EXPERIENCE";
  title: string;
  summary: string | null;
  minPriceFen: number | null;
  /** Whether the active options cost different amounts (the tile then says "from"). */
  pricesVary: boolean;
  unit: string | null;
  stock: StockState;
  presale: boolean;
  picture: PictureData | null;
  /** The strike-through 划线价 of the cheapest option, when above its price. */
  compareAtFen: number | null;
  tags: ProductTag[];
  /** Average stars (null without reviews), how many reviews, and 已售 (units delivered). */
  rating: RatingSummary;
}

/** 包邮, 冷链, 预售, 地理标志 on a product tile. */
export type ProductTag = "freeShipping" | "coldChain" | "presale" | "gi";
