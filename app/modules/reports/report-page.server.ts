import { pick } from "~/lib/i18n";
import type { CountyAccess } from "~/modules/identity/county-access.server";
import { countyShops } from "./orders-report.cross-shop.server";

// What the sales and settlement pages share: the shop choices of the filter form, the form's
// values as typed (so a 400 shows them back), and the 1-based ?page= of the pager.

export const MAX_PAGE = 100_000;

export async function shopChoices(county: CountyAccess["county"], lng: string) {
  return (await countyShops(county.id)).map((s) => ({ slug: s.slug, name: pick(lng, s.nameZh, s.nameEn) }));
}

export interface ReportForm {
  from: string;
  to: string;
  shop: string;
  kind: string;
  status: string;
  by: string;
  period: string;
  includeContacts: boolean;
}

export function formOf(
  search: URLSearchParams,
  parsed?: Partial<Record<keyof ReportForm, string | undefined>>,
): ReportForm {
  const value = (key: Exclude<keyof ReportForm, "includeContacts">) => parsed?.[key] ?? search.get(key) ?? "";
  return {
    from: value("from"),
    to: value("to"),
    shop: value("shop"),
    kind: value("kind"),
    status: value("status"),
    by: value("by"),
    period: value("period"),
    includeContacts: false,
  };
}

/** ?page=N (1 when absent), or null when it is not a whole number from 1 to MAX_PAGE. */
export function pageNumber(search: URLSearchParams): number | null {
  const raw = search.get("page");
  if (raw === null || raw === "") return 1;
  if (!/^\d{1,6}$/.test(raw)) return null;
  const page = Number(raw);
  return page >= 1 && page <= MAX_PAGE ? page : null;
}
