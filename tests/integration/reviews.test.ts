import { beforeAll, describe, expect, it } from "vitest";
import { db, unscopedDb } from "~/db/index.server";
import { MissingShopScopeError } from "~/db/shop-scope.server";
import { listenForPageChanges } from "~/modules/caching/page-changes.server";
import type { PageStore } from "~/modules/caching/page-store.server";
import { actOnShopOrder } from "~/modules/orders/shop-orders.server";
import { heldBy, listBlockedWords } from "~/modules/reviews/blocklist.cross-shop.server";
import { writeReview } from "~/modules/reviews/buyer-reviews.cross-shop.server";
import { action as adminAction, loader as adminLoader } from "~/routes/admin.$shop.reviews";
import { action as writeAction, loader as writeLoader } from "~/routes/orders.$number_.review.$line";
import { loader as orderLoader } from "~/routes/orders.$number";
import { loader as accountLoader } from "~/routes/account";
import { action as platformAction, loader as platformLoader } from "~/routes/platform.reviews";
import { loader as productLoader } from "~/routes/s.$shop.p.$product";
import { loader as reviewsLoader } from "~/routes/s.$shop.p.$product_.reviews";
import { loader as shopLoader } from "~/routes/s.$shop._index";
import { addMember, createUser, getAs, postAs, run, shopIdOf, signedIn, type Session } from "../support/auth";
import { SHOP_A, SHOP_B, twoShops, type Fixture } from "./cart-fixtures";
import { fileOf, picture } from "./media-fixtures";
import { placeTestOrder, type PlacedOrder } from "./orders-fixtures";

// Reviews (issue #13 §2, decision 023), through the routes a buyer, a cooperative and the
// platform admin use: only the buyer of a delivered line may review it, once; the blocklist
// holds; the cooperative replies once to its own shop's reviews only; the platform hides with
// a reason; cards, product pages and JSON-LD show the database's averages and 已售.

let f: Fixture;
let shopA: string;
let shopB: string;
let buyerId: string;
let buyer: Session;
let stranger: Session;
let ownerA: Session;
let ownerAId: string;
let ownerB: Session;
let admin: Session;
let order: PlacedOrder;

const PRODUCT = "peach-box";

async function deliver(shopId: string, shopOrderId: string, userId: string) {
  for (const action of ["confirmPayment", "pack", "handOver", "deliver"] as const) {
    expect(await actOnShopOrder({ shopId, shopOrderId, action, userId })).toEqual({ ok: true });
  }
}

async function linesOf(shopOrderId: string) {
  return unscopedDb().shopOrderLine.findMany({
    where: { shopOrderId },
    select: { id: true, productId: true, quantity: true, sku: true },
    orderBy: { sku: "asc" },
  });
}

const writeUrl = (number: string, line: string) => `http://localhost/orders/${number}/review/${line}`;
async function postReview(session: Session | null, line: string, fields: Record<string, string | Blob | string[]>) {
  return run(writeAction as never, postAs(session, writeUrl(order.number, line), { lineId: line, ...fields }), {
    number: order.number,
    line,
  });
}

/** What the database says of a product's published reviews and delivered quantities. */
async function truth(productId: string) {
  const [row] = await unscopedDb().$queryRaw<{ sum: number; count: number; sold: number }[]>`
    SELECT (SELECT coalesce(sum(stars), 0)::int FROM "Review" WHERE "productId" = ${productId} AND status = 'PUBLISHED') AS sum,
           (SELECT count(*)::int FROM "Review" WHERE "productId" = ${productId} AND status = 'PUBLISHED') AS count,
           (SELECT coalesce(sum(l.quantity - l."refundedQuantity"), 0)::int
              FROM "ShopOrderLine" l JOIN "ShopOrder" so ON so.id = l."shopOrderId"
             WHERE l."productId" = ${productId} AND so.status = 'DELIVERED') AS sold`;
  return row!;
}

type Card = { slug: string; rating: { average: number | null; count: number; sold: number } };
async function cardOf(slug: string): Promise<Card> {
  const result = await run(shopLoader as never, new Request(`http://localhost/s/${SHOP_A}`), { shop: SHOP_A });
  expect(result.status).toBe(200);
  const card = (result.data as unknown as { products: Card[] }).products.find((p) => p.slug === slug);
  expect(card, `card ${slug}`).toBeDefined();
  return card!;
}

