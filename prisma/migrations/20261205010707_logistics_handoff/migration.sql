-- CreateEnum
CREATE TYPE "PartnerKind" AS ENUM ('COUNTY_CENTRE', 'POST', 'EXPRESS');

-- CreateEnum
CREATE TYPE "PartnerService" AS ENUM ('HOME', 'PICKUP_POINT', 'LOCKER', 'COLD_CHAIN');

-- CreateEnum
CREATE TYPE "ShipmentStatus" AS ENUM ('UNASSIGNED', 'ASSIGNED', 'ACCEPTED', 'PICKED_UP', 'AT_HUB', 'OUT_FOR_DELIVERY', 'IN_LOCKER', 'DELIVERED', 'FAILED', 'RETURNED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "ShipmentEventType" AS ENUM ('created', 'assigned', 'accepted', 'rejected', 'picked_up', 'at_hub', 'out_for_delivery', 'in_locker', 'delivered', 'failed', 'returned', 'cancelled');

-- CreateEnum
CREATE TYPE "WebhookDeliveryStatus" AS ENUM ('PENDING', 'DELIVERED', 'DEAD');

-- AlterTable
ALTER TABLE "PickupPoint" ADD COLUMN     "cityEn" TEXT,
ADD COLUMN     "cityZh" TEXT,
ADD COLUMN     "districtEn" TEXT,
ADD COLUMN     "districtZh" TEXT,
ADD COLUMN     "partnerId" TEXT;

-- CreateTable
CREATE TABLE "LogisticsPartner" (
    "id" TEXT NOT NULL,
    "countyId" TEXT NOT NULL,
    "nameZh" TEXT NOT NULL,
    "nameEn" TEXT,
    "kind" "PartnerKind" NOT NULL,
    "services" "PartnerService"[],
    "areas" TEXT[],
    "webhookUrl" TEXT,
    "webhookDisabledAt" TIMESTAMPTZ(3),
    "webhookFailingSince" TIMESTAMPTZ(3),
    "contactName" TEXT,
    "contactPhone" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "LogisticsPartner_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PartnerApiKey" (
    "id" TEXT NOT NULL,
    "partnerId" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "label" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" TIMESTAMPTZ(3),
    "revokedAt" TIMESTAMPTZ(3),

    CONSTRAINT "PartnerApiKey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PartnerSigningSecret" (
    "id" TEXT NOT NULL,
    "partnerId" TEXT NOT NULL,
    "sealed" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "retiresAt" TIMESTAMPTZ(3),

    CONSTRAINT "PartnerSigningSecret_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PartnerMember" (
    "id" TEXT NOT NULL,
    "partnerId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PartnerMember_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PartnerInvitation" (
    "id" TEXT NOT NULL,
    "partnerId" TEXT NOT NULL,
    "identifier" TEXT NOT NULL,
    "invitedById" TEXT,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "acceptedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PartnerInvitation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Shipment" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "shopOrderId" TEXT NOT NULL,
    "countyId" TEXT NOT NULL,
    "partnerId" TEXT,
    "status" "ShipmentStatus" NOT NULL,
    "delivery" "DeliveryMethod" NOT NULL,
    "coldChain" BOOLEAN NOT NULL DEFAULT false,
    "parcelCount" INTEGER NOT NULL,
    "weightGrams" INTEGER NOT NULL,
    "codAmountFen" INTEGER NOT NULL DEFAULT 0,
    "codCollectedFen" INTEGER,
    "waybillNo" TEXT,
    "carrier" TEXT,
    "pickupPointId" TEXT,
    "lockerCode" TEXT,
    "reason" TEXT,
    "feedXid" BIGINT,
    "manifestId" TEXT,
    "lastEventAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Shipment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ShipmentEvent" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "shipmentId" TEXT NOT NULL,
    "eventId" TEXT NOT NULL,
    "type" "ShipmentEventType" NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "note" TEXT,
    "lockerCode" TEXT,
    "codCollectedFen" INTEGER,
    "source" TEXT NOT NULL,
    "actorUserId" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ShipmentEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Manifest" (
    "id" TEXT NOT NULL,
    "countyId" TEXT NOT NULL,
    "partnerId" TEXT NOT NULL,
    "runDate" DATE NOT NULL,
    "route" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Manifest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ManifestStop" (
    "id" TEXT NOT NULL,
    "manifestId" TEXT NOT NULL,
    "stopShopId" TEXT NOT NULL,
    "collectedAt" TIMESTAMPTZ(3),
    "collectedById" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ManifestStop_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookDelivery" (
    "id" TEXT NOT NULL,
    "partnerId" TEXT NOT NULL,
    "shipmentId" TEXT,
    "type" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "status" "WebhookDeliveryStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lockedUntil" TIMESTAMPTZ(3),
    "lastError" TEXT,
    "lastStatusCode" INTEGER,
    "lastAttemptAt" TIMESTAMPTZ(3),
    "deliveredAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WebhookDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "LogisticsPartner_countyId_active_idx" ON "LogisticsPartner"("countyId", "active");

-- CreateIndex
CREATE UNIQUE INDEX "PartnerApiKey_hash_key" ON "PartnerApiKey"("hash");

-- CreateIndex
CREATE INDEX "PartnerApiKey_partnerId_idx" ON "PartnerApiKey"("partnerId");

-- CreateIndex
CREATE INDEX "PartnerSigningSecret_partnerId_createdAt_idx" ON "PartnerSigningSecret"("partnerId", "createdAt");

-- CreateIndex
CREATE INDEX "PartnerMember_userId_idx" ON "PartnerMember"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "PartnerMember_partnerId_userId_key" ON "PartnerMember"("partnerId", "userId");

-- CreateIndex
CREATE INDEX "PartnerInvitation_partnerId_createdAt_idx" ON "PartnerInvitation"("partnerId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Shipment_shopOrderId_key" ON "Shipment"("shopOrderId");

-- CreateIndex
CREATE INDEX "Shipment_partnerId_feedXid_id_idx" ON "Shipment"("partnerId", "feedXid", "id");

-- CreateIndex
CREATE INDEX "Shipment_countyId_status_idx" ON "Shipment"("countyId", "status");

-- CreateIndex
CREATE INDEX "Shipment_shopId_status_idx" ON "Shipment"("shopId", "status");

-- CreateIndex
CREATE INDEX "Shipment_manifestId_idx" ON "Shipment"("manifestId");

-- CreateIndex
CREATE INDEX "ShipmentEvent_shopId_shipmentId_at_idx" ON "ShipmentEvent"("shopId", "shipmentId", "at");

-- CreateIndex
CREATE UNIQUE INDEX "ShipmentEvent_shipmentId_eventId_key" ON "ShipmentEvent"("shipmentId", "eventId");

-- CreateIndex
CREATE INDEX "Manifest_countyId_runDate_idx" ON "Manifest"("countyId", "runDate");

-- CreateIndex
CREATE UNIQUE INDEX "Manifest_partnerId_runDate_route_key" ON "Manifest"("partnerId", "runDate", "route");

-- CreateIndex
CREATE UNIQUE INDEX "ManifestStop_manifestId_stopShopId_key" ON "ManifestStop"("manifestId", "stopShopId");

-- CreateIndex
CREATE INDEX "WebhookDelivery_status_nextAttemptAt_idx" ON "WebhookDelivery"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "WebhookDelivery_partnerId_createdAt_idx" ON "WebhookDelivery"("partnerId", "createdAt");

-- AddForeignKey
ALTER TABLE "PickupPoint" ADD CONSTRAINT "PickupPoint_partnerId_fkey" FOREIGN KEY ("partnerId") REFERENCES "LogisticsPartner"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LogisticsPartner" ADD CONSTRAINT "LogisticsPartner_countyId_fkey" FOREIGN KEY ("countyId") REFERENCES "County"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PartnerApiKey" ADD CONSTRAINT "PartnerApiKey_partnerId_fkey" FOREIGN KEY ("partnerId") REFERENCES "LogisticsPartner"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PartnerSigningSecret" ADD CONSTRAINT "PartnerSigningSecret_partnerId_fkey" FOREIGN KEY ("partnerId") REFERENCES "LogisticsPartner"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PartnerMember" ADD CONSTRAINT "PartnerMember_partnerId_fkey" FOREIGN KEY ("partnerId") REFERENCES "LogisticsPartner"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PartnerMember" ADD CONSTRAINT "PartnerMember_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PartnerInvitation" ADD CONSTRAINT "PartnerInvitation_partnerId_fkey" FOREIGN KEY ("partnerId") REFERENCES "LogisticsPartner"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Shipment" ADD CONSTRAINT "Shipment_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Shipment" ADD CONSTRAINT "Shipment_shopOrderId_fkey" FOREIGN KEY ("shopOrderId") REFERENCES "ShopOrder"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Shipment" ADD CONSTRAINT "Shipment_countyId_fkey" FOREIGN KEY ("countyId") REFERENCES "County"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Shipment" ADD CONSTRAINT "Shipment_partnerId_fkey" FOREIGN KEY ("partnerId") REFERENCES "LogisticsPartner"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Shipment" ADD CONSTRAINT "Shipment_pickupPointId_fkey" FOREIGN KEY ("pickupPointId") REFERENCES "PickupPoint"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Shipment" ADD CONSTRAINT "Shipment_manifestId_fkey" FOREIGN KEY ("manifestId") REFERENCES "Manifest"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ShipmentEvent" ADD CONSTRAINT "ShipmentEvent_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ShipmentEvent" ADD CONSTRAINT "ShipmentEvent_shipmentId_fkey" FOREIGN KEY ("shipmentId") REFERENCES "Shipment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Manifest" ADD CONSTRAINT "Manifest_countyId_fkey" FOREIGN KEY ("countyId") REFERENCES "County"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Manifest" ADD CONSTRAINT "Manifest_partnerId_fkey" FOREIGN KEY ("partnerId") REFERENCES "LogisticsPartner"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ManifestStop" ADD CONSTRAINT "ManifestStop_manifestId_fkey" FOREIGN KEY ("manifestId") REFERENCES "Manifest"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WebhookDelivery" ADD CONSTRAINT "WebhookDelivery_partnerId_fkey" FOREIGN KEY ("partnerId") REFERENCES "LogisticsPartner"("id") ON DELETE CASCADE ON UPDATE CASCADE;
