-- The dashboard's roll-up refresh in bounded pieces (issue #11, docs/decisions/018): a view
-- brings at most `max_pairs` (shop, day) pairs up to date, the most recent days first, and the
-- worker does the rest in the background, so that no view waits on a year of a bulk load's days.
-- sales_rollup_refresh() (no argument) still refreshes everything.
CREATE FUNCTION sales_rollup_refresh(max_pairs integer) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  shops text[];
  days date[];
  n integer;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM "SalesRollupDirty") THEN RETURN 0; END IF;
  PERFORM pg_advisory_xact_lock(hashtext('sales_rollup_refresh'));
  SELECT array_agg(p."shopId"), array_agg(p.day), count(*) INTO shops, days, n
    FROM (SELECT DISTINCT "shopId", day FROM "SalesRollupDirty" ORDER BY day DESC, "shopId" LIMIT max_pairs) p;
  IF n = 0 THEN RETURN 0; END IF;
  -- A marker committed after this statement began stays for the next refresh; those deleted
  -- here were committed before the recompute below starts, so it sees their writes.
  DELETE FROM "SalesRollupDirty" d USING unnest(shops, days) AS x(shop, day)
   WHERE d."shopId" = x.shop AND d.day = x.day;

  DELETE FROM "SalesDaily" r USING unnest(shops, days) AS x(shop, day)
   WHERE r."shopId" = x.shop AND r.day = x.day;
  DELETE FROM "ProductSalesDaily" r USING unnest(shops, days) AS x(shop, day)
   WHERE r."shopId" = x.shop AND r.day = x.day;

  INSERT INTO "SalesDaily" ("shopId", day, delivery, "pickupPointId", "gmvFen", "refundsFen", orders,
                            "refundedOrders", "produceOrders", "specialtyOrders", "experienceOrders")
  SELECT so."shopId", x.day, so.delivery, COALESCE(so."pickupPointId", ''),
         SUM(so."totalFen"), SUM(so."refundedFen"), COUNT(*),
         COUNT(*) FILTER (WHERE so."refundedFen" > 0),
         COUNT(*) FILTER (WHERE k.produce), COUNT(*) FILTER (WHERE k.specialty), COUNT(*) FILTER (WHERE k.experience)
    FROM unnest(shops, days) AS x(shop, day)
    JOIN "ShopOrder" so ON so."shopId" = x.shop
     AND so."paidAt" >= (x.day::timestamp AT TIME ZONE 'Asia/Shanghai')
     AND so."paidAt" < ((x.day + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')
   CROSS JOIN LATERAL (
     SELECT COALESCE(bool_or(l.kind = 'PRODUCE'), false) AS produce,
            COALESCE(bool_or(l.kind = 'SPECIALTY'), false) AS specialty,
            COALESCE(bool_or(l.kind = 'EXPERIENCE'), false) AS experience
       FROM "ShopOrderLine" l WHERE l."shopId" = so."shopId" AND l."shopOrderId" = so.id) k
   GROUP BY 1, 2, 3, 4;

  INSERT INTO "ProductSalesDaily" ("shopId", day, "productKey", kind, "titleZh", "titleEn", "salesFen", quantity, orders)
  SELECT so."shopId", x.day, COALESCE(l."productId", ''), l.kind, MAX(l."titleZh"), MAX(l."titleEn"),
         SUM(l."lineTotalFen"), SUM(l.quantity), COUNT(DISTINCT so.id)
    FROM unnest(shops, days) AS x(shop, day)
    JOIN "ShopOrder" so ON so."shopId" = x.shop
     AND so."paidAt" >= (x.day::timestamp AT TIME ZONE 'Asia/Shanghai')
     AND so."paidAt" < ((x.day + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')
    JOIN "ShopOrderLine" l ON l."shopId" = so."shopId" AND l."shopOrderId" = so.id
   GROUP BY 1, 2, 3, 4;
  RETURN n;
END $$;

CREATE OR REPLACE FUNCTION sales_rollup_refresh() RETURNS integer LANGUAGE plpgsql AS $$
BEGIN
  RETURN sales_rollup_refresh(NULL);
END $$;