async function shopRating() {
  const result = await run(shopLoader as never, new Request(`http://localhost/s/${SHOP_A}`), { shop: SHOP_A });
  return (result.data as unknown as { rating: Card["rating"] }).rating;
}

type ProductPage = {
  product: {
    rating: { average: number | null; count: number; sold: number };
    reviews: { id: string; authorName: string; text: string; reply: string | null; photos: unknown[] }[];
  };
  jsonLd: Record<string, unknown> & {
    aggregateRating?: { ratingValue: number; reviewCount: number };
    review?: unknown[];
  };
};
async function productPage(): Promise<ProductPage> {
  const result = await run(productLoader as never, new Request(`http://localhost/s/${SHOP_A}/p/${PRODUCT}`), {
    shop: SHOP_A,
    product: PRODUCT,
  });
  expect(result.status).toBe(200);
  return result.data as unknown as ProductPage;
}

beforeAll(async () => {
  f = await twoShops();
  shopA = await shopIdOf(SHOP_A);
  shopB = await shopIdOf(SHOP_B);
  const b = await createUser({ name: "王小明" });
  buyerId = b.id;
  buyer = await signedIn(b.id);
  stranger = await signedIn((await createUser({ name: "张三" })).id);
  const oA = await createUser();
  ownerAId = oA.id;
  await addMember(shopA, oA.id, "OWNER");
  ownerA = await signedIn(oA.id);
  const oB = await createUser();
  await addMember(shopB, oB.id, "OWNER");
  ownerB = await signedIn(oB.id);
  admin = await signedIn((await createUser({ isPlatformAdmin: true })).id);
  order = await placeTestOrder({
    userId: buyerId,
    contactName: "王小明",
    lines: [
      { variantId: f.a.p6.id, quantity: 2 },
      { variantId: f.a.p12.id, quantity: 1 },
      { variantId: f.b.p6.id, quantity: 3 },
    ],
  });
}, 120_000);

