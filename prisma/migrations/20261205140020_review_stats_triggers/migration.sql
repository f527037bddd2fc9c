-- Reviews (docs/decisions/023-reviews.md): the per-product roll-up "ProductStats" is kept by
-- the database, whichever module, script or process writes, so that cards and pages read a
-- rating and a sold count without aggregating per page view.
--   ratingSum, ratingCount: the stars of the product's PUBLISHED reviews;
--   soldQuantity: sum(quantity - refundedQuantity) of its lines in DELIVERED shop orders.

CREATE FUNCTION review_stats_add(p_product text, p_shop text, p_sum integer, p_count integer, p_sold integer)
  RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF p_product IS NULL OR (p_sum = 0 AND p_count = 0 AND p_sold = 0) THEN RETURN; END IF;
  -- A product being deleted takes its roll-up with it (cascades may run in any order).
  IF NOT EXISTS (SELECT 1 FROM "Product" WHERE id = p_product) THEN RETURN; END IF;
  INSERT INTO "ProductStats" ("productId", "shopId", "ratingSum", "ratingCount", "soldQuantity")
  VALUES (p_product, p_shop, p_sum, p_count, p_sold)
  ON CONFLICT ("productId") DO UPDATE
    SET "ratingSum" = "ProductStats"."ratingSum" + EXCLUDED."ratingSum",
        "ratingCount" = "ProductStats"."ratingCount" + EXCLUDED."ratingCount",
        "soldQuantity" = "ProductStats"."soldQuantity" + EXCLUDED."soldQuantity";
END $$;

-- A review counts while it is PUBLISHED.
CREATE FUNCTION review_stats_review() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' AND OLD.status = 'PUBLISHED' THEN
    PERFORM review_stats_add(OLD."productId", OLD."shopId", -OLD.stars, -1, 0);
  END IF;
  IF TG_OP <> 'DELETE' AND NEW.status = 'PUBLISHED' THEN
    PERFORM review_stats_add(NEW."productId", NEW."shopId", NEW.stars, 1, 0);
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "Review_stats" AFTER INSERT OR DELETE OR UPDATE OF status, stars ON "Review"
  FOR EACH ROW EXECUTE FUNCTION review_stats_review();

-- A shop order entering or leaving DELIVERED adds or takes back its lines' quantities.
CREATE FUNCTION review_stats_shop_order() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  sign integer;
  line record;
BEGIN
  IF NEW.status = 'DELIVERED' AND OLD.status <> 'DELIVERED' THEN sign := 1;
  ELSIF OLD.status = 'DELIVERED' AND NEW.status <> 'DELIVERED' THEN sign := -1;
  ELSE RETURN NULL;
  END IF;
  FOR line IN
    SELECT l."productId", sum(l.quantity - l."refundedQuantity")::integer AS sold
      FROM "ShopOrderLine" l
     WHERE l."shopOrderId" = NEW.id AND l."shopId" = NEW."shopId" AND l."productId" IS NOT NULL
     GROUP BY l."productId"
  LOOP
    PERFORM review_stats_add(line."productId", NEW."shopId", 0, 0, sign * line.sold);
  END LOOP;
  RETURN NULL;
END $$;

CREATE TRIGGER "ShopOrder_review_stats" AFTER UPDATE OF status ON "ShopOrder"
  FOR EACH ROW EXECUTE FUNCTION review_stats_shop_order();

-- A line written (or refunded) while its shop order is DELIVERED: bulk loaders insert lines of
-- orders that are already delivered; a refund after delivery takes its quantity back.
CREATE FUNCTION review_stats_line() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  delivered boolean;
BEGIN
  SELECT so.status = 'DELIVERED' INTO delivered
    FROM "ShopOrder" so
   WHERE so.id = coalesce(NEW."shopOrderId", OLD."shopOrderId");
  IF NOT coalesce(delivered, false) THEN RETURN NULL; END IF;
  -- A deleted product's lines lose their product (SET NULL): its roll-up goes with it.
  IF TG_OP = 'UPDATE' AND NEW."productId" IS DISTINCT FROM OLD."productId" THEN RETURN NULL; END IF;
  IF TG_OP = 'UPDATE' THEN
    PERFORM review_stats_add(OLD."productId", OLD."shopId", 0, 0, -(OLD.quantity - OLD."refundedQuantity"));
  END IF;
  IF TG_OP = 'DELETE' THEN
    PERFORM review_stats_add(OLD."productId", OLD."shopId", 0, 0, -(OLD.quantity - OLD."refundedQuantity"));
    RETURN NULL;
  END IF;
  PERFORM review_stats_add(NEW."productId", NEW."shopId", 0, 0, NEW.quantity - NEW."refundedQuantity");
  RETURN NULL;
END $$;

CREATE TRIGGER "ShopOrderLine_review_stats" AFTER INSERT OR DELETE OR UPDATE OF quantity, "refundedQuantity"
  ON "ShopOrderLine" FOR EACH ROW EXECUTE FUNCTION review_stats_line();

-- What the product's pages show changed: the shared page cache forgets the shop's pages
-- (the function of migration …_page_cache_notify).
CREATE TRIGGER "ProductStats_page_changes" AFTER INSERT OR UPDATE OR DELETE ON "ProductStats"
  FOR EACH ROW EXECUTE FUNCTION page_cache_notify('shopId');
CREATE TRIGGER "Review_page_changes" AFTER INSERT OR UPDATE OR DELETE ON "Review"
  FOR EACH ROW EXECUTE FUNCTION page_cache_notify('shopId');
CREATE TRIGGER "ReviewPhoto_page_changes" AFTER INSERT OR UPDATE OR DELETE ON "ReviewPhoto"
  FOR EACH ROW EXECUTE FUNCTION page_cache_notify('shopId');

-- The sales delivered before this migration.
INSERT INTO "ProductStats" ("productId", "shopId", "soldQuantity")
SELECT l."productId", l."shopId", sum(l.quantity - l."refundedQuantity")::integer
  FROM "ShopOrderLine" l
  JOIN "ShopOrder" so ON so.id = l."shopOrderId" AND so."shopId" = l."shopId"
 WHERE so.status = 'DELIVERED' AND l."productId" IS NOT NULL
 GROUP BY l."productId", l."shopId";

-- A small seeded blocklist; the platform admin's list holds more.
INSERT INTO "ReviewBlockedWord" ("id", "word") VALUES
  ('rbw-seed-01', '傻逼'), ('rbw-seed-02', '骗子'), ('rbw-seed-03', '垃圾店'), ('rbw-seed-04', '加微信'),
  ('rbw-seed-05', '刷单'), ('rbw-seed-06', '返现'), ('rbw-seed-07', 'fuck'), ('rbw-seed-08', 'scam');

-- Stars are 1 to 5, whoever writes.
ALTER TABLE "Review" ADD CONSTRAINT "Review_stars_check" CHECK (stars BETWEEN 1 AND 5);
ALTER TABLE "Review" ADD CONSTRAINT "Review_photoCount_check" CHECK ("photoCount" BETWEEN 0 AND 6);
