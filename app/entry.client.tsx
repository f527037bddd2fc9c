import { RemixBrowser } from "@remix-run/react";
import i18next from "i18next";
import { startTransition, StrictMode } from "react";
import { hydrateRoot } from "react-dom/client";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { DEFAULT_LANGUAGE, i18nOptions, isLanguage } from "~/lib/i18n";

// Only the page's language is downloaded (one small cached chunk), then React hydrates.
async function hydrate() {
  const lng = isLanguage(document.documentElement.lang) ? document.documentElement.lang : DEFAULT_LANGUAGE;
  const messages = lng === "en" ? await import("~/locales/en/index") : await import("~/locales/zh-CN/index");
  await i18next.use(initReactI18next).init({
    ...i18nOptions,
    lng,
    resources: { [lng]: { translation: messages.default } },
  });
  startTransition(() => {
    hydrateRoot(
      document,
      <I18nextProvider i18n={i18next}>
        <StrictMode>
          <RemixBrowser />
        </StrictMode>
      </I18nextProvider>,
    );
  });
}

void hydrate();
