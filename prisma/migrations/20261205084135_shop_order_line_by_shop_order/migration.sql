-- CreateIndex
CREATE INDEX "ShopOrderLine_shopOrderId_id_idx" ON "ShopOrderLine"("shopOrderId", "id");
