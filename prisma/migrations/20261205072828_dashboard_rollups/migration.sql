-- CreateTable
CREATE TABLE "SalesDaily" (
    "shopId" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "delivery" "DeliveryMethod" NOT NULL,
    "pickupPointId" TEXT NOT NULL DEFAULT '',
    "gmvFen" BIGINT NOT NULL,
    "refundsFen" BIGINT NOT NULL,
    "orders" INTEGER NOT NULL,
    "refundedOrders" INTEGER NOT NULL,
    "produceOrders" INTEGER NOT NULL,
    "specialtyOrders" INTEGER NOT NULL,
    "experienceOrders" INTEGER NOT NULL,

    CONSTRAINT "SalesDaily_pkey" PRIMARY KEY ("shopId","day","delivery","pickupPointId")
);

-- CreateTable
CREATE TABLE "ProductSalesDaily" (
    "shopId" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "productKey" TEXT NOT NULL,
    "kind" "ProductKind" NOT NULL,
    "titleZh" TEXT NOT NULL,
    "titleEn" TEXT,
    "salesFen" BIGINT NOT NULL,
    "quantity" BIGINT NOT NULL,
    "orders" INTEGER NOT NULL,

    CONSTRAINT "ProductSalesDaily_pkey" PRIMARY KEY ("shopId","day","productKey","kind")
);

