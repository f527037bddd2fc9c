-- Decision 028, follow-ups 1, 3 and 5: the primary key of every shop-owned table leads with "shopId"
-- (CartLine's with "cartId", its cart's distribution column), and every key between shop-owned
-- tables is composite on ("shopId", …), so a row and what it points at are in the same shop by the
-- database's word, and Citus can co-locate them. Optional references clear only their own column
-- (ON DELETE SET NULL (col), PostgreSQL 15): the row keeps its shop.

-- The two composite keys of 20261206110000 lean on the unique (shopId, id) indexes the new primary
-- keys replace: dropped first, made again at the end.
ALTER TABLE "Shipment" DROP CONSTRAINT "Shipment_shopId_shopOrderId_fkey";
ALTER TABLE "Review" DROP CONSTRAINT "Review_shopId_shopOrderLineId_fkey";

-- DropForeignKey
ALTER TABLE "BatchInput" DROP CONSTRAINT "BatchInput_batchId_fkey";

-- DropForeignKey
ALTER TABLE "BatchProduct" DROP CONSTRAINT "BatchProduct_batchId_fkey";

-- DropForeignKey
ALTER TABLE "BatchProduct" DROP CONSTRAINT "BatchProduct_productId_fkey";

-- DropForeignKey
ALTER TABLE "BatchScanDaily" DROP CONSTRAINT "BatchScanDaily_batchId_fkey";

-- DropForeignKey
ALTER TABLE "CartLine" DROP CONSTRAINT "CartLine_productId_fkey";

-- DropForeignKey
ALTER TABLE "CartLine" DROP CONSTRAINT "CartLine_slotId_fkey";

-- DropForeignKey
ALTER TABLE "CartLine" DROP CONSTRAINT "CartLine_variantId_fkey";

-- DropForeignKey
ALTER TABLE "ExperienceSlot" DROP CONSTRAINT "ExperienceSlot_productId_fkey";

-- DropForeignKey
ALTER TABLE "Image" DROP CONSTRAINT "Image_productId_fkey";

-- DropForeignKey
ALTER TABLE "ImageRendition" DROP CONSTRAINT "ImageRendition_imageId_fkey";

-- DropForeignKey
ALTER TABLE "LedgerEntry" DROP CONSTRAINT "LedgerEntry_payoutId_fkey";

-- DropForeignKey
ALTER TABLE "LedgerEntry" DROP CONSTRAINT "LedgerEntry_shopOrderId_fkey";

-- DropForeignKey
ALTER TABLE "ProductListing" DROP CONSTRAINT "ProductListing_id_fkey";

-- DropForeignKey
ALTER TABLE "ProductSearch" DROP CONSTRAINT "ProductSearch_productId_fkey";

-- DropForeignKey
ALTER TABLE "ProductStats" DROP CONSTRAINT "ProductStats_productId_fkey";

-- DropForeignKey
ALTER TABLE "Refund" DROP CONSTRAINT "Refund_shopOrderId_fkey";

-- DropForeignKey
ALTER TABLE "Reservation" DROP CONSTRAINT "Reservation_shopOrderId_fkey";

-- DropForeignKey
ALTER TABLE "Reservation" DROP CONSTRAINT "Reservation_slotId_fkey";

-- DropForeignKey
ALTER TABLE "Reservation" DROP CONSTRAINT "Reservation_variantId_fkey";

-- DropForeignKey
ALTER TABLE "Review" DROP CONSTRAINT "Review_productId_fkey";

-- DropForeignKey
ALTER TABLE "ReviewPhoto" DROP CONSTRAINT "ReviewPhoto_imageId_fkey";

-- DropForeignKey
ALTER TABLE "ReviewPhoto" DROP CONSTRAINT "ReviewPhoto_reviewId_fkey";

-- DropForeignKey
ALTER TABLE "ShipmentEvent" DROP CONSTRAINT "ShipmentEvent_shipmentId_fkey";

-- DropForeignKey
ALTER TABLE "ShopOrderEvent" DROP CONSTRAINT "ShopOrderEvent_shopOrderId_fkey";

-- DropForeignKey
ALTER TABLE "ShopOrderLine" DROP CONSTRAINT "ShopOrderLine_productId_fkey";

-- DropForeignKey
ALTER TABLE "ShopOrderLine" DROP CONSTRAINT "ShopOrderLine_shopOrderId_fkey";

-- DropForeignKey
ALTER TABLE "ShopOrderLine" DROP CONSTRAINT "ShopOrderLine_slotId_fkey";

