-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "LedgerKind" ADD VALUE 'COD_HELD_BY_PARTNER';
ALTER TYPE "LedgerKind" ADD VALUE 'COD_REMITTED';

-- AlterEnum
ALTER TYPE "ShopOrderStatus" ADD VALUE 'ACCEPTED';

-- AlterTable
ALTER TABLE "LedgerEntry" ADD COLUMN     "partnerId" TEXT;

-- CreateTable
CREATE TABLE "CodRemittance" (
    "id" TEXT NOT NULL,
    "partnerId" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "amountFen" INTEGER NOT NULL,
    "reference" TEXT,
    "createdById" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CodRemittance_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "CodRemittance_partnerId_shopId_createdAt_idx" ON "CodRemittance"("partnerId", "shopId", "createdAt");

-- CreateIndex
CREATE INDEX "LedgerEntry_partnerId_kind_idx" ON "LedgerEntry"("partnerId", "kind");

-- AddForeignKey
ALTER TABLE "LedgerEntry" ADD CONSTRAINT "LedgerEntry_partnerId_fkey" FOREIGN KEY ("partnerId") REFERENCES "LogisticsPartner"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CodRemittance" ADD CONSTRAINT "CodRemittance_partnerId_fkey" FOREIGN KEY ("partnerId") REFERENCES "LogisticsPartner"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
