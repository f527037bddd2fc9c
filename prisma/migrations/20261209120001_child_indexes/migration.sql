-- Decision 028: the indexes that find a product's variants and a shop order's lines lead with "shopId", as
-- their queries (and composite keys) name it; without it the planner took the (shopId, id) primary key
-- and read every variant of the shop for one product's (search 桃 +500: 18.9 ms of database CPU).

-- DropIndex
DROP INDEX "ShopOrderLine_shopOrderId_id_idx";

-- DropIndex
DROP INDEX "Variant_productId_position_idx";

-- CreateIndex
CREATE INDEX "ShopOrderLine_shopId_shopOrderId_id_idx" ON "ShopOrderLine"("shopId", "shopOrderId", "id");

-- CreateIndex
CREATE INDEX "Variant_shopId_productId_position_idx" ON "Variant"("shopId", "productId", "position");
