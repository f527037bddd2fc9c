-- The shared page cache (docs/decisions/019-shared-page-cache.md): whatever changes what a
-- public page shows sends `NOTIFY page_changes, '<shop id>'` ('*' for every page), delivered
-- to every listening process when the writing transaction commits. Identical notifications of
-- one transaction arrive once, so a bulk write costs one message per shop.

-- The stock a page shows: "sold out", "only N left" up to 5 (LOW_STOCK in
-- app/modules/catalog/types.ts), or just "in stock". Changes within one of these say nothing new.
CREATE FUNCTION page_cache_stock_shown(stock integer) RETURNS integer
  LANGUAGE sql IMMUTABLE AS $$ SELECT CASE WHEN stock <= 0 THEN 0 WHEN stock <= 5 THEN stock ELSE 6 END $$;

-- TG_ARGV[0]: the column that names the row's shop ("shopId", or "id" for "Shop"), or '*'.
CREATE FUNCTION page_cache_notify() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  before jsonb;
  after jsonb;
BEGIN
  IF TG_OP <> 'INSERT' THEN before := to_jsonb(OLD); END IF;
  IF TG_OP <> 'DELETE' THEN after := to_jsonb(NEW); END IF;
  -- A write that changed nothing but its timestamp shows nothing new.
  IF TG_OP = 'UPDATE' AND (before - 'updatedAt') = (after - 'updatedAt') THEN RETURN NULL; END IF;
  IF TG_ARGV[0] = '*' THEN
    PERFORM pg_notify('page_changes', '*');
    RETURN NULL;
  END IF;
  IF before IS NOT NULL THEN PERFORM pg_notify('page_changes', before ->> TG_ARGV[0]); END IF;
  IF after IS NOT NULL AND (before IS NULL OR (after ->> TG_ARGV[0]) <> (before ->> TG_ARGV[0])) THEN
    PERFORM pg_notify('page_changes', after ->> TG_ARGV[0]);
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "County_page_changes" AFTER INSERT OR UPDATE OR DELETE ON "County"
  FOR EACH ROW EXECUTE FUNCTION page_cache_notify('*');
CREATE TRIGGER "Shop_page_changes" AFTER INSERT OR UPDATE OR DELETE ON "Shop"
  FOR EACH ROW EXECUTE FUNCTION page_cache_notify('id');
CREATE TRIGGER "ShopCertification_page_changes" AFTER INSERT OR UPDATE OR DELETE ON "ShopCertification"
  FOR EACH ROW EXECUTE FUNCTION page_cache_notify('shopId');
CREATE TRIGGER "Product_page_changes" AFTER INSERT OR UPDATE OR DELETE ON "Product"
  FOR EACH ROW EXECUTE FUNCTION page_cache_notify('shopId');
CREATE TRIGGER "Variant_page_changes_added" AFTER INSERT OR DELETE ON "Variant"
  FOR EACH ROW EXECUTE FUNCTION page_cache_notify('shopId');
-- A sale moves stock on every order: only a change a page shows (price, title, the stock's
-- state) makes its pages go.
CREATE TRIGGER "Variant_page_changes_updated" AFTER UPDATE ON "Variant"
  FOR EACH ROW WHEN (
    (to_jsonb(OLD) - 'stock' - 'updatedAt') IS DISTINCT FROM (to_jsonb(NEW) - 'stock' - 'updatedAt')
    OR page_cache_stock_shown(OLD.stock) <> page_cache_stock_shown(NEW.stock)
  ) EXECUTE FUNCTION page_cache_notify('shopId');
-- Places left in a slot are shown to the unit.
CREATE TRIGGER "ExperienceSlot_page_changes" AFTER INSERT OR UPDATE OR DELETE ON "ExperienceSlot"
  FOR EACH ROW EXECUTE FUNCTION page_cache_notify('shopId');
CREATE TRIGGER "Image_page_changes" AFTER INSERT OR UPDATE OR DELETE ON "Image"
  FOR EACH ROW EXECUTE FUNCTION page_cache_notify('shopId');
CREATE TRIGGER "ImageRendition_page_changes" AFTER INSERT OR UPDATE OR DELETE ON "ImageRendition"
  FOR EACH ROW EXECUTE FUNCTION page_cache_notify('shopId');
CREATE TRIGGER "Batch_page_changes" AFTER INSERT OR UPDATE OR DELETE ON "Batch"
  FOR EACH ROW EXECUTE FUNCTION page_cache_notify('shopId');
CREATE TRIGGER "BatchProduct_page_changes" AFTER INSERT OR UPDATE OR DELETE ON "BatchProduct"
  FOR EACH ROW EXECUTE FUNCTION page_cache_notify('shopId');
CREATE TRIGGER "BatchInput_page_changes" AFTER INSERT OR UPDATE OR DELETE ON "BatchInput"
  FOR EACH ROW EXECUTE FUNCTION page_cache_notify('shopId');