-- CreateTable
CREATE TABLE "SalesRollupDirty" (
    "id" BIGSERIAL NOT NULL,
    "shopId" TEXT NOT NULL,
    "day" DATE NOT NULL,

    CONSTRAINT "SalesRollupDirty_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BatchScanDaily" (
    "batchId" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "shopId" TEXT NOT NULL,
    "scans" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "BatchScanDaily_pkey" PRIMARY KEY ("batchId","day")
);

-- CreateIndex
CREATE INDEX "BatchScanDaily_shopId_day_idx" ON "BatchScanDaily"("shopId", "day");

-- CreateIndex
CREATE INDEX "ShopOrder_shopId_paidAt_idx" ON "ShopOrder"("shopId", "paidAt");

-- AddForeignKey
ALTER TABLE "BatchScanDaily" ADD CONSTRAINT "BatchScanDaily_batchId_fkey" FOREIGN KEY ("batchId") REFERENCES "Batch"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- ─── Roll-ups kept right by the writers (docs/decisions/018-dashboard-rollups.md) ───────────
-- Statement-level triggers with transition tables mark the (shop, Shanghai day) pairs a write
-- touched; sales_rollup_refresh(), run before each dashboard read, recomputes exactly those from
-- ShopOrder/ShopOrderLine through the (shopId, paidAt) index. One statement that inserts 100,000
-- orders writes one marker per pair it touched, not per row.

CREATE FUNCTION sales_rollup_mark_shop_orders() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "SalesRollupDirty" ("shopId", day)
    SELECT DISTINCT n."shopId", (n."paidAt" AT TIME ZONE 'Asia/Shanghai')::date
      FROM new_rows n WHERE n."paidAt" IS NOT NULL;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO "SalesRollupDirty" ("shopId", day)
    SELECT DISTINCT o."shopId", (o."paidAt" AT TIME ZONE 'Asia/Shanghai')::date
      FROM old_rows o WHERE o."paidAt" IS NOT NULL;
  ELSE
    -- Only changes the roll-ups read: packing or a note leaves them alone.
    INSERT INTO "SalesRollupDirty" ("shopId", day)
    SELECT DISTINCT x.shop, (x.paid AT TIME ZONE 'Asia/Shanghai')::date
      FROM new_rows n JOIN old_rows o ON o.id = n.id
     CROSS JOIN LATERAL (VALUES (n."shopId", n."paidAt"), (o."shopId", o."paidAt")) AS x(shop, paid)
     WHERE x.paid IS NOT NULL
       AND (n."shopId", n."paidAt", n."totalFen", n."refundedFen", n.delivery, n."pickupPointId")
           IS DISTINCT FROM (o."shopId", o."paidAt", o."totalFen", o."refundedFen", o.delivery, o."pickupPointId");
  END IF;
  RETURN NULL;
END $$;

-- A line counts on its shop order's paid day; lines of an unpaid order are marked when it is paid.
CREATE FUNCTION sales_rollup_mark_shop_order_lines() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "SalesRollupDirty" ("shopId", day)
    SELECT DISTINCT so."shopId", (so."paidAt" AT TIME ZONE 'Asia/Shanghai')::date
      FROM (SELECT DISTINCT "shopOrderId" FROM new_rows) l JOIN "ShopOrder" so ON so.id = l."shopOrderId"
     WHERE so."paidAt" IS NOT NULL;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO "SalesRollupDirty" ("shopId", day)
    SELECT DISTINCT so."shopId", (so."paidAt" AT TIME ZONE 'Asia/Shanghai')::date
      FROM (SELECT DISTINCT "shopOrderId" FROM old_rows) l JOIN "ShopOrder" so ON so.id = l."shopOrderId"
     WHERE so."paidAt" IS NOT NULL;
  ELSE
    INSERT INTO "SalesRollupDirty" ("shopId", day)
    SELECT DISTINCT so."shopId", (so."paidAt" AT TIME ZONE 'Asia/Shanghai')::date
      FROM (SELECT "shopOrderId" FROM new_rows UNION SELECT "shopOrderId" FROM old_rows) l
      JOIN "ShopOrder" so ON so.id = l."shopOrderId"
     WHERE so."paidAt" IS NOT NULL;
  END IF;
  RETURN NULL;
END $$;

-- Transition tables allow one event per trigger, hence three of each.
CREATE TRIGGER "ShopOrder_rollup_insert" AFTER INSERT ON "ShopOrder"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION sales_rollup_mark_shop_orders();
CREATE TRIGGER "ShopOrder_rollup_update" AFTER UPDATE ON "ShopOrder"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION sales_rollup_mark_shop_orders();
CREATE TRIGGER "ShopOrder_rollup_delete" AFTER DELETE ON "ShopOrder"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION sales_rollup_mark_shop_orders();
CREATE TRIGGER "ShopOrderLine_rollup_insert" AFTER INSERT ON "ShopOrderLine"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION sales_rollup_mark_shop_order_lines();
CREATE TRIGGER "ShopOrderLine_rollup_update" AFTER UPDATE ON "ShopOrderLine"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION sales_rollup_mark_shop_order_lines();
CREATE TRIGGER "ShopOrderLine_rollup_delete" AFTER DELETE ON "ShopOrderLine"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION sales_rollup_mark_shop_order_lines();

-- Recomputes the marked (shop, day) pairs; returns how many. Refreshes run one at a time (an
-- advisory lock), so two never insert the same roll-up key; a marker committed meanwhile is
-- left for the next refresh, and recomputing a pair twice gives the same rows.
CREATE FUNCTION sales_rollup_refresh() RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  shops text[];
  days date[];
  n integer;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM "SalesRollupDirty") THEN RETURN 0; END IF;
  PERFORM pg_advisory_xact_lock(hashtext('sales_rollup_refresh'));
  WITH d AS (DELETE FROM "SalesRollupDirty" RETURNING "shopId", day),
       u AS (SELECT DISTINCT "shopId", day FROM d)
  SELECT array_agg(u."shopId"), array_agg(u.day), count(*) INTO shops, days, n FROM u;
  IF n = 0 THEN RETURN 0; END IF;

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

-- From scratch (this migration, repairs, the benchmark's loader): every paid day is marked, the
-- roll-ups emptied and refreshed, in one transaction.
CREATE FUNCTION sales_rollup_rebuild() RETURNS integer LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('sales_rollup_refresh'));
  DELETE FROM "SalesDaily";
  DELETE FROM "ProductSalesDaily";
  INSERT INTO "SalesRollupDirty" ("shopId", day)
  SELECT DISTINCT "shopId", ("paidAt" AT TIME ZONE 'Asia/Shanghai')::date FROM "ShopOrder" WHERE "paidAt" IS NOT NULL;
  RETURN sales_rollup_refresh();
END $$;

SELECT sales_rollup_rebuild();
