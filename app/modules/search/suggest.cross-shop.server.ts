import { unscopedReadDb } from "~/db/index.server";
import { Prisma } from "~/generated/prisma/client";
import { pick } from "~/lib/i18n";
import { withSynonyms } from "./query.server";
import { normalizeText, queryWords, quoteLexeme } from "./words.server";

// Suggestions as the buyer types (/search/suggest?q=): listed products whose words start with
// what was typed (or whose pinyin does), or that hold a synonym of a whole typed word (螃蟹 →
// 大闸蟹), then live shops and villages by name. One statement, at most 8 in all; no typo tiers
// (the search page has those). Read from the replica when the request may (decision 024).

export const SUGGEST_LIMIT = 8;
const PRODUCTS = 5;

export interface Suggestions {
  products: { title: string; href: string; shop: string }[];
  shops: { name: string; href: string; village: string }[];
  villages: { name: string; href: string }[];
}

interface Row {
  kind: "product" | "shop" | "village";
  titleZh: string;
  titleEn: string | null;
  slug: string;
  shopSlug: string;
  extraZh: string;
  extraEn: string | null;
}

export async function suggest(q: string, lng: string): Promise<Suggestions> {
  const normalized = normalizeText(q).trim().slice(0, 40);
  const words = queryWords(normalized, 3);
  if (!words.length) return { products: [], shops: [], villages: [] };
  const query = Prisma.join(
    words.map((w) => Prisma.sql`(CAST(${`${quoteLexeme(w)}:*`} AS tsquery) || ${withSynonyms(w)})`),
    " && ",
  );
  const pattern = `%${normalized.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const rows = await unscopedReadDb().$queryRaw<Row[]>`
    WITH q AS (SELECT ${query} AS t),
    products AS (
      SELECT 'product' AS kind, p."titleZh", p."titleEn", p.slug, s.slug AS "shopSlug", s."nameZh" AS "extraZh", s."nameEn" AS "extraEn"
        FROM "ProductSearch" ps CROSS JOIN q
        JOIN "Product" p ON p."shopId" = ps."shopId" AND p.id = ps."productId" AND p.status = 'ACTIVE'
        JOIN "Shop" s ON s.id = p."shopId" AND s.status = 'LIVE'
       WHERE (ps.words @@ q.t OR ps.pinyin @@ q.t)
         AND EXISTS (SELECT 1 FROM "Variant" v WHERE v."productId" = p.id AND v."shopId" = p."shopId" AND v.status = 'ACTIVE')
       ORDER BY (ps.title @@ q.t) DESC, p.featured DESC, p."createdAt" DESC
       LIMIT ${PRODUCTS}
    ),
    shops AS (
      SELECT 'shop' AS kind, s."nameZh" AS "titleZh", s."nameEn" AS "titleEn", s.slug, s.slug AS "shopSlug", s."villageZh" AS "extraZh", s."villageEn" AS "extraEn"
        FROM "Shop" s
       WHERE s.status = 'LIVE' AND (s."nameZh" ILIKE ${pattern} OR s."nameEn" ILIKE ${pattern})
       ORDER BY s."nameZh" LIMIT 2
    ),
    villages AS (
      SELECT 'village' AS kind, s."villageZh" AS "titleZh", s."villageEn" AS "titleEn", s.slug, s.slug AS "shopSlug", '' AS "extraZh", NULL AS "extraEn"
        FROM "Shop" s
       WHERE s.status = 'LIVE' AND (s."villageZh" ILIKE ${pattern} OR s."villageEn" ILIKE ${pattern})
       ORDER BY s."villageZh" LIMIT 2
    )
    SELECT * FROM products UNION ALL SELECT * FROM shops UNION ALL SELECT * FROM villages`;
  const out: Suggestions = { products: [], shops: [], villages: [] };
  for (const row of rows.slice(0, SUGGEST_LIMIT)) {
    const name = pick(lng, row.titleZh, row.titleEn);
    if (row.kind === "product")
      out.products.push({
        title: name,
        href: `/s/${row.shopSlug}/p/${row.slug}`,
        shop: pick(lng, row.extraZh, row.extraEn),
      });
    else if (row.kind === "shop")
      out.shops.push({ name, href: `/s/${row.shopSlug}`, village: pick(lng, row.extraZh, row.extraEn) });
    else out.villages.push({ name, href: `/search?q=${encodeURIComponent(row.titleZh)}` });
  }
  return out;
}
