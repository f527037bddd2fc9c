import { Prisma } from "~/generated/prisma/client";
import { shanghaiMonth } from "~/lib/time";
import { marketCards } from "./marketplace.cross-shop.server";
import { KIND_PARAMS, type SearchParams, type SearchSort } from "./search-params";

// Marketplace search across every live shop. Chinese has no spaces, so a term matches as a
// substring (ILIKE '%term%', which also serves one- and two-character queries that trigrams
// cannot); trigram similarity of the titles (pg_trgm) then ranks the matches.

export const SEARCH_PAGE_SIZE = 20;
/** Words past this many are ignored (each one is an AND-ed condition). */
const MAX_TERMS = 5;

/** `%term%` for ILIKE, with the term's own wildcards taken literally. */
function containsPattern(term: string) {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * A term matches the product's titles or summaries, or the shop's name, village, town or
 * county. The shop's columns are matched once per shop (a hashed subquery), not once for
 * each of its products: a term found in 500 products' titles costs 500 × 4 matches, not × 12.
 */
function termMatches(pattern: string) {
  return Prisma.sql`(p."titleZh" ILIKE ${pattern} OR p."titleEn" ILIKE ${pattern}
    OR p."summaryZh" ILIKE ${pattern} OR p."summaryEn" ILIKE ${pattern}
    OR p."shopId" IN (
      SELECT ms.id FROM "Shop" ms JOIN "County" mc ON mc.id = ms."countyId"
       WHERE ms."nameZh" ILIKE ${pattern} OR ms."nameEn" ILIKE ${pattern}
          OR ms."villageZh" ILIKE ${pattern} OR ms."villageEn" ILIKE ${pattern}
          OR ms."townZh" ILIKE ${pattern} OR ms."townEn" ILIKE ${pattern}
          OR mc."nameZh" ILIKE ${pattern} OR mc."nameEn" ILIKE ${pattern}))`;
}

/** Title similarity, plus a boost for each term found in a title (a half for a summary). */
function relevance(q: string, patterns: string[]) {
  const boosts = patterns.map(
    (pattern) => Prisma.sql`CASE WHEN p."titleZh" ILIKE ${pattern} OR p."titleEn" ILIKE ${pattern} THEN 1
      WHEN p."summaryZh" ILIKE ${pattern} OR p."summaryEn" ILIKE ${pattern} THEN 0.5 ELSE 0 END`,
  );
  return Prisma.sql`greatest(similarity(p."titleZh", ${q}::text), similarity(coalesce(p."titleEn", ''), ${q}::text))
    + (${Prisma.join(boosts, " + ")}) / ${patterns.length}::float8`;
}

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
  const terms = q.split(/\s+/).filter(Boolean).slice(0, MAX_TERMS);
  const patterns = terms.map(containsPattern);
  const conditions = patterns.map(termMatches);
  if (county) conditions.push(Prisma.sql`c.slug = ${county}`);
  if (kind) conditions.push(Prisma.sql`p.kind = CAST(${KIND_PARAMS[kind]} AS "ProductKind")`);
  if (season) conditions.push(Prisma.sql`${shanghaiMonth(now)}::int = ANY(p."harvestMonths")`);

  const { total, cards } = await marketCards({
    filter: conditions.length ? Prisma.join(conditions, " AND ") : undefined,
    rank: patterns.length ? relevance(terms.join(" "), patterns) : undefined,
    order: ORDERS[sort],
    limit: pageSize,
    offset: (page - 1) * pageSize,
    lng,
    now,
  });
  return { total, page, pageCount: Math.max(1, Math.ceil(total / pageSize)), pageSize, results: cards };
}

export type SearchResults = Awaited<ReturnType<typeof searchProducts>>;
