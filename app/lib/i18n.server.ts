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

// One initialised instance per language, shared by all requests: nothing changes its
// language after init, and building one per request showed up in the bench's profile.
const instances = new Map<Language, Promise<I18n>>();

export function createI18n(lng: Language): Promise<I18n> {
  let instance = instances.get(lng);
  if (!instance) {
    const created = createInstance();
    instance = created.init({ ...i18nOptions, lng, resources }).then(() => resolveLanguagesOnce(created));
    instances.set(lng, instance);
  }
  return instance;
}

/**
 * i18next works out the language's fallback chain ("zh-CN" → ["zh-CN", "zh"]…, each code
 * canonicalised through Intl.getCanonicalLocales) again on every t() call: 5–8 % of a page's
 * CPU (issue #12). The chain depends only on the codes asked for, so it is worked out once.
 */
function resolveLanguagesOnce(instance: I18n): I18n {
  const utils = instance.services.languageUtils as {
    toResolveHierarchy(code: unknown, fallbackCode?: unknown): string[];
  };
  const resolve = utils.toResolveHierarchy.bind(utils);
  const chains = new Map<string, readonly string[]>();
  utils.toResolveHierarchy = (code, fallbackCode) => {
    const key =
      typeof code === "string" && fallbackCode === undefined
        ? code
        : JSON.stringify([code ?? null, fallbackCode ?? null]);
    let chain = chains.get(key);
    if (!chain) {
      chain = resolve(code, fallbackCode);
      chains.set(key, chain);
    }
    return [...chain]; // a copy: callers own what they are given
  };
  return instance;
}
