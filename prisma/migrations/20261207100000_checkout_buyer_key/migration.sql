-- Checkout cost (issue #12, docs/decisions/034-checkout-cost.md). The checkout writes an order and
-- its shop orders in one statement and now sets each shop order's "buyerKey" itself. Before, the
-- shop order's BEFORE INSERT trigger looked the order up (not yet visible: NULL), and the order's
-- AFTER INSERT trigger then updated every new shop order again: a second row version with its
-- index entries, and the roll-up's statement trigger, on every checkout.

-- A shop order inserted with its buyer already set keeps it; otherwise (the tenant tools, the demo,
-- a change of order) it is read from the order as before.
CREATE OR REPLACE FUNCTION shop_order_buyer_key() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' AND NEW."buyerKey" IS NOT NULL THEN RETURN NEW; END IF;
  SELECT COALESCE('u:' || o."userId", 'p:' || o."contactPhone") INTO NEW."buyerKey"
    FROM "Order" o WHERE o.id = NEW."orderId";
  RETURN NEW;
END $$;

-- Updates only when a shop order of the new order lacks the right buyer (a statement that wrote
-- them beside the order without it): no UPDATE statement, and so no roll-up trigger, otherwise.
CREATE OR REPLACE FUNCTION order_buyer_key_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  key text := COALESCE('u:' || NEW."userId", 'p:' || NEW."contactPhone");
BEGIN
  IF EXISTS (SELECT 1 FROM "ShopOrder" WHERE "orderId" = NEW.id AND "buyerKey" IS DISTINCT FROM key) THEN
    UPDATE "ShopOrder" SET "buyerKey" = key WHERE "orderId" = NEW.id AND "buyerKey" IS DISTINCT FROM key;
  END IF;
  RETURN NULL;
END $$;
