import type { Tx } from "~/db/index.server";
import { documentWords, pinyinWords } from "./words.server";

// The search module's documents: one ProductSearch row per product, rebuilt by the catalog
// writers after they change a product or a shop (docs/decisions/022-search-words.md). Triggers
// drop a row whenever its source text changes elsewhere, so a row is never stale, only missing.

export type Client = Pick<Tx, "$queryRaw" | "$executeRaw">;

interface SourceRow {
  id: string;
  shopId: string;
  titleZh: string;
  titleEn: string | null;
  summaryZh: string | null;
  summaryEn: string | null;
  giName: string | null;
  body: string | null;
  shopNameZh: string;
  shopNameEn: string;
  villageZh: string;
  villageEn: string;
  townZh: string | null;
  townEn: string | null;
  countyZh: string;
  countyEn: string;
  cityZh: string;
  cityEn: string;
}

export interface ProductDocument {
  productId: string;
  shopId: string;
  title: string[];
  shop: string[];
  summary: string[];
  words: string[];
  pinyin: string[];
  plain: string;
}

const join = (...parts: (string | null | undefined)[]) => parts.filter(Boolean).join(" ");

/** A product's document: words by where they come from, pinyin and the text for typos. */
export function productDocument(row: SourceRow): ProductDocument {
  const title = documentWords(join(row.titleZh, row.titleEn));
  const shop = documentWords(
    join(
      row.shopNameZh,
      row.shopNameEn,
      row.villageZh,
      row.villageEn,
      row.townZh,
      row.townEn,
      row.countyZh,
      row.countyEn,
      row.cityZh,
      row.cityEn,
    ),
  );
  const summary = documentWords(join(row.summaryZh, row.summaryEn, row.giName));
  const body = documentWords(row.body);
  const pinyin = pinyinWords(join(row.titleZh, row.shopNameZh, row.villageZh, row.townZh, row.countyZh));
  return {
    productId: row.id,
    shopId: row.shopId,
    title,
    shop,
    summary,
    words: [...new Set([...title, ...shop, ...summary, ...body])],
    pinyin,
    plain: join(row.titleZh, row.titleEn, row.shopNameZh, row.villageZh, pinyin.join(" ")).toLowerCase(),
  };
}

/**
 * Rebuilds the documents of a shop's products (all of them, or only those without one): two
 * statements, one when nothing is missing. Catalog writers call it after their change, with
 * their transaction: the triggers have dropped the documents whose text changed.
 */
export async function indexShopProducts(
  client: Client,
  { shopId, onlyMissing = true }: { shopId: string; onlyMissing?: boolean },
) {
  const rows = await client.$queryRaw<SourceRow[]>`
    SELECT p.id, p."shopId", p."titleZh", p."titleEn", p."summaryZh", p."summaryEn", p."giName",
           concat_ws(' ', p."descriptionZh", p."descriptionEn", p."storageZh", p."storageEn", p."includedZh",
                     p."includedEn", p."meetingPointZh", p."meetingPointEn") AS body,
           s."nameZh" AS "shopNameZh", s."nameEn" AS "shopNameEn", s."villageZh", s."villageEn", s."townZh", s."townEn",
           c."nameZh" AS "countyZh", c."nameEn" AS "countyEn", c."cityZh", c."cityEn"
      FROM "Product" p JOIN "Shop" s ON s.id = p."shopId" JOIN "County" c ON c.id = s."countyId"
     WHERE p."shopId" = ${shopId}
       AND (NOT ${onlyMissing} OR NOT EXISTS (SELECT 1 FROM "ProductSearch" ps
                                        WHERE ps."shopId" = p."shopId" AND ps."productId" = p.id))`;
  await writeDocuments(client, rows.map(productDocument));
  return rows.length;
}

async function writeDocuments(client: Client, docs: ProductDocument[]) {
  if (!docs.length) return;
  // One row per document; word lists travel as JSON arrays (no empty or NULL elements).
  const payload = JSON.stringify(docs);
  await client.$executeRaw`
    INSERT INTO "ProductSearch" ("productId", "shopId", words, title, shop, summary, pinyin, plain, "updatedAt")
    SELECT d."productId", d."shopId",
           array_to_tsvector(ARRAY(SELECT jsonb_array_elements_text(d.words))),
           array_to_tsvector(ARRAY(SELECT jsonb_array_elements_text(d.title))),
           array_to_tsvector(ARRAY(SELECT jsonb_array_elements_text(d.shop))),
           array_to_tsvector(ARRAY(SELECT jsonb_array_elements_text(d.summary))),
           array_to_tsvector(ARRAY(SELECT jsonb_array_elements_text(d.pinyin))),
           d.plain, now()
      FROM jsonb_to_recordset(${payload}::jsonb)
           AS d("productId" text, "shopId" text, words jsonb, title jsonb, shop jsonb, summary jsonb, pinyin jsonb, plain text)
    ON CONFLICT ("shopId", "productId") DO UPDATE SET words = EXCLUDED.words, title = EXCLUDED.title,
      shop = EXCLUDED.shop, summary = EXCLUDED.summary, pinyin = EXCLUDED.pinyin, plain = EXCLUDED.plain, "updatedAt" = now()`;
}
