import { messageUrls } from "virtual:i18n-messages";
import type { Language } from "./i18n";
import { createLiteI18n, type LiteI18n } from "./i18n-lite";

// The browser's messages (docs/decisions/014-client-javascript.md): the page's language only,
// and of it only the buyers' texts, unless the page is one of the staff's. They are JSON files
// preloaded by root.tsx's <head>. Staff routes (admin, platform, invite) also call
// loadStaffMessages() in a clientLoader, so that a navigation from a buyer's page has them
// before it renders.

// The county coordinator's pages (/county/:code/…) are staff pages too.
// The two-step verification pages (sign-in step, set-up, re-authentication) use the staff's texts too.
const STAFF_PAGES = /^\/(admin|platform|county|invite|account\/two-factor|login\/two-factor|reauthenticate|logistics)(\/|$)/;

export const isStaffPage = (pathname: string) => STAFF_PAGES.test(pathname);

let current: LiteI18n | null = null;
let staff: Promise<void> | null = null;

async function fetchMessages(url: string) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`could not load ${url}: ${response.status}`);
  return response.json();
}

export async function startClientI18n(lng: Language, pathname: string): Promise<LiteI18n> {
  current = createLiteI18n(lng, await fetchMessages(messageUrls[lng].buyer));
  if (isStaffPage(pathname)) await loadStaffMessages();
  return current;
}

export function loadStaffMessages(): Promise<void> {
  const i18n = current;
  if (!i18n) return Promise.resolve(); // on the server: i18next has every message
  staff ??= fetchMessages(messageUrls[i18n.language as Language].staff).then(
    (messages) => i18n.addMessages(messages),
    (error: unknown) => {
      staff = null; // the next navigation tries again
      throw error;
    },
  );
  return staff;
}