-- DropForeignKey
ALTER TABLE "ShopOrderLine" DROP CONSTRAINT "ShopOrderLine_variantId_fkey";

-- DropForeignKey
ALTER TABLE "StockMovement" DROP CONSTRAINT "StockMovement_variantId_fkey";

-- DropForeignKey
ALTER TABLE "Variant" DROP CONSTRAINT "Variant_productId_fkey";

-- DropIndex
DROP INDEX "ShopOrder_shopId_id_key";

-- DropIndex
DROP INDEX "ShopOrderLine_shopId_id_key";

-- AlterTable
ALTER TABLE "Batch" DROP CONSTRAINT "Batch_pkey",
ADD CONSTRAINT "Batch_pkey" PRIMARY KEY ("shopId", "id");

-- AlterTable
ALTER TABLE "BatchInput" DROP CONSTRAINT "BatchInput_pkey",
ADD CONSTRAINT "BatchInput_pkey" PRIMARY KEY ("shopId", "id");

-- AlterTable
ALTER TABLE "BatchProduct" DROP CONSTRAINT "BatchProduct_pkey",
ADD CONSTRAINT "BatchProduct_pkey" PRIMARY KEY ("shopId", "batchId", "productId");

-- AlterTable
ALTER TABLE "BatchScanDaily" DROP CONSTRAINT "BatchScanDaily_pkey",
ADD CONSTRAINT "BatchScanDaily_pkey" PRIMARY KEY ("shopId", "batchId", "day");

-- AlterTable
ALTER TABLE "CartLine" DROP CONSTRAINT "CartLine_pkey",
ADD CONSTRAINT "CartLine_pkey" PRIMARY KEY ("cartId", "id");

-- AlterTable
ALTER TABLE "CodRemittance" DROP CONSTRAINT "CodRemittance_pkey",
ADD CONSTRAINT "CodRemittance_pkey" PRIMARY KEY ("shopId", "id");

-- AlterTable
ALTER TABLE "ExperienceSlot" DROP CONSTRAINT "ExperienceSlot_pkey",
ADD CONSTRAINT "ExperienceSlot_pkey" PRIMARY KEY ("shopId", "id");

-- AlterTable
ALTER TABLE "Image" DROP CONSTRAINT "Image_pkey",
ADD CONSTRAINT "Image_pkey" PRIMARY KEY ("shopId", "id");

-- AlterTable
ALTER TABLE "ImageRendition" DROP CONSTRAINT "ImageRendition_pkey",
ADD CONSTRAINT "ImageRendition_pkey" PRIMARY KEY ("shopId", "id");

-- AlterTable
ALTER TABLE "Invitation" DROP CONSTRAINT "Invitation_pkey",
ADD CONSTRAINT "Invitation_pkey" PRIMARY KEY ("shopId", "id");

-- AlterTable
ALTER TABLE "LedgerEntry" DROP CONSTRAINT "LedgerEntry_pkey",
ADD CONSTRAINT "LedgerEntry_pkey" PRIMARY KEY ("shopId", "id");

-- AlterTable
ALTER TABLE "Membership" DROP CONSTRAINT "Membership_pkey",
ADD CONSTRAINT "Membership_pkey" PRIMARY KEY ("shopId", "id");

-- AlterTable
ALTER TABLE "Payout" DROP CONSTRAINT "Payout_pkey",
ADD CONSTRAINT "Payout_pkey" PRIMARY KEY ("shopId", "id");

-- AlterTable
ALTER TABLE "Product" DROP CONSTRAINT "Product_pkey",
ADD CONSTRAINT "Product_pkey" PRIMARY KEY ("shopId", "id");

-- AlterTable
ALTER TABLE "ProductListing" DROP CONSTRAINT "ProductListing_pkey",
ADD CONSTRAINT "ProductListing_pkey" PRIMARY KEY ("shopId", "id");

-- AlterTable
ALTER TABLE "ProductSearch" DROP CONSTRAINT "ProductSearch_pkey",
ADD CONSTRAINT "ProductSearch_pkey" PRIMARY KEY ("shopId", "productId");

-- AlterTable
ALTER TABLE "ProductStats" DROP CONSTRAINT "ProductStats_pkey",
ADD CONSTRAINT "ProductStats_pkey" PRIMARY KEY ("shopId", "productId");

-- AlterTable
ALTER TABLE "Refund" DROP CONSTRAINT "Refund_pkey",
ADD CONSTRAINT "Refund_pkey" PRIMARY KEY ("shopId", "id");

-- AlterTable
ALTER TABLE "Reservation" DROP CONSTRAINT "Reservation_pkey",
ADD CONSTRAINT "Reservation_pkey" PRIMARY KEY ("shopId", "id");

