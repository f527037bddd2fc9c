-- The checkout writes an order and its shop orders in one statement (a CTE, place-order), where
-- the shop order's BEFORE INSERT trigger cannot see the order being inserted beside it: such shop
-- orders were left with a NULL "buyerKey" (issue #13 found it while attaching guest orders to
-- accounts). An order's AFTER INSERT trigger runs once the whole statement is done, when its shop
-- orders are there: it sets their buyer as the update trigger does. Shop orders written after
-- their order (the demo's and the tenant tools' paths) already have it and are not touched.
CREATE FUNCTION order_buyer_key_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "ShopOrder" SET "buyerKey" = COALESCE('u:' || NEW."userId", 'p:' || NEW."contactPhone")
   WHERE "orderId" = NEW.id
     AND "buyerKey" IS DISTINCT FROM COALESCE('u:' || NEW."userId", 'p:' || NEW."contactPhone");
  RETURN NULL;
END $$;
CREATE TRIGGER "Order_buyer_key_insert" AFTER INSERT ON "Order"
  FOR EACH ROW EXECUTE FUNCTION order_buyer_key_inserted();

-- The shop orders placed so far without it.
UPDATE "ShopOrder" so SET "buyerKey" = COALESCE('u:' || o."userId", 'p:' || o."contactPhone")
  FROM "Order" o WHERE o.id = so."orderId" AND so."buyerKey" IS NULL;
