import { z } from "zod";
import type { ProductCardData } from "./types";
import { decimalNumber } from "~/lib/decimal";

// The marketplace search's URL: /search?q=&county=&kind=&season=1&sort=&page=.
// A search page never refuses a link: unknown or malformed values are dropped.

export const SEARCH_SORTS = ["relevance", "price_asc", "price_desc", "newest"] as const;
export type SearchSort = (typeof SEARCH_SORTS)[number];

/** Kinds as they appear in URLs (lower case), and as stored. */
export const KIND_PARAMS = {
  produce: "PRODUCE",
  specialty: "SPECIALTY",
  experience: "EXPERIENCE",
} as const satisfies Record<string, ProductCardData["kind"]>;
export type KindParam = keyof typeof KIND_PARAMS;

export const SEARCH_QUERY_MAX = 100;
const MAX_PAGE = 500;

// Built on first use: pages that only link to /search (every marketplace page, in the
// browser too) then never load zod (docs/decisions/014-client-javascript.md).
let schema: ReturnType<typeof buildSchema> | null = null;
const searchParamsSchema = () => (schema ??= buildSchema());

const buildSchema = () =>
  z.object({
    q: z
      .string()
      .catch("")
      .transform((q) => q.trim().slice(0, SEARCH_QUERY_MAX)),
    county: z
      .string()
      .regex(/^[a-z0-9-]{1,64}$/)
      .optional()
      .catch(undefined),
    kind: z
      .enum(Object.keys(KIND_PARAMS) as [KindParam, ...KindParam[]])
      .optional()
      .catch(undefined),
    season: z
      .literal("1")
      .optional()
      .catch(undefined)
      .transform((v) => v === "1"),
    sort: z.enum(SEARCH_SORTS).optional().catch(undefined),
    page: decimalNumber(z.number().int().min(1).max(MAX_PAGE)).catch(1),
  });

export interface SearchParams {
  q: string;
  county?: string;
  kind?: KindParam;
  season: boolean;
  /** Relevance when there is a query, else newest. */
  sort: SearchSort;
  page: number;
}

export function parseSearchParams(search: URLSearchParams): SearchParams {
  const raw = Object.fromEntries([...search.keys()].map((key) => [key, search.get(key) ?? undefined]));
  const parsed = searchParamsSchema().parse({ ...raw, page: raw.page ?? 1 });
  return { ...parsed, sort: parsed.sort ?? (parsed.q ? "relevance" : "newest") };
}

/** The /search link for these parameters, leaving out defaults so links stay short. */
export function searchHref(params: Partial<SearchParams>) {
  const search = new URLSearchParams();
  if (params.q) search.set("q", params.q);
  if (params.county) search.set("county", params.county);
  if (params.kind) search.set("kind", params.kind);
  if (params.season) search.set("season", "1");
  if (params.sort && params.sort !== (params.q ? "relevance" : "newest")) search.set("sort", params.sort);
  if (params.page && params.page > 1) search.set("page", String(params.page));
  return search.size ? `/search?${search}` : "/search";
}
