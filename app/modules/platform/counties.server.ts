import { db } from "~/db/index.server";
import { pick } from "~/lib/i18n";
import { uniqueViolation } from "~/modules/shops/unique-violation.server";
import type { CountyInput } from "./county-schema";

// Counties (县/区/县级市) are the platform's: the tenant import creates them for the demo
// shops, and platform admins add the others here.

/** Counties in division-code order, named in the page's language, for selects and lists. */
export async function listCounties(lng: string) {
  const counties = await db().county.findMany({
    orderBy: { code: "asc" },
    include: { _count: { select: { shops: true } } },
  });
  return counties.map((c) => ({
    id: c.id,
    code: c.code,
    slug: c.slug,
    nameZh: c.nameZh,
    nameEn: c.nameEn,
    cityZh: c.cityZh,
    cityEn: c.cityEn,
    label: `${pick(lng, c.cityZh, c.cityEn)} · ${pick(lng, c.nameZh, c.nameEn)}`,
    shopCount: c._count.shops,
  }));
}

export async function countyExists(id: string): Promise<boolean> {
  return Boolean(await db().county.findUnique({ where: { id }, select: { id: true } }));
}

export type CreateCountyResult = { ok: true; id: string } | { ok: false; field: "code" | "slug"; error: string };

/** Adds a county; its code and slug must be new. */
export async function createCounty(input: CountyInput): Promise<CreateCountyResult> {
  const [byCode, bySlug] = await Promise.all([
    db().county.findUnique({ where: { code: input.code }, select: { id: true } }),
    db().county.findUnique({ where: { slug: input.slug }, select: { id: true } }),
  ]);
  if (byCode) return { ok: false, field: "code", error: "platform.errors.codeTaken" };
  if (bySlug) return { ok: false, field: "slug", error: "platform.errors.slugTaken" };
  try {
    const county = await db().county.create({ data: input });
    return { ok: true, id: county.id };
  } catch (error) {
    // Two admins adding the same county at once: the unique index decides.
    const field = uniqueViolation(error, ["code", "slug"]);
    if (field === "code") return { ok: false, field, error: "platform.errors.codeTaken" };
    if (field === "slug") return { ok: false, field, error: "platform.errors.slugTaken" };
    throw error;
  }
}
