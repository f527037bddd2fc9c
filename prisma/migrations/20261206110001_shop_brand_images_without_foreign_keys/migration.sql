-- A shop's logo and banner keep their image ids without a foreign key to "Image" (docs/decisions/028,
-- follow-up 6): on Citus "Shop" is a reference table and "Image" is distributed by shop, and a reference
-- table may not reference a distributed one. The pictures are read within their shop, and deleting an
-- image clears a logo or banner that names it (app/modules/media/images.server.ts), as ON DELETE SET NULL did.

-- DropForeignKey
ALTER TABLE "Shop" DROP CONSTRAINT "Shop_bannerImageId_fkey";

-- DropForeignKey
ALTER TABLE "Shop" DROP CONSTRAINT "Shop_logoImageId_fkey";
