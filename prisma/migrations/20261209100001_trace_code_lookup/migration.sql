-- Decision 028, follow-up 4: the three keys that were unique across shops. A trace code is found
-- without its shop (the public page /t/:code), so its uniqueness and its way to the shop move to the
-- TraceCode lookup table; a shop order's number and a Stripe refund id are only ever found with their
-- shop (the number is the order's, unique, and a suffix), so their keys name the shop.

-- DropIndex
DROP INDEX "Batch_traceCode_key";

-- DropIndex
DROP INDEX "Refund_providerRef_key";

-- DropIndex
DROP INDEX "ShopOrder_number_key";

-- CreateTable
CREATE TABLE "TraceCode" (
    "code" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "batchId" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TraceCode_pkey" PRIMARY KEY ("code")
);

-- CreateIndex
CREATE UNIQUE INDEX "Batch_shopId_traceCode_key" ON "Batch"("shopId", "traceCode");

-- CreateIndex
CREATE UNIQUE INDEX "Refund_shopId_providerRef_key" ON "Refund"("shopId", "providerRef");

-- CreateIndex
CREATE UNIQUE INDEX "ShopOrder_shopId_number_key" ON "ShopOrder"("shopId", "number");

-- AddForeignKey
ALTER TABLE "TraceCode" ADD CONSTRAINT "TraceCode_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The codes already printed.
INSERT INTO "TraceCode" (code, "shopId", "batchId", "createdAt")
SELECT "traceCode", "shopId", id, "createdAt" FROM "Batch";