describe("writing a review", () => {
  it("is refused before delivery, and to anyone but the order's buyer", async () => {
    const soA = order.shopOrders.get(shopA)!;
    const [line] = await linesOf(soA.id);
    // Not delivered yet: not even the buyer.
    const early = await writeReview({
      userId: buyerId,
      input: { lineId: line!.id, stars: 5, text: "好", anonymous: false },
    });
    expect(early).toEqual({ ok: false, error: "reviews.errors.notReviewable" });
    expect(
      (
        await run(writeLoader as never, getAs(buyer, writeUrl(order.number, line!.id)), {
          number: order.number,
          line: line!.id,
        })
      ).status,
    ).toBe(404);

    await deliver(shopA, soA.id, ownerAId);
    // Delivered: someone else signed in gets a 404 and writes nothing; a guest is sent to sign in.
    const other = await postReview(stranger, line!.id, { stars: "1", text: "差" });
    expect(other.status).toBe(404);
    const guest = await postReview(null, line!.id, { stars: "1", text: "差" });
    expect(guest.status).toBe(302);
    expect(guest.location).toMatch(/^\/login/);
    expect(await unscopedDb().review.count()).toBe(0);
  });

  it("publishes the buyer's review once per line, anonymous as 王**", async () => {
    const soA = order.shopOrders.get(shopA)!;
    const lines = await linesOf(soA.id);
    const p6 = lines.find((l) => l.sku.endsWith("-P6"))!;
    // The order page offers the delivered lines to the buyer only.
    const mine = await run(orderLoader as never, getAs(buyer, `http://localhost/orders/${order.number}`), {
      number: order.number,
    });
    expect(
      (mine.data as unknown as { reviewLines: { lineId: string }[] }).reviewLines.map((l) => l.lineId).sort(),
    ).toEqual(lines.map((l) => l.id).sort());

    // The account lists them too, until reviewed.
    const account = async () =>
      (
        (await run(accountLoader as never, getAs(buyer, "http://localhost/account"))).data as unknown as {
          toReview: { lineId: string }[];
        }
      ).toReview.map((l) => l.lineId);
    expect((await account()).sort()).toEqual(lines.map((l) => l.id).sort());

    // Bad input: a translated error, nothing written.
    const bad = await postReview(buyer, p6.id, { stars: "7", text: "" });
    expect(bad.status).toBe(400);
    expect((bad.data as unknown as { errors: Record<string, string> }).errors).toMatchObject({
      stars: "reviews.errors.stars",
      text: "reviews.errors.textRequired",
    });
    expect(await unscopedDb().review.count()).toBe(0);

    // The buyer's own POST without the CSRF token: refused, nothing written.
    const forged = await run(
      writeAction as never,
      postAs(buyer, writeUrl(order.number, p6.id), { lineId: p6.id, stars: "5", text: "好" }, { csrf: false }),
      { number: order.number, line: p6.id },
    );
    expect(forged.status).toBe(403);
    expect(await unscopedDb().review.count()).toBe(0);

    const written = await postReview(buyer, p6.id, { stars: "4", text: "桃子很甜，包装也好", anonymous: "on" });
    expect(written.status).toBe(302);
    expect(written.location).toBe(`/orders/${order.number}?reviewed=published#reviews`);
    const review = await unscopedDb().review.findFirstOrThrow({ where: { shopOrderLineId: p6.id } });
    expect(review).toMatchObject({
      status: "PUBLISHED",
      stars: 4,
      authorName: "王**",
      anonymous: true,
      shopId: shopA,
      userId: buyerId,
    });

    expect(await account()).not.toContain(p6.id);
    const again = await postReview(buyer, p6.id, { stars: "1", text: "再来一次" });
    expect(again.status).toBe(400);
    expect(await unscopedDb().review.count({ where: { shopOrderLineId: p6.id } })).toBe(1);
  });

  it("holds a review with a blocklisted word until the platform releases it", async () => {
    const soA = order.shopOrders.get(shopA)!;
    const p12 = (await linesOf(soA.id)).find((l) => l.sku.endsWith("-P12"))!;
    const written = await postReview(buyer, p12.id, {
      stars: "2",
      text: "有问题 加 微信 联系我",
      photos: [fileOf(await picture("png", 400, 300), "box.png", "image/png")] as unknown as string[],
    });
    expect(written.status).toBe(302);
    expect(written.location).toContain("reviewed=held");
    const held = await unscopedDb().review.findFirstOrThrow({
      where: { shopOrderLineId: p12.id },
      include: { photos: true },
    });
    expect(held).toMatchObject({ status: "HELD", heldWord: "加微信", photoCount: 1 });
    expect(held.photos).toHaveLength(1);
    // Held: not shown, not counted.
    const page = await productPage();
    expect(page.product.reviews.map((r) => r.id)).not.toContain(held.id);

    const list = await run(platformLoader as never, getAs(admin, "http://localhost/platform/reviews?status=HELD"));
    expect((list.data as unknown as { reviews: { id: string }[] }).reviews.map((r) => r.id)).toEqual([held.id]);
    const released = await run(
      platformAction as never,
      postAs(admin, "http://localhost/platform/reviews?status=HELD", {
        intent: "release",
        shopId: held.shopId,
        reviewId: held.id,
      }),
    );
    expect(released.status).toBe(302);
    expect((await unscopedDb().review.findFirstOrThrow({ where: { id: held.id } })).status).toBe("PUBLISHED");

    // Shown now, photo reviews first, with its picture's renditions.
    const after = await productPage();
    expect(after.product.reviews[0]!.id).toBe(held.id);
    expect(after.product.reviews[0]!.photos).toHaveLength(1);
  });
});

