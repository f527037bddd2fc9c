import { asTx, db } from "~/db/index.server";
import { indexShopProducts } from "~/modules/search/index.server";
import type { ScopedDb } from "~/db/shop-scope.server";
import type { CertificationInput, ShopProfileInput } from "./profile-schema";
import { isSlugFree, suggestSlug, uniqueSlug } from "./slug.server";
import { isForeignKeyViolation, uniqueViolation } from "./unique-violation.server";

// A cooperative's own shop profile: creating the shop (with its first owner) and editing it.
// Field problems come back as i18n keys per form field, and nothing is written.

export type FieldErrors = Partial<Record<string, string[]>>;
export type ProfileResult<T> = ({ ok: true } & T) | { ok: false; fieldErrors: FieldErrors };

type Tx = Parameters<Parameters<ScopedDb["$transaction"]>[0]>[0];

const SLUG_TAKEN = (suggestion: string) => `shopsetup.errors.slugTaken|${JSON.stringify({ suggestion })}`;
const CREDIT_CODE_TAKEN = "shopsetup.errors.creditCodeTaken";
const COUNTY_UNKNOWN = "shopsetup.errors.countyUnknown";

/** The Shop columns the profile form sets. English is optional: "" means "show the Chinese". */
function profileColumns(p: ShopProfileInput) {
  return {
    nameZh: p.nameZh,
    nameEn: p.nameEn ?? "",
    countyId: p.countyId,
    townZh: p.townZh ?? null,
    townEn: p.townEn ?? null,
    villageZh: p.villageZh,
    villageEn: p.villageEn ?? "",
    taglineZh: p.taglineZh ?? null,
    taglineEn: p.taglineEn ?? null,
    storyZh: p.storyZh ?? null,
    storyEn: p.storyEn ?? null,
    contactName: p.contactName,
    contactPhone: p.contactPhone,
    contactEmail: p.contactEmail ?? null,
    creditCode: p.creditCode ?? null,
  };
}

function certificationColumns(row: CertificationInput, position: number) {
  return { kind: row.kind, nameZh: row.nameZh, nameEn: row.nameEn ?? "", number: row.number ?? null, position };
}

async function creditCodeHeldByOther(creditCode: string | undefined, shopId: string | null): Promise<boolean> {
  if (!creditCode) return false;
  const holder = await db().shop.findUnique({ where: { creditCode }, select: { id: true } });
  return Boolean(holder && holder.id !== shopId);
}

/** Maps a failed write to field errors, or null when it is not a known conflict. */
async function conflictErrors(error: unknown, slug?: string): Promise<FieldErrors | null> {
  const field = uniqueViolation(error, ["slug", "creditCode"]);
  if (field === "slug" && slug) return { slug: [SLUG_TAKEN(await uniqueSlug(slug))] };
  if (field === "creditCode") return { creditCode: [CREDIT_CODE_TAKEN] };
  if (isForeignKeyViolation(error)) return { countyId: [COUNTY_UNKNOWN] };
  return null;
}

/**
 * Creates a DRAFT shop and makes `userId` its OWNER, in one write. Without a chosen slug
 * one is suggested from the name (and a fresh one tried if another shop takes it meanwhile).
 */
export async function createShop(input: {
  userId: string;
  profile: ShopProfileInput;
  slug?: string;
}): Promise<ProfileResult<{ slug: string }>> {
  const { userId, profile } = input;
  const fieldErrors: FieldErrors = {};
  if (input.slug && !(await isSlugFree(input.slug))) fieldErrors.slug = [SLUG_TAKEN(await uniqueSlug(input.slug))];
  if (await creditCodeHeldByOther(profile.creditCode, null)) fieldErrors.creditCode = [CREDIT_CODE_TAKEN];
  if (Object.keys(fieldErrors).length) return { ok: false, fieldErrors };

  for (let attempt = 1; ; attempt++) {
    const slug = input.slug ?? (await suggestSlug({ zh: profile.nameZh, en: profile.nameEn }));
    try {
      // One nested write is one transaction: the shop never exists without its owner.
      await db().shop.create({
        data: {
          slug,
          status: "DRAFT",
          isDemo: false,
          ...profileColumns(profile),
          memberships: { create: { userId, role: "OWNER" } },
          certifications: { create: profile.certifications.map(certificationColumns) },
        },
      });
      return { ok: true, slug };
    } catch (error) {
      const slugRace = !input.slug && uniqueViolation(error, ["slug"]) === "slug";
      if (slugRace && attempt < 3) continue;
      const errors = await conflictErrors(error, input.slug);
      if (errors) return { ok: false, fieldErrors: errors };
      throw error;
    }
  }
}

