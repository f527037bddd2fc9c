-- DropIndex
DROP INDEX "Shop_customDomain_key";

-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "customDomainCheckedAt" TIMESTAMPTZ(3),
ADD COLUMN     "customDomainError" TEXT,
ADD COLUMN     "customDomainFailingSince" TIMESTAMPTZ(3),
ADD COLUMN     "customDomainFailures" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "customDomainToken" TEXT,
ADD COLUMN     "verifiedDomain" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "Shop_verifiedDomain_key" ON "Shop"("verifiedDomain");

-- No custom domain was ever verified before this migration (nothing set the column): every
-- existing one starts pending, routed only once its DNS record is checked (issue #9).
UPDATE "Shop" SET "customDomainVerifiedAt" = NULL WHERE "verifiedDomain" IS NULL;