describe("the cooperative's reply", () => {
  it("answers its own shop's review once; another shop's owner can neither see nor answer it", async () => {
    const review = await unscopedDb().review.findFirstOrThrow({ where: { shopId: shopA, anonymous: true } });
    const url = `http://localhost/admin/${SHOP_A}/reviews`;

    const seenByB = await run(adminLoader as never, getAs(ownerB, url), { shop: SHOP_A });
    expect([403, 404]).toContain(seenByB.status);
    const ownB = await run(adminLoader as never, getAs(ownerB, `http://localhost/admin/${SHOP_B}/reviews`), {
      shop: SHOP_B,
    });
    expect((ownB.data as unknown as { reviews: unknown[] }).reviews).toEqual([]);
    // Through B's own admin, naming A's review: refused, nothing changes.
    const sneaky = await run(
      adminAction as never,
      postAs(ownerB, `http://localhost/admin/${SHOP_B}/reviews`, {
        intent: "reply",
        reviewId: review.id,
        reply: "我们是 B",
      }),
      { shop: SHOP_B },
    );
    expect(sneaky.status).toBe(409);
    const noCsrf = await run(
      adminAction as never,
      postAs(ownerA, url, { intent: "reply", reviewId: review.id, reply: "x" }, { csrf: false }),
      {
        shop: SHOP_A,
      },
    );
    expect(noCsrf.status).toBe(403);
    expect((await unscopedDb().review.findFirstOrThrow({ where: { id: review.id } })).reply).toBeNull();

    const list = await run(adminLoader as never, getAs(ownerA, url), { shop: SHOP_A });
    expect((list.data as unknown as { reviews: { id: string }[] }).reviews.map((r) => r.id)).toContain(review.id);
    const replied = await run(
      adminAction as never,
      postAs(ownerA, url, { intent: "reply", reviewId: review.id, reply: "谢谢您的支持！" }),
      {
        shop: SHOP_A,
      },
    );
    expect(replied.status).toBe(302);
    const second = await run(
      adminAction as never,
      postAs(ownerA, url, { intent: "reply", reviewId: review.id, reply: "再回一次" }),
      {
        shop: SHOP_A,
      },
    );
    expect(second.status).toBe(409);
    expect((await unscopedDb().review.findFirstOrThrow({ where: { id: review.id } })).reply).toBe("谢谢您的支持！");
    const shown = (await productPage()).product.reviews.find((r) => r.id === review.id);
    expect(shown?.reply).toBe("谢谢您的支持！");
  });
});

describe("ratings and 已售", () => {
  it("cards, the product page and its JSON-LD show what the database holds", async () => {
    const product = await unscopedDb().product.findFirstOrThrow({ where: { shopId: shopA, slug: PRODUCT } });
    const t = await truth(product.id);
    expect(t.count).toBe(2);
    expect(t.sold).toBe(3); // 2 × P6 + 1 × P12, delivered
    const average = Math.round((t.sum / t.count) * 10) / 10;

    expect((await cardOf(PRODUCT)).rating).toEqual({ average, count: t.count, sold: t.sold });
    // The shop's own line: every listed product's published reviews (only this product has any).
    expect(await shopRating()).toEqual({ average, count: t.count, sold: 0 });
    const page = await productPage();
    expect(page.product.rating).toEqual({ average, count: t.count, sold: t.sold });
    expect(page.jsonLd.aggregateRating).toMatchObject({
      "@type": "AggregateRating",
      ratingValue: average,
      reviewCount: t.count,
    });
    expect(page.jsonLd.review).toHaveLength(2);
    expect(page.jsonLd.review).toContainEqual(
      expect.objectContaining({
        "@type": "Review",
        author: { "@type": "Person", name: "王**" },
        reviewRating: expect.objectContaining({ ratingValue: 4 }),
      }),
    );

    // Shop B's delivery counts for B's product only.
    const soB = order.shopOrders.get(shopB)!;
    const productB = await unscopedDb().product.findFirstOrThrow({ where: { shopId: shopB, slug: PRODUCT } });
    expect((await truth(productB.id)).sold).toBe(0);
    await deliver(shopB, soB.id, (await unscopedDb().membership.findFirstOrThrow({ where: { shopId: shopB } })).userId);
    expect((await truth(productB.id)).sold).toBe(3);
    expect(
      (await db().productStats.findFirstOrThrow({ where: { shopId: shopB, productId: productB.id } })).soldQuantity,
    ).toBe(3);
    expect((await truth(product.id)).sold).toBe(3);
  });

  it("the platform hides a review with its reason: gone from pages and from the average", async () => {
    const review = await unscopedDb().review.findFirstOrThrow({ where: { shopId: shopA, anonymous: true } });
    const noReason = await run(
      platformAction as never,
      postAs(admin, "http://localhost/platform/reviews", {
        intent: "hide",
        shopId: shopA,
        reviewId: review.id,
        reason: " ",
      }),
    );
    expect(noReason.status).toBe(400);
    expect((noReason.data as unknown as { error: string }).error).toBe("reviews.errors.reasonRequired");
    // Not for a shop owner.
    const byOwner = await run(
      platformAction as never,
      postAs(ownerA, "http://localhost/platform/reviews", {
        intent: "hide",
        shopId: shopA,
        reviewId: review.id,
        reason: "x",
      }),
    );
    expect(byOwner.status).toBe(403);

    // Named with another shop, the review is not found there, and stays as it is.
    const elsewhere = await run(
      platformAction as never,
      postAs(admin, "http://localhost/platform/reviews", {
        intent: "hide",
        shopId: shopB,
        reviewId: review.id,
        reason: "人身攻击",
      }),
    );
    expect(elsewhere.status).toBe(409);
    expect((elsewhere.data as unknown as { error: string }).error).toBe("reviews.errors.notFound");
    expect((await unscopedDb().review.findFirstOrThrow({ where: { id: review.id } })).status).toBe(review.status);

    const hidden = await run(
      platformAction as never,
      postAs(admin, "http://localhost/platform/reviews", {
        intent: "hide",
        shopId: shopA,
        reviewId: review.id,
        reason: "人身攻击",
      }),
    );
    expect(hidden.status).toBe(302);
    expect(await unscopedDb().review.findFirstOrThrow({ where: { id: review.id } })).toMatchObject({
      status: "HIDDEN",
      hiddenReason: "人身攻击",
    });

    const product = await unscopedDb().product.findFirstOrThrow({ where: { shopId: shopA, slug: PRODUCT } });
    const t = await truth(product.id);
    expect(t.count).toBe(1);
    const page = await productPage();
    expect(page.product.reviews.map((r) => r.id)).not.toContain(review.id);
    expect(page.product.rating).toEqual({ average: t.sum, count: 1, sold: t.sold });
    expect(page.jsonLd.aggregateRating).toMatchObject({ ratingValue: t.sum, reviewCount: 1 });
    const all = await run(reviewsLoader as never, new Request(`http://localhost/s/${SHOP_A}/p/${PRODUCT}/reviews`), {
      shop: SHOP_A,
      product: PRODUCT,
    });
    expect((all.data as unknown as { reviews: { id: string }[] }).reviews.map((r) => r.id)).not.toContain(review.id);
  });
});

