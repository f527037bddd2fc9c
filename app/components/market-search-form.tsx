import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { SEARCH_QUERY_MAX } from "~/modules/catalog/search-params";
import { SearchCombobox } from "./search/search-combobox";

/**
 * The marketplace search box: a plain GET form to /search, so it works without JavaScript; with
 * it, suggestions as the buyer types (search/search-combobox.tsx).
 */
export function MarketSearchForm({ defaultValue = "", children }: { defaultValue?: string; children?: React.ReactNode }) {
  const { t } = useTranslation();
  return (
    <Form method="get" action="/search" role="search" className="flex flex-col gap-3" data-testid="search-form">
      <div className="flex gap-2">
        <label htmlFor="market-q" className="sr-only">
          {t("market.search.label")}
        </label>
        <SearchCombobox
          id="market-q"
          name="q"
          defaultValue={defaultValue}
          maxLength={SEARCH_QUERY_MAX}
          placeholder={t("market.search.placeholder")}
          className="min-h-12 rounded-xl border border-stone-300 bg-white px-3 text-base text-stone-900 shadow-sm"
        />
        <button type="submit" className="min-h-12 shrink-0 rounded-xl bg-leaf px-4 font-semibold text-white shadow-sm hover:brightness-110">
          {t("market.search.submit")}
        </button>
      </div>
      {children}
    </Form>
  );
}
