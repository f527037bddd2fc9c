-- CreateTable
CREATE TABLE "ProductListing" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "listed" BOOLEAN NOT NULL,
    "featured" BOOLEAN NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,
    "kind" "ProductKind" NOT NULL,
    "harvestMonths" INTEGER[],
    "countyId" TEXT NOT NULL,
    "minPriceFen" INTEGER,
    "maxPriceFen" INTEGER,
    "soldQuantity" INTEGER NOT NULL,
    "titles" TEXT NOT NULL,
    "texts" TEXT NOT NULL,

    CONSTRAINT "ProductListing_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ProductListing_shopId_idx" ON "ProductListing"("shopId");

-- AddForeignKey
ALTER TABLE "ProductListing" ADD CONSTRAINT "ProductListing_id_fkey" FOREIGN KEY ("id") REFERENCES "Product"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Kept by triggers (decision 039): every write that changes what a listing or a search reads of
-- a product rewrites the product's row from its sources. Texts are joined with a newline, which a
-- search's ILIKE pattern never holds, so a pattern matches one field or none, as ILIKE on each did.
-- The rows are locked first, in id order: a concurrent writer's refresh of the same product waits
-- for it to commit and then reads its sources in a new snapshot (each statement of a volatile SQL
-- function takes one at READ COMMITTED), so two writers' changes to one product's variants
-- cannot leave the row with only one of them.
CREATE FUNCTION product_listing_refresh(ids text[]) RETURNS void LANGUAGE sql AS $$
  SELECT 1 FROM "ProductListing" WHERE id = ANY(ids) ORDER BY id FOR UPDATE;
  INSERT INTO "ProductListing" (id, "shopId", listed, featured, "createdAt", kind, "harvestMonths", "countyId",
                                "minPriceFen", "maxPriceFen", "soldQuantity", titles, texts)
  SELECT p.id, p."shopId", s.status = 'LIVE' AND p.status = 'ACTIVE' AND v.lo IS NOT NULL, p.featured,
         p."createdAt", p.kind, p."harvestMonths", s."countyId", v.lo, v.hi, coalesce(st."soldQuantity", 0),
         lower(concat_ws(E'\n', p."titleZh", p."titleEn")),
         lower(concat_ws(E'\n', p."titleZh", p."titleEn", p."summaryZh", p."summaryEn", s."nameZh", s."nameEn",
                         s."villageZh", s."villageEn", c."nameZh", c."nameEn"))
    FROM "Product" p
    JOIN "Shop" s ON s.id = p."shopId"
    JOIN "County" c ON c.id = s."countyId"
    LEFT JOIN LATERAL (
      SELECT min(v."priceFen")::int AS lo, max(v."priceFen")::int AS hi
        FROM "Variant" v
       WHERE v."productId" = p.id AND v."shopId" = p."shopId" AND v.status = 'ACTIVE'
    ) v ON TRUE
    LEFT JOIN "ProductStats" st ON st."productId" = p.id AND st."shopId" = p."shopId"
   WHERE p.id = ANY(ids)
  ON CONFLICT (id) DO UPDATE SET "shopId" = EXCLUDED."shopId", listed = EXCLUDED.listed,
    featured = EXCLUDED.featured, "createdAt" = EXCLUDED."createdAt", kind = EXCLUDED.kind,
    "harvestMonths" = EXCLUDED."harvestMonths", "countyId" = EXCLUDED."countyId",
    "minPriceFen" = EXCLUDED."minPriceFen", "maxPriceFen" = EXCLUDED."maxPriceFen",
    "soldQuantity" = EXCLUDED."soldQuantity", titles = EXCLUDED.titles, texts = EXCLUDED.texts
$$;

CREATE FUNCTION product_listing_product() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM product_listing_refresh(ARRAY[NEW.id]);
  RETURN NULL;
END $$;

CREATE TRIGGER product_listing_product_insert AFTER INSERT ON "Product"
  FOR EACH ROW EXECUTE FUNCTION product_listing_product();

