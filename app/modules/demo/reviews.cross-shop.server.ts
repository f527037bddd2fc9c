import { importReviews, type ImportedReview } from "~/modules/reviews/imported-reviews.cross-shop.server";
import type { Query } from "./catalog.cross-shop.server";
import { createRng, type Rng } from "./prng";

// Reviews for the embedded demo's delivered orders (issue #13 §2), so that cards, shop pages and
// product pages show ratings and words from buyers on first open: about half of the delivered
// lines of the demo cooperatives get one, mostly 4–5 stars, in Chinese, some anonymous (王**),
// some answered by the cooperative. Written through the reviews module (its rules, its table;
// ProductStats follows by the database's triggers). Seeded: one seed, the same reviews.

const HOUR = 3_600_000;

const PRAISE: Record<string, readonly string[]> = {
  PRODUCE: [
    "很新鲜，收到的时候还带着露水，家里老人孩子都爱吃。",
    "个头均匀，味道比超市买的好太多了，已经回购第二次。",
    "冷链到的，打开还是凉的，一个坏的都没有，包装很用心。",
    "产地直发就是不一样，甜度刚好，下次还来。",
    "比预想的还要好，分给邻居尝了都说好，准备再订一箱。",
  ],
  SPECIALTY: [
    "正宗的老味道，和小时候在村里吃的一样。",
    "包装结实，送人很有面子，收到的朋友一直夸。",
    "分量足，日期新鲜，合作社的东西放心。",
    "第三次买了，品质一直稳定，家里常备。",
    "味道醇厚，配料简单干净，值这个价。",
  ],
};
const SO_SO = [
  "整体还行，就是物流慢了一天，东西本身没问题。",
  "味道不错，个头比图片上小一点，性价比还可以。",
  "包装有点挤压，好在东西没坏，客服态度很好。",
];
const POOR = ["到货有几个磕碰了，希望下次包装再加强一点。", "这次的口感一般，没有上次的好。"];
const REPLIES = [
  "谢谢您的支持！我们每天现采现发，欢迎常来村里看看。",
  "感谢好评，合作社的乡亲们看到都很高兴，期待您再次光临！",
  "谢谢您的反馈，我们已经加厚了包装，下次一定让您更满意。",
  "抱歉给您添麻烦了，已经联系您补发，有问题随时找我们。",
];

interface Line {
  id: string;
  kind: string;
  deliveredAt: Date;
}

function reviewOf(rng: Rng, line: Line, now: Date): ImportedReview {
  const stars = rng.weighted([5, 4, 3, 2, 1], (s) => ({ 5: 62, 4: 26, 3: 8, 2: 3, 1: 1 })[s]!);
  const text = stars >= 4 ? rng.pick(PRAISE[line.kind] ?? PRAISE.SPECIALTY!) : rng.pick(stars === 3 ? SO_SO : POOR);
  const createdAt = new Date(Math.min(now.getTime(), line.deliveredAt.getTime() + rng.int(2, 96) * HOUR));
  // The cooperative answers most low ratings and some of the others.
  const replied = rng.chance(stars <= 3 ? 0.8 : 0.3);
  const reply = replied ? (stars <= 3 ? rng.pick(REPLIES.slice(2)) : rng.pick(REPLIES.slice(0, 2))) : null;
  return {
    lineId: line.id,
    stars,
    text,
    anonymous: rng.chance(0.3),
    reply,
    createdAt,
    repliedAt: reply ? new Date(Math.min(now.getTime(), createdAt.getTime() + rng.int(1, 30) * HOUR)) : null,
  };
}

/** Reviews about `share` of the demo shops' delivered lines not yet reviewed; returns how many were written. */
export async function insertDemoReviews(
  query: Query,
  { seed, now = new Date(), share = 0.5 }: { seed: number; now?: Date; share?: number },
): Promise<number> {
  const rows = await query(
    `SELECT l.id, p.kind::text AS kind, so."deliveredAt"
       FROM "ShopOrderLine" l
       JOIN "ShopOrder" so ON so.id = l."shopOrderId" AND so."shopId" = l."shopId"
       JOIN "Shop" s ON s.id = l."shopId"
       JOIN "Product" p ON p.id = l."productId" AND p."shopId" = l."shopId"
      WHERE s."isDemo" AND so.status = 'DELIVERED' AND so."deliveredAt" IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM "Review" r WHERE r."shopId" = l."shopId" AND r."shopOrderLineId" = l.id)
      ORDER BY so.number, l.id`,
  );
  const rng = createRng(seed);
  const reviews: ImportedReview[] = [];
  for (const row of rows) {
    const line = { id: String(row.id), kind: String(row.kind), deliveredAt: new Date(row.deliveredAt as string) };
    if (rng.chance(share)) reviews.push(reviewOf(rng, line, now));
  }
  return importReviews(query, reviews);
}
