import { db } from "~/db/index.server";
import { pick } from "~/lib/i18n";
import { deleteImage, shopBrandImages } from "~/modules/media/images.server";
import { toPicture } from "~/modules/media/picture";
import { storeUpload, type UploadResult } from "~/modules/media/upload.server";
import { brandContrast, MIN_CONTRAST } from "./contrast";
import { HEX_COLOUR } from "./schema";

// A shop's look: logo, banner and brand colours (readable: WCAG AA). Its own domain is the
// domains module's (verified through DNS, issue #9).

/** What the branding page shows, including the storefront header's preview. */
export async function getBranding({ shopId, lng }: { shopId: string; lng: string }) {
  const shop = await db().shop.findUniqueOrThrow({
    where: { id: shopId },
    include: { county: true },
  });
  const { logo, banner } = await shopBrandImages(shop);
  const name = pick(lng, shop.nameZh, shop.nameEn);
  return {
    name,
    village: pick(lng, shop.villageZh, shop.villageEn),
    county: pick(lng, shop.county.nameZh, shop.county.nameEn),
    themePrimary: shop.themePrimary,
    themeAccent: shop.themeAccent,
    logo: logo ? toPicture(logo, lng, name) : null,
    banner: banner ? toPicture(banner, lng, name) : null,
  };
}

export type Branding = Awaited<ReturnType<typeof getBranding>>;

type Refusal = { ok: false; error: string };

/** Saves the brand colours if white text on the primary and dark text on the accent are readable. */
export async function saveBrandColours({
  shopId,
  primary,
  accent,
}: {
  shopId: string;
  primary: string;
  accent: string;
}): Promise<{ ok: true } | Refusal> {
  if (!HEX_COLOUR.test(primary) || !HEX_COLOUR.test(accent))
    return { ok: false, error: "media.branding.errors.colour" };
  const ratios = brandContrast(primary, accent);
  if (ratios.primary < MIN_CONTRAST || ratios.accent < MIN_CONTRAST) {
    return { ok: false, error: "media.branding.errors.contrast" };
  }
  await db().shop.update({ where: { id: shopId }, data: { themePrimary: primary, themeAccent: accent } });
  return { ok: true };
}

export type BrandImageRole = "LOGO" | "BANNER";

async function currentBrandImage(shopId: string, role: BrandImageRole): Promise<string | null> {
  const shop = await db().shop.findUniqueOrThrow({
    where: { id: shopId },
    select: { logoImageId: true, bannerImageId: true },
  });
  return role === "LOGO" ? shop.logoImageId : shop.bannerImageId;
}

async function setBrandImage(shopId: string, role: BrandImageRole, imageId: string | null) {
  await db().shop.update({
    where: { id: shopId },
    data: role === "LOGO" ? { logoImageId: imageId } : { bannerImageId: imageId },
  });
}

/** Uploads a new logo or banner in place of the current one, which is deleted. */
export async function replaceBrandImage({
  shopId,
  role,
  file,
  alt,
}: {
  shopId: string;
  role: BrandImageRole;
  file: Blob;
  alt: { zh: string; en: string };
}): Promise<UploadResult> {
  const result = await storeUpload({ shopId, role, file, alt });
  if (!result.ok) return result;
  const previous = await currentBrandImage(shopId, role);
  if (previous !== result.imageId) {
    await setBrandImage(shopId, role, result.imageId);
    if (previous) await deleteImage({ shopId, imageId: previous });
  }
  return result;
}

/** Removes the logo or banner. */
export async function removeBrandImage({ shopId, role }: { shopId: string; role: BrandImageRole }): Promise<void> {
  const current = await currentBrandImage(shopId, role);
  if (!current) return;
  await setBrandImage(shopId, role, null);
  await deleteImage({ shopId, imageId: current });
}
