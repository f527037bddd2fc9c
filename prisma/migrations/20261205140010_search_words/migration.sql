-- CreateTable
CREATE TABLE "ProductSearch" (
    "productId" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "words" tsvector NOT NULL,
    "title" tsvector NOT NULL,
    "shop" tsvector NOT NULL,
    "summary" tsvector NOT NULL,
    "pinyin" tsvector NOT NULL,
    "plain" TEXT NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProductSearch_pkey" PRIMARY KEY ("productId")
);

-- CreateTable
CREATE TABLE "SearchSynonym" (
    "id" TEXT NOT NULL,
    "term" TEXT NOT NULL,
    "words" TEXT[],
    "oneWay" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SearchSynonym_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ProductSearch_shopId_idx" ON "ProductSearch"("shopId");

-- CreateIndex
CREATE INDEX "ProductSearch_words_idx" ON "ProductSearch" USING GIN ("words");

-- CreateIndex
CREATE INDEX "ProductSearch_pinyin_idx" ON "ProductSearch" USING GIN ("pinyin");

-- CreateIndex
CREATE INDEX "ProductSearch_plain_trgm_idx" ON "ProductSearch" USING GIN ("plain" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "SearchSynonym_term_idx" ON "SearchSynonym"("term");

-- CreateIndex
CREATE INDEX "SearchSynonym_words_idx" ON "SearchSynonym" USING GIN ("words");

-- AddForeignKey
ALTER TABLE "ProductSearch" ADD CONSTRAINT "ProductSearch_productId_fkey" FOREIGN KEY ("productId") REFERENCES "Product"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- A product's words are rebuilt by the catalog writers (app/modules/search). Any other change of
-- the text they come from drops the row, so a stale row never answers: an unindexed product is
-- matched by substrings of its titles until it is indexed again (npm run search:reindex).
CREATE FUNCTION product_search_forget_product() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "ProductSearch" WHERE "productId" = NEW.id;
  RETURN NULL;
END $$;

CREATE TRIGGER product_search_forget_product AFTER UPDATE OF "titleZh", "titleEn", "summaryZh", "summaryEn",
  "descriptionZh", "descriptionEn", "giName", "storageZh", "storageEn", "includedZh", "includedEn",
  "meetingPointZh", "meetingPointEn", "shopId" ON "Product"
  FOR EACH ROW EXECUTE FUNCTION product_search_forget_product();

CREATE FUNCTION product_search_forget_shop() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "ProductSearch" WHERE "shopId" = NEW.id;
  RETURN NULL;
END $$;

CREATE TRIGGER product_search_forget_shop AFTER UPDATE OF "nameZh", "nameEn", "villageZh", "villageEn",
  "townZh", "townEn", "countyId" ON "Shop"
  FOR EACH ROW EXECUTE FUNCTION product_search_forget_shop();

CREATE FUNCTION product_search_forget_county() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "ProductSearch" WHERE "shopId" IN (SELECT id FROM "Shop" WHERE "countyId" = NEW.id);
  RETURN NULL;
END $$;

CREATE TRIGGER product_search_forget_county AFTER UPDATE OF "nameZh", "nameEn", "cityZh", "cityEn" ON "County"
  FOR EACH ROW EXECUTE FUNCTION product_search_forget_county();

-- Synonyms for the demo catalogue; the platform admin edits them at /platform/search.
INSERT INTO "SearchSynonym" ("id", "term", "words", "oneWay") VALUES
  ('seed-crab', '螃蟹', ARRAY['大闸蟹', '河蟹', '毛蟹', '清水蟹', 'crab'], false),
  ('seed-crab-kinds', '螃蟹', ARRAY['蟹', '蟹黄', '蟹肉'], true),
  ('seed-crab-roe', '蟹黄', ARRAY['蟹粉', '蟹膏'], false),
  ('seed-pot', '壶', ARRAY['茶壶', '紫砂壶', 'teapot'], true),
  ('seed-teapot', '茶壶', ARRAY['teapot', '紫砂壶'], false),
  ('seed-cup', '茶杯', ARRAY['品茗杯', '杯', 'cup'], false),
  ('seed-strawberry', '草莓', ARRAY['strawberry', '士多啤梨'], false),
  ('seed-peach', '桃', ARRAY['桃子', 'peach'], false),
  ('seed-honey-peach', '水蜜桃', ARRAY['蜜桃'], false),
  ('seed-tea', '茶', ARRAY['茶叶', 'tea'], false),
  ('seed-tea-kinds', '茶', ARRAY['绿茶', '白茶', '碧螺春'], true),
  ('seed-green-tea', '绿茶', ARRAY['碧螺春'], true),
  ('seed-salted-egg', '咸鸭蛋', ARRAY['咸蛋', '鸭蛋'], false),
  ('seed-egg', '蛋', ARRAY['鸭蛋', 'egg'], false),
  ('seed-bamboo-shoot', '竹笋', ARRAY['笋', '冬笋', '春笋', 'shoot'], false),
  ('seed-farm-stay', '民宿', ARRAY['农家乐', '住宿', '农庄', 'homestay'], false),
  ('seed-picking', '采摘', ARRAY['摘', 'picking'], false),
  ('seed-oil', '菜籽油', ARRAY['菜油', '油'], false),
  ('seed-jam', '果酱', ARRAY['jam'], false),
  ('seed-flowers', '油菜花', ARRAY['菜花', '花'], false);
