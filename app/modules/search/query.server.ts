import { Prisma } from "~/generated/prisma/client";
import { hanCharacters, hasHan, normalizeText, queryWords, quoteLexeme, wordParts } from "./words.server";

// How a query finds products (docs/decisions/022-search-words.md), as SQL pieces for the
// marketplace's one-statement listing (p = ProductListing: one narrow row per product with its
// lowercased titles and texts, decision 039; ps = ProductSearch; sq = this query's tsqueries and
// lowercased patterns, computed once). Tiers, best first; only the best tier that finds
// anything is shown, so a fallback never outranks or dilutes exact words:
//   4  every query word (or a synonym, or its parts) is a word of the product
//   3  pinyin or initials (yangshan, yssmt), as prefixes
//   2  trigram similarity (small typos), each Latin word and each run of Chinese on its own
//   1  a one-character query as a substring
// Within a tier: where the words matched (title 4, shop 3, summary 2, elsewhere 1), then in
// season, then units sold.

/** Words past this many are ignored (each one is an AND-ed condition). */
export const MAX_QUERY_WORDS = 5;
/** word_similarity() a typo must reach for each piece of the query. */
const TYPO_SIMILARITY = 0.45;
/** Share of a Chinese piece's characters a typo must keep in the titles or shop names. */
const TYPO_CHARACTERS = 0.66;

export interface SearchSql {
  ctes: Prisma.Sql;
  join: Prisma.Sql;
  tier: Prisma.Sql;
  rank: Prisma.Sql;
}

