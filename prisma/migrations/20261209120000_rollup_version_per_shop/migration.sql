-- CreateTable
CREATE TABLE "SalesRollupShopVersion" (
    "shopId" TEXT NOT NULL,
    "version" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "SalesRollupShopVersion_pkey" PRIMARY KEY ("shopId")
);

-- AddForeignKey
ALTER TABLE "SalesRollupShopVersion" ADD CONSTRAINT "SalesRollupShopVersion_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The roll-ups' version per shop (decision 028, follow-up 7; decision 018's amendment): the one-row
-- "SalesRollupVersion", raised by every statement that wrote SalesDaily, is replaced by one row per
-- shop, raised for each shop whose SalesDaily rows a statement inserted, updated or deleted. A
-- refresh or a rebuild rewrites a (shop, day) by deleting and inserting its rows, so every shop it
-- recomputed is raised; a refresh in one county leaves another county's shops, and so its
-- dashboard's remembered figures, alone. On Citus SalesDaily and this table are both distributed by
-- "shopId": the trigger writes only rows of the shops the statement touched, co-located with them.
-- "Shop" (a reference table there) is joined so that a statement deleting the rows of a shop
-- that no longer exists (SalesDaily has no foreign key) does not fail on this table's key.
-- Transition tables allow one event per trigger: three triggers, one function.
CREATE FUNCTION sales_rollup_shop_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "SalesRollupShopVersion" AS v ("shopId", version)
    SELECT t.shop, 1
      FROM (SELECT DISTINCT n."shopId" AS shop FROM new_rows n) t JOIN "Shop" s ON s.id = t.shop
     ORDER BY t.shop
        ON CONFLICT ("shopId") DO UPDATE SET version = v.version + 1;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO "SalesRollupShopVersion" AS v ("shopId", version)
    SELECT t.shop, 1
      FROM (SELECT DISTINCT o."shopId" AS shop FROM old_rows o) t JOIN "Shop" s ON s.id = t.shop
     ORDER BY t.shop
        ON CONFLICT ("shopId") DO UPDATE SET version = v.version + 1;
  ELSE
    INSERT INTO "SalesRollupShopVersion" AS v ("shopId", version)
    SELECT t.shop, 1
      FROM (SELECT n."shopId" AS shop FROM new_rows n UNION SELECT o."shopId" FROM old_rows o) t
      JOIN "Shop" s ON s.id = t.shop
     ORDER BY t.shop
        ON CONFLICT ("shopId") DO UPDATE SET version = v.version + 1;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "SalesDaily_version_insert" AFTER INSERT ON "SalesDaily"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION sales_rollup_shop_version_bump();
CREATE TRIGGER "SalesDaily_version_update" AFTER UPDATE ON "SalesDaily"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION sales_rollup_shop_version_bump();
CREATE TRIGGER "SalesDaily_version_delete" AFTER DELETE ON "SalesDaily"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION sales_rollup_shop_version_bump();

-- Backfill: every shop with roll-up rows starts at 1 (a process remembers nothing across a restart,
-- so the numbers need not continue the old table's).
INSERT INTO "SalesRollupShopVersion" ("shopId", version)
SELECT DISTINCT r."shopId", 1 FROM "SalesDaily" r JOIN "Shop" s ON s.id = r."shopId";

-- The one-row table and its trigger.
DROP TRIGGER "SalesDaily_version" ON "SalesDaily";
DROP FUNCTION sales_rollup_version_bump();
DROP TABLE "SalesRollupVersion";