-- AlterTable
ALTER TABLE "Review" DROP CONSTRAINT "Review_pkey",
ADD CONSTRAINT "Review_pkey" PRIMARY KEY ("shopId", "id");

-- AlterTable
ALTER TABLE "ReviewPhoto" DROP CONSTRAINT "ReviewPhoto_pkey",
ADD CONSTRAINT "ReviewPhoto_pkey" PRIMARY KEY ("shopId", "id");

-- AlterTable
ALTER TABLE "SalesRollupDirty" DROP CONSTRAINT "SalesRollupDirty_pkey",
ADD CONSTRAINT "SalesRollupDirty_pkey" PRIMARY KEY ("shopId", "id");

-- AlterTable
ALTER TABLE "Shipment" DROP CONSTRAINT "Shipment_pkey",
ADD CONSTRAINT "Shipment_pkey" PRIMARY KEY ("shopId", "id");

-- AlterTable
ALTER TABLE "ShipmentEvent" DROP CONSTRAINT "ShipmentEvent_pkey",
ADD CONSTRAINT "ShipmentEvent_pkey" PRIMARY KEY ("shopId", "id");

-- AlterTable
ALTER TABLE "ShopCertification" DROP CONSTRAINT "ShopCertification_pkey",
ADD CONSTRAINT "ShopCertification_pkey" PRIMARY KEY ("shopId", "id");

-- AlterTable
ALTER TABLE "ShopOrder" DROP CONSTRAINT "ShopOrder_pkey",
ADD CONSTRAINT "ShopOrder_pkey" PRIMARY KEY ("shopId", "id");

-- AlterTable
ALTER TABLE "ShopOrderEvent" DROP CONSTRAINT "ShopOrderEvent_pkey",
ADD CONSTRAINT "ShopOrderEvent_pkey" PRIMARY KEY ("shopId", "id");

-- AlterTable
ALTER TABLE "ShopOrderLine" DROP CONSTRAINT "ShopOrderLine_pkey",
ADD CONSTRAINT "ShopOrderLine_pkey" PRIMARY KEY ("shopId", "id");

-- AlterTable
ALTER TABLE "StockMovement" DROP CONSTRAINT "StockMovement_pkey",
ADD CONSTRAINT "StockMovement_pkey" PRIMARY KEY ("shopId", "id");

-- AlterTable
ALTER TABLE "Variant" DROP CONSTRAINT "Variant_pkey",
ADD CONSTRAINT "Variant_pkey" PRIMARY KEY ("shopId", "id");