CREATE TRIGGER product_listing_product_update AFTER UPDATE OF "shopId", status, featured, "createdAt", kind,
  "harvestMonths", "titleZh", "titleEn", "summaryZh", "summaryEn" ON "Product"
  FOR EACH ROW
  WHEN ((OLD."shopId", OLD.status, OLD.featured, OLD."createdAt", OLD.kind, OLD."harvestMonths", OLD."titleZh",
          OLD."titleEn", OLD."summaryZh", OLD."summaryEn")
        IS DISTINCT FROM (NEW."shopId", NEW.status, NEW.featured, NEW."createdAt", NEW.kind, NEW."harvestMonths",
          NEW."titleZh", NEW."titleEn", NEW."summaryZh", NEW."summaryEn"))
  EXECUTE FUNCTION product_listing_product();

-- A variant's price or state (not its stock: a checkout's decrement does not come here).
CREATE FUNCTION product_listing_variant() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM product_listing_refresh(ARRAY[NEW."productId"]);
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM product_listing_refresh(ARRAY[OLD."productId"]);
  ELSE
    PERFORM product_listing_refresh(ARRAY[OLD."productId", NEW."productId"]);
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER product_listing_variant_change AFTER INSERT OR DELETE ON "Variant"
  FOR EACH ROW EXECUTE FUNCTION product_listing_variant();

CREATE TRIGGER product_listing_variant_update AFTER UPDATE OF "productId", "shopId", status, "priceFen" ON "Variant"
  FOR EACH ROW
  WHEN ((OLD."productId", OLD."shopId", OLD.status, OLD."priceFen")
        IS DISTINCT FROM (NEW."productId", NEW."shopId", NEW.status, NEW."priceFen"))
  EXECUTE FUNCTION product_listing_variant();

CREATE FUNCTION product_listing_stats() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM product_listing_refresh(ARRAY[OLD."productId"]);
  ELSE
    PERFORM product_listing_refresh(ARRAY[NEW."productId"]);
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER product_listing_stats_change AFTER INSERT OR DELETE ON "ProductStats"
  FOR EACH ROW EXECUTE FUNCTION product_listing_stats();

CREATE TRIGGER product_listing_stats_update AFTER UPDATE OF "soldQuantity" ON "ProductStats"
  FOR EACH ROW WHEN (OLD."soldQuantity" IS DISTINCT FROM NEW."soldQuantity")
  EXECUTE FUNCTION product_listing_stats();

CREATE FUNCTION product_listing_shop() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM product_listing_refresh(ARRAY(SELECT id FROM "Product" WHERE "shopId" = NEW.id));
  RETURN NULL;
END $$;

CREATE TRIGGER product_listing_shop_update AFTER UPDATE OF status, "countyId", "nameZh", "nameEn", "villageZh",
  "villageEn" ON "Shop"
  FOR EACH ROW
  WHEN ((OLD.status, OLD."countyId", OLD."nameZh", OLD."nameEn", OLD."villageZh", OLD."villageEn")
        IS DISTINCT FROM (NEW.status, NEW."countyId", NEW."nameZh", NEW."nameEn", NEW."villageZh", NEW."villageEn"))
  EXECUTE FUNCTION product_listing_shop();

CREATE FUNCTION product_listing_county() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM product_listing_refresh(ARRAY(
    SELECT p.id FROM "Product" p JOIN "Shop" s ON s.id = p."shopId" WHERE s."countyId" = NEW.id));
  RETURN NULL;
END $$;

CREATE TRIGGER product_listing_county_update AFTER UPDATE OF "nameZh", "nameEn" ON "County"
  FOR EACH ROW WHEN ((OLD."nameZh", OLD."nameEn") IS DISTINCT FROM (NEW."nameZh", NEW."nameEn"))
  EXECUTE FUNCTION product_listing_county();

-- The products already there.
SELECT product_listing_refresh(ARRAY(SELECT id FROM "Product"));
