-- DropIndex
DROP INDEX "ShopOrder_shopId_paidAt_idx";

-- AlterTable
ALTER TABLE "ShopOrder" ADD COLUMN     "buyerKey" TEXT;

-- CreateIndex
CREATE INDEX "ShopOrder_dashboard_idx" ON "ShopOrder"("shopId", "paidAt", "packedAt", "handedOverAt", "deliveredAt", "buyerKey");

-- Kept by the database: the order's buyer, copied when a shop order is written, and again when
-- the order's user or contact phone changes (a guest's order attached to an account). The
-- dashboard counts distinct buyers from the index above without reading "Order".
CREATE FUNCTION shop_order_buyer_key() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT COALESCE('u:' || o."userId", 'p:' || o."contactPhone") INTO NEW."buyerKey"
    FROM "Order" o WHERE o.id = NEW."orderId";
  RETURN NEW;
END $$;
CREATE TRIGGER "ShopOrder_buyer_key" BEFORE INSERT OR UPDATE OF "orderId" ON "ShopOrder"
  FOR EACH ROW EXECUTE FUNCTION shop_order_buyer_key();

CREATE FUNCTION order_buyer_key_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "ShopOrder" SET "buyerKey" = COALESCE('u:' || NEW."userId", 'p:' || NEW."contactPhone")
   WHERE "orderId" = NEW.id;
  RETURN NULL;
END $$;
CREATE TRIGGER "Order_buyer_key" AFTER UPDATE OF "userId", "contactPhone" ON "Order"
  FOR EACH ROW WHEN (OLD."userId" IS DISTINCT FROM NEW."userId" OR OLD."contactPhone" IS DISTINCT FROM NEW."contactPhone")
  EXECUTE FUNCTION order_buyer_key_changed();

-- The shop orders there are (the buyer changes no roll-up: their refresh trigger stays out of it).
ALTER TABLE "ShopOrder" DISABLE TRIGGER "ShopOrder_rollup_update";
UPDATE "ShopOrder" so SET "buyerKey" = COALESCE('u:' || o."userId", 'p:' || o."contactPhone")
  FROM "Order" o WHERE o.id = so."orderId";
ALTER TABLE "ShopOrder" ENABLE TRIGGER "ShopOrder_rollup_update";