describe("the platform's blocklist editor", () => {
  const url = "http://localhost/platform/reviews?status=HELD";
  const post = (session: Session | null, fields: Record<string, string>, csrf = true) =>
    run(platformAction as never, postAs(session, url, fields, { csrf }));
  const wordsShown = async () =>
    (await run(platformLoader as never, getAs(admin, url))).data as unknown as { words: string[] };

  it("adds a word the admin types, which then holds reviews, and removes it again", async () => {
    expect(await heldBy("好吃 不贵，去 拼多多 买")).toBeNull();
    const added = await post(admin, { intent: "addWord", word: "  拼多多 " });
    expect(added.status).toBe(302);
    expect(added.location).toContain("done=addWord");
    expect((await wordsShown()).words).toContain("拼多多");
    expect(await heldBy("好吃 不贵，去 拼多多 买")).toBe("拼多多");

    const removed = await post(admin, { intent: "removeWord", word: "拼多多" });
    expect(removed.status).toBe(302);
    expect(removed.location).toContain("done=removeWord");
    expect(await listBlockedWords()).not.toContain("拼多多");
    expect(await heldBy("拼多多")).toBeNull();
    // Removed twice (a second tab): a clear answer, nothing changes.
    const again = await post(admin, { intent: "removeWord", word: "拼多多" });
    expect(again.status).toBe(409);
    expect(again.data).toMatchObject({ wordError: "reviews.errors.wordNotListed" });
  });

  it("refuses an empty, a too long and a duplicate word with a translated error, changing nothing", async () => {
    const before = await listBlockedWords();
    expect(before).toContain("加微信");
    const cases: [string, string][] = [
      ["   ", "reviews.errors.wordRequired"],
      ["长".repeat(31), "reviews.errors.wordTooLong"],
      ["加微信", "reviews.errors.wordDuplicate"],
      // Matching ignores case and spaces, so this is the same word.
      [" 加 微 信 ", "reviews.errors.wordDuplicate"],
    ];
    for (const [word, error] of cases) {
      const result = await post(admin, { intent: "addWord", word });
      expect(result.status, word).toBe(400);
      expect(result.data, word).toMatchObject({ wordError: error });
    }
    expect(await post(admin, { intent: "addWord" })).toMatchObject({
      status: 400,
      data: { wordError: "reviews.errors.wordRequired" },
    });
    expect(await listBlockedWords()).toEqual(before);
  });

  it("is the platform admin's only, and needs the form's CSRF token", async () => {
    const before = await listBlockedWords();
    const owner = await post(ownerA, { intent: "addWord", word: "外人" });
    expect(owner.status).toBeGreaterThanOrEqual(400);
    expect((await post(ownerA, { intent: "removeWord", word: "加微信" })).status).toBeGreaterThanOrEqual(400);
    expect((await post(null, { intent: "addWord", word: "外人" })).status).toBeGreaterThanOrEqual(300);
    expect((await post(admin, { intent: "addWord", word: "外人" }, false)).status).toBe(403);
    expect(await listBlockedWords()).toEqual(before);
  });
});