-- AddForeignKey
ALTER TABLE "Variant" ADD CONSTRAINT "Variant_shopId_productId_fkey" FOREIGN KEY ("shopId", "productId") REFERENCES "Product"("shopId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StockMovement" ADD CONSTRAINT "StockMovement_shopId_variantId_fkey" FOREIGN KEY ("shopId", "variantId") REFERENCES "Variant"("shopId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ExperienceSlot" ADD CONSTRAINT "ExperienceSlot_shopId_productId_fkey" FOREIGN KEY ("shopId", "productId") REFERENCES "Product"("shopId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Image" ADD CONSTRAINT "Image_shopId_productId_fkey" FOREIGN KEY ("shopId", "productId") REFERENCES "Product"("shopId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ImageRendition" ADD CONSTRAINT "ImageRendition_shopId_imageId_fkey" FOREIGN KEY ("shopId", "imageId") REFERENCES "Image"("shopId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BatchProduct" ADD CONSTRAINT "BatchProduct_shopId_batchId_fkey" FOREIGN KEY ("shopId", "batchId") REFERENCES "Batch"("shopId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BatchProduct" ADD CONSTRAINT "BatchProduct_shopId_productId_fkey" FOREIGN KEY ("shopId", "productId") REFERENCES "Product"("shopId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BatchInput" ADD CONSTRAINT "BatchInput_shopId_batchId_fkey" FOREIGN KEY ("shopId", "batchId") REFERENCES "Batch"("shopId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CartLine" ADD CONSTRAINT "CartLine_shopId_productId_fkey" FOREIGN KEY ("shopId", "productId") REFERENCES "Product"("shopId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CartLine" ADD CONSTRAINT "CartLine_shopId_variantId_fkey" FOREIGN KEY ("shopId", "variantId") REFERENCES "Variant"("shopId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CartLine" ADD CONSTRAINT "CartLine_shopId_slotId_fkey" FOREIGN KEY ("shopId", "slotId") REFERENCES "ExperienceSlot"("shopId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ShopOrderLine" ADD CONSTRAINT "ShopOrderLine_shopId_shopOrderId_fkey" FOREIGN KEY ("shopId", "shopOrderId") REFERENCES "ShopOrder"("shopId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ShopOrderLine" ADD CONSTRAINT "ShopOrderLine_shopId_productId_fkey" FOREIGN KEY ("shopId", "productId") REFERENCES "Product"("shopId", "id") ON DELETE SET NULL ("productId") ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ShopOrderLine" ADD CONSTRAINT "ShopOrderLine_shopId_variantId_fkey" FOREIGN KEY ("shopId", "variantId") REFERENCES "Variant"("shopId", "id") ON DELETE SET NULL ("variantId") ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ShopOrderLine" ADD CONSTRAINT "ShopOrderLine_shopId_slotId_fkey" FOREIGN KEY ("shopId", "slotId") REFERENCES "ExperienceSlot"("shopId", "id") ON DELETE SET NULL ("slotId") ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Reservation" ADD CONSTRAINT "Reservation_shopId_shopOrderId_fkey" FOREIGN KEY ("shopId", "shopOrderId") REFERENCES "ShopOrder"("shopId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Reservation" ADD CONSTRAINT "Reservation_shopId_variantId_fkey" FOREIGN KEY ("shopId", "variantId") REFERENCES "Variant"("shopId", "id") ON DELETE SET NULL ("variantId") ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Reservation" ADD CONSTRAINT "Reservation_shopId_slotId_fkey" FOREIGN KEY ("shopId", "slotId") REFERENCES "ExperienceSlot"("shopId", "id") ON DELETE SET NULL ("slotId") ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ShopOrderEvent" ADD CONSTRAINT "ShopOrderEvent_shopId_shopOrderId_fkey" FOREIGN KEY ("shopId", "shopOrderId") REFERENCES "ShopOrder"("shopId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Refund" ADD CONSTRAINT "Refund_shopId_shopOrderId_fkey" FOREIGN KEY ("shopId", "shopOrderId") REFERENCES "ShopOrder"("shopId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LedgerEntry" ADD CONSTRAINT "LedgerEntry_shopId_shopOrderId_fkey" FOREIGN KEY ("shopId", "shopOrderId") REFERENCES "ShopOrder"("shopId", "id") ON DELETE SET NULL ("shopOrderId") ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LedgerEntry" ADD CONSTRAINT "LedgerEntry_shopId_payoutId_fkey" FOREIGN KEY ("shopId", "payoutId") REFERENCES "Payout"("shopId", "id") ON DELETE SET NULL ("payoutId") ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ShipmentEvent" ADD CONSTRAINT "ShipmentEvent_shopId_shipmentId_fkey" FOREIGN KEY ("shopId", "shipmentId") REFERENCES "Shipment"("shopId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BatchScanDaily" ADD CONSTRAINT "BatchScanDaily_shopId_batchId_fkey" FOREIGN KEY ("shopId", "batchId") REFERENCES "Batch"("shopId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProductSearch" ADD CONSTRAINT "ProductSearch_shopId_productId_fkey" FOREIGN KEY ("shopId", "productId") REFERENCES "Product"("shopId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Review" ADD CONSTRAINT "Review_shopId_productId_fkey" FOREIGN KEY ("shopId", "productId") REFERENCES "Product"("shopId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReviewPhoto" ADD CONSTRAINT "ReviewPhoto_shopId_reviewId_fkey" FOREIGN KEY ("shopId", "reviewId") REFERENCES "Review"("shopId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReviewPhoto" ADD CONSTRAINT "ReviewPhoto_shopId_imageId_fkey" FOREIGN KEY ("shopId", "imageId") REFERENCES "Image"("shopId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProductStats" ADD CONSTRAINT "ProductStats_shopId_productId_fkey" FOREIGN KEY ("shopId", "productId") REFERENCES "Product"("shopId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProductListing" ADD CONSTRAINT "ProductListing_shopId_id_fkey" FOREIGN KEY ("shopId", "id") REFERENCES "Product"("shopId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "Shipment" ADD CONSTRAINT "Shipment_shopId_shopOrderId_fkey" FOREIGN KEY ("shopId", "shopOrderId") REFERENCES "ShopOrder"("shopId", "id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Review" ADD CONSTRAINT "Review_shopId_shopOrderLineId_fkey" FOREIGN KEY ("shopId", "shopOrderLineId") REFERENCES "ShopOrderLine"("shopId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Two rows are named by their id alone from outside their shop: a shipment (the partner API, the
-- county's assign form) and an invitation (its link). A plain index serves them (Citus allows a
-- non-unique index; there the lookup asks every shard).
CREATE INDEX "Shipment_id_idx" ON "Shipment"("id");
CREATE INDEX "Invitation_id_idx" ON "Invitation"("id");

-- The triggers' functions look rows up by their new keys: with the shop, so the primary key
-- serves them (an id alone no longer has an index of its own) and, on Citus, on one worker.
CREATE OR REPLACE FUNCTION review_stats_add(p_product text, p_shop text, p_sum integer, p_count integer, p_sold integer)
  RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF p_product IS NULL OR (p_sum = 0 AND p_count = 0 AND p_sold = 0) THEN RETURN; END IF;
  -- A product being deleted takes its roll-up with it (cascades may run in any order).
  IF NOT EXISTS (SELECT 1 FROM "Product" WHERE "shopId" = p_shop AND id = p_product) THEN RETURN; END IF;
  INSERT INTO "ProductStats" ("productId", "shopId", "ratingSum", "ratingCount", "soldQuantity")
  VALUES (p_product, p_shop, p_sum, p_count, p_sold)
  ON CONFLICT ("shopId", "productId") DO UPDATE
    SET "ratingSum" = "ProductStats"."ratingSum" + EXCLUDED."ratingSum",
        "ratingCount" = "ProductStats"."ratingCount" + EXCLUDED."ratingCount",
        "soldQuantity" = "ProductStats"."soldQuantity" + EXCLUDED."soldQuantity";
END $$;

CREATE OR REPLACE FUNCTION review_stats_line() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  delivered boolean;
BEGIN
  SELECT so.status = 'DELIVERED' INTO delivered
    FROM "ShopOrder" so
   WHERE so."shopId" = coalesce(NEW."shopId", OLD."shopId")
     AND so.id = coalesce(NEW."shopOrderId", OLD."shopOrderId");
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

CREATE OR REPLACE FUNCTION product_search_forget_product() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "ProductSearch" WHERE "shopId" IN (OLD."shopId", NEW."shopId") AND "productId" = NEW.id;
  RETURN NULL;
END $$;

-- Listing rows (039) are refreshed one shop at a time: the products' ids with their shop.
DROP FUNCTION product_listing_refresh(text[]) CASCADE;
CREATE FUNCTION product_listing_refresh(shop text, ids text[]) RETURNS void LANGUAGE sql AS $$
  SELECT 1 FROM "ProductListing" WHERE "shopId" = shop AND id = ANY(ids) ORDER BY id FOR UPDATE;
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
   WHERE p."shopId" = shop AND p.id = ANY(ids)
  ON CONFLICT ("shopId", id) DO UPDATE SET listed = EXCLUDED.listed,
    featured = EXCLUDED.featured, "createdAt" = EXCLUDED."createdAt", kind = EXCLUDED.kind,
    "harvestMonths" = EXCLUDED."harvestMonths", "countyId" = EXCLUDED."countyId",
    "minPriceFen" = EXCLUDED."minPriceFen", "maxPriceFen" = EXCLUDED."maxPriceFen",
    "soldQuantity" = EXCLUDED."soldQuantity", titles = EXCLUDED.titles, texts = EXCLUDED.texts
$$;

CREATE OR REPLACE FUNCTION product_listing_product() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM product_listing_refresh(NEW."shopId", ARRAY[NEW.id]);
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION product_listing_variant() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM product_listing_refresh(NEW."shopId", ARRAY[NEW."productId"]);
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM product_listing_refresh(OLD."shopId", ARRAY[OLD."productId"]);
  ELSE
    PERFORM product_listing_refresh(OLD."shopId", ARRAY[OLD."productId"]);
    IF (NEW."shopId", NEW."productId") IS DISTINCT FROM (OLD."shopId", OLD."productId") THEN
      PERFORM product_listing_refresh(NEW."shopId", ARRAY[NEW."productId"]);
    END IF;
  END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION product_listing_stats() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM product_listing_refresh(OLD."shopId", ARRAY[OLD."productId"]);
  ELSE
    PERFORM product_listing_refresh(NEW."shopId", ARRAY[NEW."productId"]);
  END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION product_listing_shop() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM product_listing_refresh(NEW.id, ARRAY(SELECT id FROM "Product" WHERE "shopId" = NEW.id));
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION product_listing_county() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM product_listing_refresh(s.id, ARRAY(SELECT p.id FROM "Product" p WHERE p."shopId" = s.id))
     FROM "Shop" s WHERE s."countyId" = NEW.id;
  RETURN NULL;
END $$;
