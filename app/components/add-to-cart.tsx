import { Link, useFetcher, useLocation } from "@remix-run/react";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { formatFen } from "~/lib/money";
import { formatDateTime } from "~/lib/time";
import type { CartChoices } from "~/modules/cart/choices.server";
import type { StockState } from "~/modules/catalog/types";
import { ADD_FORM_ID } from "./catalog/buy-bar";
import { CsrfInput, useErrorText } from "./form-basics";
import { StockBadge } from "./stock-badge";

interface ShownVariant {
  sku: string;
  title: string;
  unit: string;
  priceFen: number;
  compareAtFen?: number | null;
  stock: StockState | null;
}

type AddResult = { ok: true; count: number } | { ok: false; errors: Record<string, string[]> };

/** What the no-JavaScript form was sent back with: ?added=1, or ?cartError=…&available=… */
export interface AddNotice {
  added: boolean;
  error: { key: string; values: Record<string, string> } | null;
}

const MAX_QUANTITY = 999;

/**
 * The product page's add-to-cart form. With JavaScript a fetcher posts it and the page
 * stays (the header's count is revalidated); without, it is a plain POST to /cart/add
 * that comes back here with a notice.
 */
export function AddToCart({
  variants,
  slots,
  choices,
  notice,
}: {
  variants: ShownVariant[];
  /** Upcoming slots for an experience; null for other kinds. */
  slots: { startsAt: string; placesLeft: number }[] | null;
  choices: CartChoices;
  notice: AddNotice;
}) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const errorText = useErrorText();
  const location = useLocation();
  const fetcher = useFetcher<AddResult>();
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);

  const idBySku = new Map(choices.variants.map((v) => [v.sku, v]));
  const idBySlot = new Map(choices.slots.map((s) => [s.startsAt, s]));
  const options = variants.flatMap((v) => {
    const choice = idBySku.get(v.sku);
    return choice ? [{ ...v, id: choice.id, available: choice.available }] : [];
  });
  const slotOptions = (slots ?? []).flatMap((s) => {
    const choice = idBySlot.get(s.startsAt);
    return choice ? [{ ...s, id: choice.id }] : [];
  });
  const experience = slots !== null;
  const firstVariant = options.find((v) => experience || (v.available ?? 0) > 0);
  const firstSlot = slotOptions.find((s) => s.placesLeft > 0);
  const [variantId, setVariantId] = useState(firstVariant?.id);
  const [slotId, setSlotId] = useState(firstSlot?.id);

  const bound = experience
    ? (slotOptions.find((s) => s.id === slotId)?.placesLeft ?? Math.max(0, ...slotOptions.map((s) => s.placesLeft)))
    : (options.find((v) => v.id === variantId)?.available ?? Math.max(0, ...options.map((v) => v.available ?? 0)));
  const nothingToAdd = !firstVariant || (experience && !firstSlot);

  const result = fetcher.data;
  const errors = result && !result.ok ? result.errors : {};
  const pending = fetcher.state !== "idle";
  const added = fetcher.state === "idle" && result?.ok;
  const redirectTo = `${location.pathname}`;
  const noticeError =
    notice.error && i18n.exists(`cart.errors.${notice.error.key}`)
      ? t(`cart.errors.${notice.error.key}`, notice.error.values)
      : null;

  const fieldError = (name: string) =>
    errors[name]?.[0] ? (
      <p id={`add-${name}-error`} role="alert" className="mt-1 text-sm text-red-700">
        {errorText(errors[name]![0])}
      </p>
    ) : null;

  return (
    <section
      className="mt-5 rounded-2xl bg-white p-4 ring-1 ring-stone-200"
      aria-labelledby="add-heading"
      data-testid="add-to-cart"
    >
      <h2 id="add-heading" className="text-lg font-semibold">
        {t("cart.form.heading")}
      </h2>
      {notice.added && !result ? (
        <p
          role="status"
          className="mt-2 rounded-lg bg-emerald-50 px-3 py-2 text-sm text-emerald-900 ring-1 ring-emerald-200"
        >
          {t("cart.form.added")}{" "}
          <Link to="/cart" className="font-medium underline underline-offset-4">
            {t("cart.form.viewCart")}
          </Link>
        </p>
      ) : null}
      {noticeError && !result ? (
        <p role="alert" className="mt-2 rounded-lg bg-red-50 px-3 py-2 text-sm text-red-800 ring-1 ring-red-200">
          {noticeError}
        </p>
      ) : null}
      <fetcher.Form method="post" action="/cart/add" id={ADD_FORM_ID} className="mt-3 flex flex-col gap-4">
        <CsrfInput />
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <input type="hidden" name="shopId" value={choices.shopId} />
        {hydrated ? <input type="hidden" name="js" value="1" /> : null}

        <fieldset aria-describedby={errors.variantId ? "add-variantId-error" : undefined}>
          <legend className="text-sm font-medium text-stone-800">{t("cart.form.variant")}</legend>
          <ul className="mt-2 space-y-2" data-testid="variants">
            {options.map((v) => {
              const soldOut = !experience && (v.available ?? 0) <= 0;
              return (
                <li key={v.id}>
                  <label
                    className={`flex min-h-11 items-center gap-3 rounded-xl px-3 py-2 ring-1 ring-stone-200 has-[:checked]:ring-2 has-[:checked]:ring-[var(--brand)] ${soldOut ? "opacity-60" : ""}`}
                  >
                    <input
                      type="radio"
                      name="variantId"
                      value={v.id}
                      disabled={soldOut}
                      defaultChecked={v.id === firstVariant?.id}
                      onChange={() => setVariantId(v.id)}
                      className="size-4 accent-[var(--brand)]"
                    />
                    <span className="min-w-0 flex-1">
                      <span className="block font-medium">{v.title}</span>
                      <span className="block text-sm text-stone-600">
                        {t("product.unitPrice", { price: formatFen(v.priceFen, lng), unit: v.unit })}
                        {v.compareAtFen ? (
                          <s className="ml-2 text-stone-500">
                            {t("product.compareAt", { price: formatFen(v.compareAtFen, lng) })}
                          </s>
                        ) : null}
                      </span>
                    </span>
                    {v.stock ? <StockBadge stock={v.stock} /> : null}
                  </label>
                </li>
              );
            })}
          </ul>
          {fieldError("variantId")}
        </fieldset>

        {experience ? (
          <fieldset aria-describedby={errors.slotId ? "add-slotId-error" : undefined}>
            <legend className="text-sm font-medium text-stone-800">{t("cart.form.slot")}</legend>
            {slotOptions.length === 0 ? (
              <p className="mt-2 text-sm text-stone-600">{t("cart.form.noSlots")}</p>
            ) : (
              <ul className="mt-2 grid grid-cols-1 gap-2 sm:grid-cols-2" data-testid="slots">
                {slotOptions.map((s) => (
                  <li key={s.id}>
                    <label
                      className={`flex min-h-11 items-center gap-3 rounded-xl px-3 py-2 text-sm ring-1 ring-stone-200 has-[:checked]:ring-2 has-[:checked]:ring-[var(--brand)] ${s.placesLeft ? "" : "opacity-60"}`}
                    >
                      <input
                        type="radio"
                        name="slotId"
                        value={s.id}
                        disabled={!s.placesLeft}
                        defaultChecked={s.id === firstSlot?.id}
                        onChange={() => setSlotId(s.id)}
                        className="size-4 accent-[var(--brand)]"
                      />
                      <span className="min-w-0 flex-1">
                        <span className="block font-medium" data-testid="slot-time">
                          {formatDateTime(s.startsAt, lng)}
                        </span>
                        <span className={s.placesLeft ? "text-emerald-800" : "text-stone-500"}>
                          {s.placesLeft ? t("product.placesLeft", { count: s.placesLeft }) : t("product.full")}
                        </span>
                      </span>
                    </label>
                  </li>
                ))}
              </ul>
            )}
            {fieldError("slotId")}
          </fieldset>
        ) : null}

        <div className="flex flex-wrap items-end gap-3">
          <div className="flex flex-col gap-1">
            <label htmlFor="add-quantity" className="text-sm font-medium text-stone-800">
              {t("cart.form.quantity")}
            </label>
            <input
              id="add-quantity"
              name="quantity"
              type="number"
              inputMode="numeric"
              min={1}
              max={Math.max(1, Math.min(bound, MAX_QUANTITY))}
              defaultValue={1}
              required
              aria-invalid={errors.quantity ? true : undefined}
              aria-describedby={errors.quantity ? "add-quantity-error" : undefined}
              className="min-h-11 w-24 rounded-lg border border-stone-300 bg-white px-3 text-base aria-[invalid=true]:border-red-600"
            />
          </div>
          <button
            type="submit"
            name="intent"
            value="add"
            disabled={pending || nothingToAdd}
            className="min-h-11 flex-1 rounded-full bg-[var(--brand)] px-5 font-semibold text-white shadow-sm hover:brightness-110 disabled:opacity-60"
            data-testid="add-to-cart-submit"
          >
            {pending
              ? t("cart.form.adding")
              : added
                ? t("cart.form.added")
                : nothingToAdd
                  ? t("cart.form.soldOut")
                  : t("cart.form.submit")}
          </button>
          <button
            type="submit"
            name="intent"
            value="buyNow"
            disabled={pending || nothingToAdd}
            className="min-h-11 flex-1 rounded-full bg-red-600 px-5 font-semibold text-white shadow-sm hover:brightness-110 disabled:opacity-60"
            data-testid="buy-now-submit"
          >
            {t("pages.buyBar.buyNow")}
          </button>
        </div>
        {fieldError("quantity")}
        {added ? (
          <p role="status" className="text-sm">
            <Link to="/cart" className="font-medium text-[var(--brand)] underline underline-offset-4">
              {t("cart.form.viewCart")}
            </Link>
          </p>
        ) : null}
      </fetcher.Form>
    </section>
  );
}