describe("tenancy", () => {
  it("a review query without its shop is refused; the product's reviews page is 404 under the other shop", async () => {
    await expect(db().review.findMany({ where: { status: "PUBLISHED" } })).rejects.toBeInstanceOf(
      MissingShopScopeError,
    );
    await expect(db().productStats.findMany({})).rejects.toBeInstanceOf(MissingShopScopeError);
    const reviewA = await unscopedDb().review.findFirstOrThrow({ where: { shopId: shopA, status: "PUBLISHED" } });
    const productB = await run(
      reviewsLoader as never,
      new Request(`http://localhost/s/${SHOP_B}/p/${PRODUCT}/reviews`),
      { shop: SHOP_B, product: PRODUCT },
    );
    expect(productB.status).toBe(200);
    expect((productB.data as unknown as { reviews: { id: string }[] }).reviews.map((r) => r.id)).not.toContain(
      reviewA.id,
    );
    const productA = await run(
      reviewsLoader as never,
      new Request(`http://localhost/s/${SHOP_A}/p/${PRODUCT}/reviews`),
      { shop: SHOP_A, product: PRODUCT },
    );
    expect((productA.data as unknown as { reviews: { id: string }[] }).reviews.map((r) => r.id)).toContain(reviewA.id);
  });
});

describe("the shared page cache", () => {
  it("hears a new review, a reply, a hidden review and a delivery as a change of the shop's pages", async () => {
    const heard: string[] = [];
    const listener = await listenForPageChanges({
      invalidate: (shop: string) => heard.push(shop),
    } as unknown as PageStore);
    try {
      const soA = order.shopOrders.get(shopA)!;
      const review = await unscopedDb().review.findFirstOrThrow({ where: { shopId: shopA, status: "PUBLISHED" } });
      const expectHeard = async (what: string, write: () => Promise<unknown>) => {
        await listener.sync();
        heard.length = 0;
        await write();
        await listener.sync();
        expect(heard, what).toContain(shopA);
        expect(heard, what).not.toContain(shopB);
      };
      await expectHeard("reply", () =>
        run(
          adminAction as never,
          postAs(ownerA, `http://localhost/admin/${SHOP_A}/reviews`, {
            intent: "reply",
            reviewId: review.id,
            reply: "已补发",
          }),
          { shop: SHOP_A },
        ),
      );
      expect((await unscopedDb().review.findFirstOrThrow({ where: { id: review.id } })).reply).toBe("已补发");
      await expectHeard("hidden", () =>
        run(
          platformAction as never,
          postAs(admin, "http://localhost/platform/reviews", {
            intent: "hide",
            shopId: review.shopId,
            reviewId: review.id,
            reason: "测试",
          }),
        ),
      );
      // A refund after delivery takes its quantity out of 已售, and the pages hear of it.
      const line = (await linesOf(soA.id))[0]!;
      const before = (
        await db().productStats.findFirstOrThrow({ where: { shopId: shopA, productId: line.productId! } })
      ).soldQuantity;
      await expectHeard("refunded quantity", () =>
        unscopedDb().shopOrderLine.updateMany({ where: { id: line.id }, data: { refundedQuantity: 1 } }),
      );
      const after = (await db().productStats.findFirstOrThrow({ where: { shopId: shopA, productId: line.productId! } }))
        .soldQuantity;
      expect(after).toBe(before - 1);
      expect(after).toBe((await truth(line.productId!)).sold);
    } finally {
      await listener.close();
    }
  });
});
