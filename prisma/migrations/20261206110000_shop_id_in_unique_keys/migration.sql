-- Every secondary unique key of a shop-owned table includes "shopId" (docs/decisions/028-citus.md,
-- follow-up 2): Citus requires the distribution column in every unique constraint of a distributed
-- table. The keys stay as strong: each is written with its shop, and Shipment and Review now
-- reference their shop order / line together with its shop ("ShopOrder"/"ShopOrderLine" ("shopId", id)),
-- so the database itself says that a shipment's or review's shop is its order's.
-- Plain indexes remain where rows are still found by the old column alone (Prisma's relation loads
-- of renditions and shipment events, the cross-shop check of a shop payment's key).
-- Adding the composite foreign keys checks the existing rows: a mismatched shop fails the migration.

-- DropForeignKey
ALTER TABLE "Review" DROP CONSTRAINT "Review_shopOrderLineId_fkey";

-- DropForeignKey
ALTER TABLE "Shipment" DROP CONSTRAINT "Shipment_shopOrderId_fkey";

-- DropIndex
DROP INDEX "ExperienceSlot_productId_startsAt_key";

-- DropIndex
DROP INDEX "ImageRendition_imageId_preset_format_key";

-- DropIndex
DROP INDEX "ImageRendition_shopId_idx";

-- DropIndex
DROP INDEX "LedgerEntry_dedupeKey_key";

-- DropIndex
DROP INDEX "Refund_idempotencyKey_key";

-- DropIndex
DROP INDEX "Reservation_lineId_key";

-- DropIndex
DROP INDEX "Review_shopOrderLineId_key";

-- DropIndex
DROP INDEX "ReviewPhoto_reviewId_position_key";

-- DropIndex
DROP INDEX "ReviewPhoto_shopId_reviewId_idx";

-- DropIndex
DROP INDEX "Shipment_shopOrderId_key";

-- DropIndex
DROP INDEX "ShipmentEvent_shipmentId_eventId_key";

-- CreateIndex
CREATE UNIQUE INDEX "ExperienceSlot_shopId_productId_startsAt_key" ON "ExperienceSlot"("shopId", "productId", "startsAt");

-- CreateIndex
CREATE INDEX "ImageRendition_imageId_idx" ON "ImageRendition"("imageId");

-- CreateIndex
CREATE UNIQUE INDEX "ImageRendition_shopId_imageId_preset_format_key" ON "ImageRendition"("shopId", "imageId", "preset", "format");

-- CreateIndex
CREATE INDEX "LedgerEntry_dedupeKey_idx" ON "LedgerEntry"("dedupeKey");

-- CreateIndex
CREATE UNIQUE INDEX "LedgerEntry_shopId_dedupeKey_key" ON "LedgerEntry"("shopId", "dedupeKey");

-- CreateIndex
CREATE UNIQUE INDEX "Refund_shopId_idempotencyKey_key" ON "Refund"("shopId", "idempotencyKey");

-- CreateIndex
CREATE UNIQUE INDEX "Reservation_shopId_lineId_key" ON "Reservation"("shopId", "lineId");

-- CreateIndex
CREATE UNIQUE INDEX "Review_shopId_shopOrderLineId_key" ON "Review"("shopId", "shopOrderLineId");

-- CreateIndex
CREATE UNIQUE INDEX "ReviewPhoto_shopId_reviewId_position_key" ON "ReviewPhoto"("shopId", "reviewId", "position");

-- CreateIndex
CREATE UNIQUE INDEX "Shipment_shopId_shopOrderId_key" ON "Shipment"("shopId", "shopOrderId");

-- CreateIndex
CREATE INDEX "ShipmentEvent_shipmentId_idx" ON "ShipmentEvent"("shipmentId");

-- CreateIndex
CREATE UNIQUE INDEX "ShipmentEvent_shopId_shipmentId_eventId_key" ON "ShipmentEvent"("shopId", "shipmentId", "eventId");

-- CreateIndex
CREATE UNIQUE INDEX "ShopOrder_shopId_id_key" ON "ShopOrder"("shopId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "ShopOrderLine_shopId_id_key" ON "ShopOrderLine"("shopId", "id");

-- AddForeignKey
ALTER TABLE "Shipment" ADD CONSTRAINT "Shipment_shopId_shopOrderId_fkey" FOREIGN KEY ("shopId", "shopOrderId") REFERENCES "ShopOrder"("shopId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Review" ADD CONSTRAINT "Review_shopId_shopOrderLineId_fkey" FOREIGN KEY ("shopId", "shopOrderLineId") REFERENCES "ShopOrderLine"("shopId", "id") ON DELETE CASCADE ON UPDATE CASCADE;
