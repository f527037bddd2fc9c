import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { PRODUCT_KINDS } from "~/modules/catalog/product-schema";

const MARK: Record<(typeof PRODUCT_KINDS)[number], string> = { PRODUCE: "鲜", SPECIALTY: "特", EXPERIENCE: "游" };

/** The three kinds of listing as big choices; each opens the new-product form for that kind. */
export function KindPicker({ shopSlug }: { shopSlug: string }) {
  const { t } = useTranslation();
  return (
    <ul className="grid gap-3 sm:grid-cols-3" data-testid="kind-picker">
      {PRODUCT_KINDS.map((kind) => (
        <li key={kind}>
          <Link
            to={`/admin/${shopSlug}/products/new?kind=${kind}`}
            className="flex h-full items-start gap-3 rounded-2xl bg-white p-4 ring-1 ring-stone-200 hover:ring-2 hover:ring-leaf"
          >
            <span
              aria-hidden
              className="grid size-12 shrink-0 place-items-center rounded-xl bg-leaf/10 text-xl font-bold text-leaf"
            >
              {MARK[kind]}
            </span>
            <span>
              <span className="block text-lg font-semibold">{t(`kind.${kind}`)}</span>
              <span className="mt-1 block text-sm text-stone-600">{t(`catalog.kindPicker.${kind}`)}</span>
            </span>
          </Link>
        </li>
      ))}
    </ul>
  );
}
