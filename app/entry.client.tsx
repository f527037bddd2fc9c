import { RemixBrowser } from "@remix-run/react";
import { startTransition, StrictMode } from "react";
import { hydrateRoot } from "react-dom/client";
import { DEFAULT_LANGUAGE, isLanguage } from "~/lib/i18n";
import { startClientI18n } from "~/lib/i18n-client";
import { I18nextProvider } from "~/lib/i18n-lite";

// Only the page's language is downloaded, and of it only what the page's area needs (one
// small cached chunk); then React hydrates. In the browser, react-i18next is the small
// stand-in in ~/lib/i18n-lite (vite.config.ts; docs/decisions/014-client-javascript.md).
async function hydrate() {
  const lng = isLanguage(document.documentElement.lang) ? document.documentElement.lang : DEFAULT_LANGUAGE;
  const i18n = await startClientI18n(lng, window.location.pathname);
  startTransition(() => {
    hydrateRoot(
      document,
      <I18nextProvider i18n={i18n}>
        <StrictMode>
          <RemixBrowser />
        </StrictMode>
      </I18nextProvider>,
    );
  });
}

void hydrate();
