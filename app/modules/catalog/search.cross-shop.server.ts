import { Prisma } from "~/generated/prisma/client";
import { shanghaiMonth } from "~/lib/time";
import { inSeasonCards, marketCards } from "./marketplace.cross-shop.server";
import { nearestSql, searchSql } from "~/modules/search/query.server";
import { KIND_PARAMS, type SearchParams, type SearchSort } from "./search-params";

// Marketplace search across every live shop. The words, synonyms, pinyin and typo fallbacks are
// the search module's (app/modules/search, docs/decisions/022-search-words.md); this file joins
// them with the filters and the listing's one statement. Search tolerates a second of lag: its
// reads go to the replica when the request may (docs/decisions/024-stateless-nodes.md).

export const SEARCH_PAGE_SIZE = 20;

const ORDERS: Record<SearchSort, Prisma.Sql> = {
  relevance: Prisma.sql`rank DESC, featured DESC, "createdAt" DESC, id`,
  price_asc: Prisma.sql`"minPriceFen" ASC, rank DESC, "createdAt" DESC, id`,
  price_desc: Prisma.sql`"minPriceFen" DESC, rank DESC, "createdAt" DESC, id`,
  newest: Prisma.sql`"createdAt" DESC, id`,
};

export interface SearchOptions extends Omit<SearchParams, "season"> {
  season?: boolean;
  lng: string;
  /** For "in season now" (the month in Shanghai) and experiences' future slots. */
  now?: Date;
  pageSize?: number;
}

/** One page of search results and the total number of matches: one SQL statement. */
export async function searchProducts({
  q,
  county,
  kind,
  season,
  sort,
  page,
  lng,
  now = new Date(),
  pageSize = SEARCH_PAGE_SIZE,
}: SearchOptions) {
  const month = shanghaiMonth(now);
  const words = q ? searchSql(q, month) : null;
  const conditions: Prisma.Sql[] = [];
  if (q && !words) conditions.push(Prisma.sql`FALSE`); // only punctuation: nothing can match
  if (county) conditions.push(Prisma.sql`p."countyId" IN (SELECT id FROM "County" WHERE slug = ${county})`);
  if (kind) conditions.push(Prisma.sql`p.kind = CAST(${KIND_PARAMS[kind]} AS "ProductKind")`);
  if (season) conditions.push(Prisma.sql`${month}::int = ANY(p."harvestMonths")`);

  const { total, cards } = await marketCards({
    filter: conditions.length ? Prisma.join(conditions, " AND ") : undefined,
    ...(words ?? {}),
    order: ORDERS[sort],
    mayLag: true,
    limit: pageSize,
    offset: (page - 1) * pageSize,
    lng,
    now,
  });
  return { total, page, pageCount: Math.max(1, Math.ceil(total / pageSize)), pageSize, results: cards };
}

export type SearchResults = Awaited<ReturnType<typeof searchProducts>>;

/** Cards on a page that found nothing: nearest matches and what is in season. */
export const SUGGESTION_SIZE = 4;

/**
 * For a search that found nothing: the products nearest to `q` by a looser match than search's own
 * tiers (any listed shop, no filters), and products in season now. Two statements.
 */
export async function noResultSuggestions({ q, lng, now = new Date() }: { q: string; lng: string; now?: Date }) {
  const nearest = q ? nearestSql(q) : null;
  const [near, inSeason] = await Promise.all([
    nearest
      ? marketCards({
          ...nearest,
          order: Prisma.sql`rank DESC, featured DESC, "createdAt" DESC, id`,
          mayLag: true,
          limit: SUGGESTION_SIZE,
          lng,
          now,
        }).then((found) => found.cards)
      : [],
    inSeasonCards({ lng, now, limit: SUGGESTION_SIZE, mayLag: true }),
  ]);
  return { nearest: near, inSeason };
}