/** `%term%` for ILIKE, with the term's own wildcards taken literally. */
function containsPattern(term: string) {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The tsquery text of one query word: itself, or its parts together (synonyms join in SQL). */
function wordQuery(word: string) {
  const parts = wordParts(word);
  return parts.length ? `${quoteLexeme(word)} | (${parts.map(quoteLexeme).join(" & ")})` : quoteLexeme(word);
}

/** The word's tsquery in SQL, with every synonym the table gives it (search, and suggestions). */
export function withSynonyms(word: string) {
  // Its groups' words, then the narrower words of every member (茶叶 = 茶, 茶 finds 碧螺春).
  return Prisma.sql`CAST(${wordQuery(word)} || coalesce((
      WITH same AS (
        SELECT ${word}::text AS x
        UNION SELECT x FROM "SearchSynonym" sy CROSS JOIN unnest(array_prepend(sy.term, sy.words)) x
         WHERE NOT sy."oneWay" AND (sy.term = ${word} OR ${word} = ANY(sy.words))
      ), found AS (
        SELECT x FROM same
        UNION SELECT x FROM "SearchSynonym" sy CROSS JOIN unnest(sy.words) x
         WHERE sy."oneWay" AND sy.term IN (SELECT x FROM same)
      )
      SELECT ' | ' || string_agg('''' || replace(x, '''', '''''') || '''', ' | ') FROM found
       WHERE x <> '' AND x <> ${word}), '') AS tsquery)`;
}

// A documentless product's fallback: the pattern (lowercased once, in sq) in any of its titles,
// summaries, shop, village or county names. The listing keeps them lowercased, one a line, and
// no pattern holds a line break: as ILIKE on each field, in one LIKE (decision 039).
const anyTextMatches = (i: number) => Prisma.sql`p.texts LIKE ${Prisma.raw(`sq.l${i}`)}`;
const titleMatches = (i: number) => Prisma.sql`p.titles LIKE ${Prisma.raw(`sq.l${i}`)}`;

/** The SQL that finds and ranks products for `q`; null when `q` holds no word at all. */
export function searchSql(q: string, month: number): SearchSql | null {
  const normalized = normalizeText(q).trim();
  const words = queryWords(q, MAX_QUERY_WORDS);
  const oneChar = [...normalized].length === 1;
  if (!words.length && !oneChar) return null;

  const n = Math.max(words.length, 1);
  const columns = words.map((word, i) => Prisma.sql`${withSynonyms(word)} AS ${Prisma.raw(`q${i}`)}`);
  // The LIKE patterns of the fallbacks: l0… one per word, lone for a one-character query.
  const single = containsPattern(normalized);
  const patterns = [
    ...words.map((word, i) => Prisma.sql`lower(${containsPattern(word)}) AS ${Prisma.raw(`l${i}`)}`),
    Prisma.sql`lower(${single}) AS lone`,
  ];
  const all = words.length
    ? Prisma.join(
        words.map((_, i) => Prisma.raw(`sq.q${i}`)),
        " && ",
      )
    : Prisma.sql`NULL::tsquery`;

  // Pinyin: a query of Latin letters only, each word a prefix.
  const latin = /^[a-z ]+$/.test(normalized) ? normalized.split(/\s+/).filter(Boolean).slice(0, MAX_QUERY_WORDS) : [];
  const pinyinQuery = latin.length ? latin.map((w) => `${quoteLexeme(w)}:*`).join(" & ") : null;

  // Typos: each Latin word must be close to the product's text (trigrams); each run of three or
  // more Chinese characters must keep most of its characters in the titles or shop names.
  const latinPieces = normalized.match(/[\p{L}\p{N}]{3,}/gu)?.filter((piece) => !hasHan(piece)) ?? [];
  const hanPieces = normalized.match(/\p{Script=Han}{3,}/gu) ?? [];
  const pieces = [
    ...latinPieces.map((piece) => Prisma.sql`word_similarity(${piece}, ps.plain)`),
    ...hanPieces.map((piece) => {
      const chars = hanCharacters(piece);
      const found = chars.map((ch) => {
        const lexeme = quoteLexeme(ch);
        return Prisma.sql`(CASE WHEN ps.title @@ CAST(${lexeme} AS tsquery) OR ps.shop @@ CAST(${lexeme} AS tsquery) THEN 1 ELSE 0 END)`;
      });
      // Scaled so that keeping TYPO_CHARACTERS of them reaches TYPO_SIMILARITY.
      return Prisma.sql`(${Prisma.join(found, " + ")})::float8 / ${chars.length} * ${TYPO_SIMILARITY / TYPO_CHARACTERS}`;
    }),
  ].slice(0, MAX_QUERY_WORDS);
  const typo = pieces.length
    ? Prisma.join(
        pieces.map((piece) => Prisma.sql`${piece} >= ${TYPO_SIMILARITY}`),
        " AND ",
      )
    : Prisma.sql`FALSE`;
  const typoScore = pieces.length ? Prisma.join(pieces, " + ") : Prisma.sql`0`;

  const unindexed = words.length
    ? Prisma.join(
        words.map((_, i) => anyTextMatches(i)),
        " AND ",
      )
    : Prisma.sql`FALSE`;

  const tier = Prisma.sql`CASE
    WHEN ps.words @@ sq.qall THEN 4
    WHEN ps."productId" IS NULL AND ${unindexed} THEN 4
    WHEN sq.qpinyin IS NOT NULL AND ps.pinyin @@ sq.qpinyin THEN 3
    WHEN ${typo} THEN 2
    WHEN ${oneChar} AND (ps.plain ILIKE ${single} OR p.texts LIKE sq.lone) THEN 1
    ELSE 0 END`;

  const wordScores = words.map((_, i) => {
    const qi = Prisma.raw(`sq.q${i}`);
    return Prisma.sql`CASE WHEN ps.title @@ ${qi} THEN 4 WHEN ps.shop @@ ${qi} THEN 3 WHEN ps.summary @@ ${qi} THEN 2
      WHEN ps.words @@ ${qi} THEN 1
      WHEN ps."productId" IS NULL AND ${titleMatches(i)} THEN 4
      WHEN ps."productId" IS NULL THEN 1 ELSE 0 END`;
  });
  const score = Prisma.sql`CASE WHEN ps.words @@ sq.qall OR ps."productId" IS NULL
      THEN (${words.length ? Prisma.join(wordScores, " + ") : Prisma.sql`0`})::float8 / ${n}
    ELSE 4 * (${typoScore})::float8 / ${Math.max(pieces.length, 1)} END`;
  const inSeason = Prisma.sql`CASE WHEN ${month}::int = ANY(p."harvestMonths") THEN 1 ELSE 0 END`;
  // Units sold: the product's roll-up (ProductStats, decision 023; what its tile shows as sold),
  // copied into its listing row by triggers (decisions 035, 039), so a match costs no lookup.
  const sold = Prisma.sql`p."soldQuantity"::float8`;

  return {
    ctes: Prisma.sql`sq AS MATERIALIZED (
      SELECT ${columns.length ? Prisma.sql`${Prisma.join(columns, ", ")},` : Prisma.empty}
             ${Prisma.join(patterns, ", ")}, CAST(${pinyinQuery} AS tsquery) AS qpinyin),
    sqa AS MATERIALIZED (SELECT sq.*, ${all} AS qall FROM sq),`,
    join: Prisma.sql`LEFT JOIN "ProductSearch" ps ON ps."productId" = p.id AND ps."shopId" = p."shopId"
      CROSS JOIN sqa sq`,
    tier,
    // Score (0–4) in tens, then in season, then a fraction that grows with units sold.
    rank: Prisma.sql`round((${score})::numeric, 2)::float8 * 10 + ${inSeason} + ${sold} / (${sold} + 1)`,
  };
}

export const hasChinese = hasHan;

/** What a looser match must reach (0–1) to be offered as "nearest" on a page that found nothing. */
const NEAREST_MIN = 0.25;

/**
 * For a search that found nothing: products that share some of the query — each Chinese
 * character found in a title or shop name counts (螃蟹 → the crabs, by 蟹), each Latin word by
 * trigram similarity at a lower bar than the typo tier. Null when the query holds neither.
 */
export function nearestSql(q: string): (Pick<SearchSql, "join" | "rank"> & { filter: Prisma.Sql }) | null {
  const normalized = normalizeText(q).trim();
  const chars = hanCharacters(normalized).slice(0, 10);
  const latin = [...new Set(normalized.match(/[\p{L}\p{N}]{3,}/gu)?.filter((piece) => !hasHan(piece)) ?? [])].slice(
    0,
    MAX_QUERY_WORDS,
  );
  const parts: Prisma.Sql[] = [];
  if (chars.length) {
    const found = chars.map((ch) => {
      const lexeme = quoteLexeme(ch);
      return Prisma.sql`(CASE WHEN ps.title @@ CAST(${lexeme} AS tsquery) OR ps.shop @@ CAST(${lexeme} AS tsquery) THEN 1 ELSE 0 END)`;
    });
    parts.push(Prisma.sql`(${Prisma.join(found, " + ")})::float8 / ${chars.length}`);
  }
  for (const piece of latin) parts.push(Prisma.sql`word_similarity(${piece}, ps.plain)::float8`);
  if (!parts.length) return null;
  const score = Prisma.sql`((${Prisma.join(parts, " + ")}) / ${parts.length})`;
  return {
    join: Prisma.sql`JOIN "ProductSearch" ps ON ps."productId" = p.id AND ps."shopId" = p."shopId"`,
    filter: Prisma.sql`${score} >= ${NEAREST_MIN}`,
    rank: score,
  };
}
