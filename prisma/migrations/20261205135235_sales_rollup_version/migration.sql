-- CreateTable
CREATE TABLE "SalesRollupVersion" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "version" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "SalesRollupVersion_pkey" PRIMARY KEY ("id")
);

-- The one row, and its bump after every statement that writes the roll-ups' SalesDaily rows
-- (sales_rollup_refresh and sales_rollup_rebuild delete and insert them): a dashboard remembered
-- under an older version is recomputed (app/modules/reports/dashboard-cache.server.ts).
INSERT INTO "SalesRollupVersion" (id, version) VALUES (1, 0) ON CONFLICT DO NOTHING;

CREATE FUNCTION sales_rollup_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "SalesRollupVersion" SET version = version + 1 WHERE id = 1;
  RETURN NULL;
END $$;

CREATE TRIGGER "SalesDaily_version" AFTER INSERT OR UPDATE OR DELETE ON "SalesDaily"
  FOR EACH STATEMENT EXECUTE FUNCTION sales_rollup_version_bump();

-- A shop order's steps (packed, handed over, delivered), its status and its buyer now mark its
-- paid day too: the dashboard remembers its buyers and fulfilment times under the version, and
-- these are what they read. The marker is an append-only row, so writers still never wait on
-- one another; the refresh recomputes that one (shop, day) and raises the version.
CREATE OR REPLACE FUNCTION sales_rollup_mark_shop_orders() RETURNS trigger LANGUAGE plpgsql AS $$
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
    -- Only changes the dashboard reads: a note leaves them alone.
    INSERT INTO "SalesRollupDirty" ("shopId", day)
    SELECT DISTINCT x.shop, (x.paid AT TIME ZONE 'Asia/Shanghai')::date
      FROM new_rows n JOIN old_rows o ON o.id = n.id
     CROSS JOIN LATERAL (VALUES (n."shopId", n."paidAt"), (o."shopId", o."paidAt")) AS x(shop, paid)
     WHERE x.paid IS NOT NULL
       AND (n."shopId", n."paidAt", n."totalFen", n."refundedFen", n.delivery, n."pickupPointId",
            n."packedAt", n."handedOverAt", n."deliveredAt", n.status, n."buyerKey")
           IS DISTINCT FROM (o."shopId", o."paidAt", o."totalFen", o."refundedFen", o.delivery, o."pickupPointId",
            o."packedAt", o."handedOverAt", o."deliveredAt", o.status, o."buyerKey");
  END IF;
  RETURN NULL;
END $$;
