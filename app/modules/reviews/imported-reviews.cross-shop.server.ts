import { blocklistMatcher } from "./blocklist.cross-shop.server";
import { maskName, MAX_REPLY_TEXT, MAX_REVIEW_TEXT } from "./review-display";

// Reviews written in bulk by a loader (the embedded demo's first start), not typed by a buyer on
// a page: one INSERT … SELECT for all of them, under the same rules as writeReview — only a line
// of a DELIVERED shop order, one review per line (a line already reviewed is skipped), stars 1–5,
// the name fixed at writing from the order (王** when anonymous), the blocklist holds; a reply only
// on a published review. ProductStats follows by its triggers, as for any review.
// docs/decisions/023-reviews.md.

/** Runs one SQL statement with $n parameters and gives its rows (the app's raw connection). */
type Query = (sql: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;

export interface ImportedReview {
  lineId: string;
  stars: number;
  text: string;
  anonymous: boolean;
  reply: string | null;
  createdAt: Date;
  repliedAt: Date | null;
}

/** Writes the reviews; returns how many were written (lines not delivered or already reviewed are skipped). */
export async function importReviews(query: Query, reviews: ImportedReview[]): Promise<number> {
  const valid = reviews.filter(
    (r) =>
      Number.isInteger(r.stars) &&
      r.stars >= 1 &&
      r.stars <= 5 &&
      r.text.trim() !== "" &&
      r.text.length <= MAX_REVIEW_TEXT &&
      (r.reply === null || (r.reply.trim() !== "" && r.reply.length <= MAX_REPLY_TEXT)),
  );
  if (valid.length === 0) return 0;
  const lines = await query(
    `SELECT l.id, o."contactName" AS name
       FROM "ShopOrderLine" l JOIN "ShopOrder" so ON so.id = l."shopOrderId" AND so."shopId" = l."shopId"
       JOIN "Order" o ON o.id = so."orderId"
      WHERE l.id = ANY($1::text[]) AND so.status = 'DELIVERED' AND l."productId" IS NOT NULL`,
    [valid.map((r) => r.lineId)],
  );
  const names = new Map(lines.map((l) => [String(l.id), String(l.name).trim() || "*"]));
  const heldBy = await blocklistMatcher();
  const rows = [];
  for (const r of valid) {
    const name = names.get(r.lineId);
    if (name === undefined) continue;
    const held = heldBy(r.text);
    rows.push({ ...r, name: r.anonymous ? maskName(name) : name, held, reply: held ? null : r.reply });
  }
  if (rows.length === 0) return 0;
  const written = await query(
    `INSERT INTO "Review" (id, "shopId", "productId", "shopOrderLineId", "userId", "authorName", anonymous, stars,
                           text, status, "heldWord", reply, "repliedAt", "photoCount", "createdAt", "updatedAt")
     SELECT 'rv' || md5(u.line), l."shopId", l."productId", l.id, o."userId", u.name, u.anonymous, u.stars, u.text,
            (CASE WHEN u.held IS NULL THEN 'PUBLISHED' ELSE 'HELD' END)::"ReviewStatus", u.held,
            u.reply, CASE WHEN u.reply IS NULL THEN NULL ELSE u.replied END, 0, u.created,
            greatest(u.created, coalesce(u.replied, u.created))
       FROM unnest($1::text[], $2::text[], $3::boolean[], $4::int[], $5::text[], $6::text[], $7::text[],
                   $8::timestamptz[], $9::timestamptz[])
            AS u(line, name, anonymous, stars, text, held, reply, created, replied)
       JOIN "ShopOrderLine" l ON l.id = u.line
       JOIN "ShopOrder" so ON so.id = l."shopOrderId" AND so."shopId" = l."shopId" AND so.status = 'DELIVERED'
       JOIN "Order" o ON o.id = so."orderId"
     ON CONFLICT ("shopId", "shopOrderLineId") DO NOTHING
     RETURNING id`,
    [
      rows.map((r) => r.lineId),
      rows.map((r) => r.name),
      rows.map((r) => r.anonymous),
      rows.map((r) => r.stars),
      rows.map((r) => r.text),
      rows.map((r) => r.held),
      rows.map((r) => r.reply),
      rows.map((r) => r.createdAt),
      rows.map((r) => r.repliedAt ?? r.createdAt),
    ],
  );
  return written.length;
}
