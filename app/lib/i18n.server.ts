import { createCookie } from "@remix-run/node";
import { createInstance, type i18n as I18n } from "i18next";
import { RemixI18Next } from "remix-i18next/server";
import en from "~/locales/en/index";
import zhCN from "~/locales/zh-CN/index";
import { DEFAULT_LANGUAGE, i18nOptions, isLanguage, SUPPORTED_LANGUAGES, type Language } from "./i18n";

export const resources = { "zh-CN": { translation: zhCN }, en: { translation: en } } as const;

export const languageCookie = createCookie("lng", {
  path: "/",
  sameSite: "lax",
  httpOnly: true,
  maxAge: 60 * 60 * 24 * 365,
});

/** Language order: ?lng=, the lng cookie, then Accept-Language; zh-CN by default. */
export const remixI18n = new RemixI18Next({
  detection: {
    supportedLanguages: [...SUPPORTED_LANGUAGES],
    fallbackLanguage: DEFAULT_LANGUAGE,
    cookie: languageCookie,
    searchParamKey: "lng",
    order: ["searchParams", "cookie", "header"],
  },
  i18next: { ...i18nOptions, resources },
});

export async function getLanguage(request: Request): Promise<Language> {
  const found = await remixI18n.getLocale(request);
  return isLanguage(found) ? found : found?.toLowerCase().startsWith("en") ? "en" : DEFAULT_LANGUAGE;
}

/** A fixed-language translator for loaders, meta and errors. */
export async function getFixedT(request: Request) {
  const lng = await getLanguage(request);
  return { t: (await createI18n(lng)).t, lng };
}

export async function createI18n(lng: Language): Promise<I18n> {
  const instance = createInstance();
  await instance.init({ ...i18nOptions, lng, resources });
  return instance;
}
