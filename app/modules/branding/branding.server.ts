import { db } from "~/db/index.server";
import { env } from "~/env.server";
import { pick } from "~/lib/i18n";
import { deleteImage } from "~/modules/media/images.server";
import { toPicture } from "~/modules/media/picture";
import { storeUpload, type UploadResult } from "~/modules/media/upload.server";
import { uniqueViolation } from "~/modules/shops/unique-violation.server";
import { classifyHost } from "~/modules/tenancy/host";
import { brandContrast, MIN_CONTRAST } from "./contrast";
import { HEX_COLOUR } from "./schema";

// A shop's look: logo, banner, brand colours (readable: WCAG AA) and its own domain.

/** What the branding page shows, including the storefront header's preview. */
export async function getBranding({ shopId, lng }: { shopId: string; lng: string }) {
  const shop = await db().shop.findUniqueOrThrow({
    where: { id: shopId },
    include: { county: true, logo: { include: { renditions: true } }, banner: { include: { renditions: true } } },
  });
  const name = pick(lng, shop.nameZh, shop.nameEn);
  return {
    name,
    village: pick(lng, shop.villageZh, shop.villageEn),
    county: pick(lng, shop.county.nameZh, shop.county.nameEn),
    themePrimary: shop.themePrimary,
    themeAccent: shop.themeAccent,
    customDomain: shop.customDomain,
    customDomainVerified: Boolean(shop.customDomainVerifiedAt),
    logo: shop.logo ? toPicture(shop.logo, lng, name) : null,
    banner: shop.banner ? toPicture(shop.banner, lng, name) : null,
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
  if (!HEX_COLOUR.test(primary) || !HEX_COLOUR.test(accent)) return { ok: false, error: "media.branding.errors.colour" };
  const ratios = brandContrast(primary, accent);
  if (ratios.primary < MIN_CONTRAST || ratios.accent < MIN_CONTRAST) {
    return { ok: false, error: "media.branding.errors.contrast" };
  }
  await db().shop.update({ where: { id: shopId }, data: { themePrimary: primary, themeAccent: accent } });
  return { ok: true };
}

/**
 * Sets (or, with null, removes) the shop's own domain: a host name no other shop has and not
 * one of the platform's. A changed domain needs verifying again.
 */
export async function saveCustomDomain({
  shopId,
  domain,
}: {
  shopId: string;
  domain: string | null;
}): Promise<{ ok: true } | Refusal> {
  if (domain && classifyHost(domain, env().PLATFORM_HOST).type !== "custom") {
    return { ok: false, error: "media.branding.errors.domainPlatform" };
  }
  const current = await db().shop.findUniqueOrThrow({ where: { id: shopId }, select: { customDomain: true } });
  if (current.customDomain === domain) return { ok: true };
  try {
    await db().shop.update({ where: { id: shopId }, data: { customDomain: domain, customDomainVerifiedAt: null } });
  } catch (error) {
    if (uniqueViolation(error, ["customDomain"])) return { ok: false, error: "media.branding.errors.domainTaken" };
    throw error;
  }
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
