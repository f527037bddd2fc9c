// Shared by server and browser: the languages and i18next's common options.
export const SUPPORTED_LANGUAGES = ["zh-CN", "en"] as const;
export type Language = (typeof SUPPORTED_LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = "zh-CN";

export function isLanguage(value: unknown): value is Language {
  return SUPPORTED_LANGUAGES.includes(value as Language);
}

export const i18nOptions = {
  supportedLngs: [...SUPPORTED_LANGUAGES],
  fallbackLng: DEFAULT_LANGUAGE,
  defaultNS: "translation",
  interpolation: { escapeValue: false }, // React escapes
  returnNull: false,
} as const;

/** Pick the bilingual field for the page's language, falling back to Chinese. */
export function pick(lng: string, zh: string, en: string | null | undefined): string;
export function pick(lng: string, zh: string | null | undefined, en: string | null | undefined): string | null;
export function pick(lng: string, zh: string | null | undefined, en: string | null | undefined) {
  return lng === "en" ? en || zh || null : zh || en || null;
}