/** Saves the profile form (everything but the slug), certifications included. */
export async function updateShopProfile(input: {
  shopId: string;
  profile: ShopProfileInput;
}): Promise<ProfileResult<object>> {
  const { shopId, profile } = input;
  const shop = await db().shop.findUniqueOrThrow({ where: { id: shopId }, select: { status: true } });
  // Once submitted, the platform has checked the credit code: it can be corrected, not removed.
  if (!profile.creditCode && shop.status !== "DRAFT") {
    return { ok: false, fieldErrors: { creditCode: ["shopsetup.errors.creditCodeRequiredAfterSubmit"] } };
  }
  if (await creditCodeHeldByOther(profile.creditCode, shopId)) {
    return { ok: false, fieldErrors: { creditCode: [CREDIT_CODE_TAKEN] } };
  }
  try {
    await db().$transaction(async (tx) => {
      await tx.shop.update({ where: { id: shopId }, data: profileColumns(profile) });
      await syncCertifications(tx, shopId, profile.certifications);
      await indexShopProducts(asTx(tx), { shopId }); // a new name or village: its products' words
    });
    return { ok: true };
  } catch (error) {
    const errors = await conflictErrors(error);
    if (errors) return { ok: false, fieldErrors: errors };
    throw error;
  }
}

/** Rows with an id (of this shop) are updated, new rows created, rows no longer listed removed. */
async function syncCertifications(tx: Tx, shopId: string, rows: CertificationInput[]) {
  const kept = rows.flatMap((row) => (row.id ? [row.id] : []));
  await tx.shopCertification.deleteMany({ where: { shopId, id: { notIn: kept } } });
  for (const [position, row] of rows.entries()) {
    const data = certificationColumns(row, position);
    const updated = row.id
      ? await tx.shopCertification.updateMany({ where: { shopId, id: row.id }, data })
      : { count: 0 };
    if (updated.count === 0) await tx.shopCertification.create({ data: { shopId, ...data } });
  }
}

/** The profile as the settings form shows it. */
export async function getShopProfile(shopId: string) {
  const shop = await db().shop.findUniqueOrThrow({ where: { id: shopId } });
  const certifications = await db().shopCertification.findMany({ where: { shopId }, orderBy: { position: "asc" } });
  const text = (value: string | null) => value ?? "";
  return {
    slug: shop.slug,
    status: shop.status,
    updatedAt: shop.updatedAt.toISOString(),
    values: {
      nameZh: shop.nameZh,
      nameEn: shop.nameEn,
      countyId: shop.countyId,
      townZh: text(shop.townZh),
      townEn: text(shop.townEn),
      villageZh: shop.villageZh,
      villageEn: shop.villageEn,
      taglineZh: text(shop.taglineZh),
      taglineEn: text(shop.taglineEn),
      storyZh: text(shop.storyZh),
      storyEn: text(shop.storyEn),
      contactName: text(shop.contactName),
      contactPhone: text(shop.contactPhone),
      contactEmail: text(shop.contactEmail),
      creditCode: text(shop.creditCode),
      certifications: certifications.map((c) => ({
        id: c.id,
        kind: c.kind as string,
        nameZh: c.nameZh,
        nameEn: c.nameEn,
        number: text(c.number),
      })),
    },
  };
}

export type ShopProfileValues = Awaited<ReturnType<typeof getShopProfile>>["values"];
