import { pinyin } from "~/lib/pinyin.server";
import { db } from "~/db/index.server";
import { isReservedSlug, SLUG_MAX, SLUG_MIN, slugifyLatin, truncateSlug } from "./slug-rules";

// Slug suggestions: from the English name when there is one, else from the pinyin of the
// Chinese name, two syllables to a word (阳山桃源 → yangshan-taoyuan, as people write
// place names), without the legal-form suffix every cooperative shares.

const LEGAL_FORMS = [
  "农民专业合作社",
  "专业合作社",
  "股份经济合作社",
  "经济合作社",
  "合作社",
  "有限责任公司",
  "有限公司",
  "家庭农场",
];

function withoutLegalForm(name: string): string {
  const trimmed = name.trim();
  for (const suffix of LEGAL_FORMS) {
    if (trimmed.endsWith(suffix) && trimmed.length > suffix.length) return trimmed.slice(0, -suffix.length);
  }
  return trimmed;
}

/** 阳山桃源 → "yangshan-taoyuan"; Latin letters and digits in the name are kept. */
export function pinyinSlug(zh: string): string {
  const words: string[] = [];
  let syllables: string[] = [];
  const flush = () => {
    for (let i = 0; i < syllables.length; i += 2) words.push(syllables.slice(i, i + 2).join(""));
    syllables = [];
  };
  for (const part of pinyin(withoutLegalForm(zh), { type: "all", toneType: "none", nonZh: "consecutive", v: true })) {
    if (part.isZh) {
      syllables.push(part.pinyin.toLowerCase().replace(/[^a-z]/g, ""));
    } else {
      flush();
      const latin = slugifyLatin(part.origin);
      if (latin) words.push(latin);
    }
  }
  flush();
  return truncateSlug(words.filter(Boolean).join("-"), SLUG_MAX);
}

/** The slug a name suggests, not yet checked for uniqueness. */
export function slugFromName(name: { zh?: string | null; en?: string | null }): string {
  const fromEn = name.en ? slugifyLatin(name.en) : "";
  const slug = fromEn.length >= SLUG_MIN ? fromEn : name.zh ? pinyinSlug(name.zh) : "";
  return slug.length >= SLUG_MIN ? slug : "shop";
}

export async function isSlugFree(slug: string): Promise<boolean> {
  return !isReservedSlug(slug) && !(await db().shop.findUnique({ where: { slug }, select: { id: true } }));
}

/** `base` when free, else base-2, base-3 … (kept within the length limit). */
export async function uniqueSlug(base: string): Promise<string> {
  if (await isSlugFree(base)) return base;
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    const candidate = `${truncateSlug(base, SLUG_MAX - suffix.length)}${suffix}`;
    if (await isSlugFree(candidate)) return candidate;
  }
}

/** A free slug for a shop with this name. */
export function suggestSlug(name: { zh?: string | null; en?: string | null }): Promise<string> {
  return uniqueSlug(slugFromName(name));
}
