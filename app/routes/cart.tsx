import {
  data,
  redirect,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { CsrfInput, useErrorText } from "~/components/forms";
import { LanguageSwitch } from "~/components/language-switch";
import { Picture } from "~/components/picture";
import { SiteFooter } from "~/components/site-footer";
import { getFixedT } from "~/lib/i18n.server";
import { formatFen } from "~/lib/money";
import { formatDateTime } from "~/lib/time";
import {
  cartIdOf,
  confirmPrices,
  removeLine,
  setQuantity,
  viewCart,
  visitorOf,
  type CartLineView,
  type LineFlag,
} from "~/modules/cart/cart.cross-shop.server";
import { requireCsrf } from "~/modules/identity/csrf.server";
import { readForm } from "~/lib/request-bounds.server";
import { decimalNumber } from "~/lib/decimal";

// The visitor's own cart: never cached anywhere but in this browser, never for long.
const PRIVATE = { "Cache-Control": "private, no-store", Vary: "Cookie" };

export const headers: HeadersFunction = () => PRIVATE;

export async function loader({ request }: LoaderFunctionArgs) {
  const { t, lng } = await getFixedT(request);
  const visitor = await visitorOf(request);
  const cart = await viewCart({ cartId: cartIdOf(visitor), lng });
  const done = new URL(request.url).searchParams.get("done");
  return data(
    {
      title: t("cart.title"),
      cart,
      signedIn: Boolean(visitor.userId),
      done: done && ["updated", "removed", "pricesAccepted"].includes(done) ? done : null,
    },
    { headers: PRIVATE },
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.title },
  { name: "robots", content: "noindex" },
];

const schema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("update"),
    lineId: z.string().min(1).max(64),
    quantity: decimalNumber(z.number().int().min(0).max(999)),
  }),
  z.object({ intent: z.literal("remove"), lineId: z.string().min(1).max(64) }),
  z.object({ intent: z.literal("acceptPrices") }),
]);

export async function action({ request }: ActionFunctionArgs) {
  const formData = await readForm(request);
  await requireCsrf(request, formData);
  const parsed = schema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) {
    const lineId = formData.get("lineId");
    return data(
      { lineId: typeof lineId === "string" ? lineId : null, error: "cart.errors.quantityInvalid" },
      { status: 400, headers: PRIVATE },
    );
  }
  const cartId = cartIdOf(await visitorOf(request));
  const input = parsed.data;
  if (input.intent === "acceptPrices") {
    await confirmPrices({ cartId });
    return redirect("/cart?done=pricesAccepted", { headers: PRIVATE });
  }
  const result =
    input.intent === "remove" || input.quantity === 0
      ? await removeLine({ cartId, lineId: input.lineId })
      : await setQuantity({ cartId, lineId: input.lineId, quantity: input.quantity });
  if (!result.ok) {
    // Another visitor's line, or one already gone: nothing of theirs is touched or shown.
    if ("notFound" in result) throw new Response(null, { status: 404, statusText: "Not Found" });
    return data({ lineId: input.lineId, error: result.error }, { status: 400, headers: PRIVATE });
  }
  return redirect(`/cart?done=${input.intent === "remove" || input.quantity === 0 ? "removed" : "updated"}`, {
    headers: PRIVATE,
  });
}

function FlagText({ flag, unit }: { flag: LineFlag; unit: string }) {
  const { t, i18n } = useTranslation();
  const values =
    flag.kind === "PRICE_CHANGED"
      ? { from: formatFen(flag.from, i18n.language), to: formatFen(flag.to, i18n.language) }
      : flag.kind === "NOT_ENOUGH_STOCK"
        ? { available: flag.available, unit }
        : {};
  return <>{t(`cart.flags.${flag.kind}`, values)}</>;
}

function Line({
  line,
  shopSlug,
  error,
  busy,
}: {
  line: CartLineView;
  shopSlug: string;
  error: string | undefined;
  busy: boolean;
}) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const errorText = useErrorText();
  const inputId = `qty-${line.id}`;
  const errorId = `qty-error-${line.id}`;
  return (
    <li className="flex gap-3 py-4" data-testid="cart-line">
      {line.picture ? (
        <Picture
          picture={line.picture}
          sizes="80px"
          alt=""
          className="size-20 shrink-0 rounded-xl object-cover ring-1 ring-stone-200"
        />
      ) : (
        <span className="size-20 shrink-0 rounded-xl bg-stone-100" aria-hidden="true" />
      )}
      <div className="min-w-0 flex-1">
        <p className="font-medium leading-snug">
          <Link to={`/s/${shopSlug}/p/${line.productSlug}`} className="hover:underline">
            {line.title}
          </Link>
        </p>
        <p className="text-sm text-stone-600">
          {line.variantTitle} · {t("cart.unitPrice", { price: formatFen(line.unitPriceFen, lng), unit: line.unit })}
        </p>
        {line.slotStartsAt ? (
          <p className="text-sm text-stone-600">{t("cart.slot", { time: formatDateTime(line.slotStartsAt, lng) })}</p>
        ) : null}
        {line.flags.length ? (
          <ul className="mt-1 space-y-1" data-testid="cart-flags">
            {line.flags.map((flag) => (
              <li
                key={flag.kind}
                className="rounded-md bg-amber-50 px-2 py-1 text-sm text-amber-900 ring-1 ring-amber-200"
                data-flag={flag.kind}
              >
                <FlagText flag={flag} unit={line.unit} />
              </li>
            ))}
          </ul>
        ) : null}
        <Form method="post" className="mt-2 flex flex-wrap items-end gap-2">
          <CsrfInput />
          <input type="hidden" name="lineId" value={line.id} />
          <label htmlFor={inputId} className="sr-only">
            {t("cart.quantityOf", { title: line.title })}
          </label>
          <input
            id={inputId}
            name="quantity"
            type="number"
            inputMode="numeric"
            min={0}
            max={999}
            defaultValue={line.quantity}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? errorId : undefined}
            className="min-h-10 w-20 rounded-lg border border-stone-300 bg-white px-2 text-base aria-[invalid=true]:border-red-600"
          />
          <button
            type="submit"
            name="intent"
            value="update"
            disabled={busy}
            className="min-h-10 rounded-full border border-stone-300 bg-white px-4 text-sm font-medium disabled:opacity-60"
          >
            {t("cart.update")}
          </button>
          <button
            type="submit"
            name="intent"
            value="remove"
            disabled={busy}
            aria-label={t("cart.removeOf", { title: line.title })}
            className="min-h-10 rounded-full px-3 text-sm font-medium text-red-800 underline underline-offset-4 disabled:opacity-60"
          >
            {t("cart.remove")}
          </button>
          <span className="ml-auto self-center font-semibold" data-testid="line-total">
            {formatFen(line.lineTotalFen, lng)}
          </span>
        </Form>
        {error ? (
          <p id={errorId} role="alert" className="mt-1 text-sm text-red-700">
            {errorText(error)}
          </p>
        ) : null}
      </div>
    </li>
  );
}

export default function CartPage() {
  const { cart, signedIn, done } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const busy = navigation.state === "submitting";

  return (
    <div className="flex min-h-screen flex-col">
      <header className="bg-leaf text-white">
        <div className="mx-auto flex max-w-3xl items-center justify-between gap-3 px-4 py-3">
          <Link to="/" className="min-w-0 truncate text-lg font-bold">
            {t("app.name")}
          </Link>
          <LanguageSwitch className="shrink-0 text-white" />
        </div>
      </header>
      <main id="main" className="mx-auto w-full max-w-3xl flex-1 px-4 py-6">
        <h1 className="text-2xl font-bold">{t("cart.title")}</h1>
        {done ? (
          <p
            role="status"
            className="mt-3 rounded-lg bg-emerald-50 px-3 py-2 text-sm text-emerald-900 ring-1 ring-emerald-200"
          >
            {t(`cart.${done}`)}
          </p>
        ) : null}
        {!signedIn ? (
          <p className="mt-3 text-sm text-stone-700">
            {t("cart.signInHint")}{" "}
            <Link to="/login?redirectTo=%2Fcart" className="font-medium text-leaf underline underline-offset-4">
              {t("cart.signIn")}
            </Link>
          </p>
        ) : null}

        {cart.shops.length === 0 ? (
          <section className="mt-6 rounded-2xl bg-white p-8 text-center ring-1 ring-stone-200" data-testid="cart-empty">
            <h2 className="text-xl font-semibold">{t("cart.emptyTitle")}</h2>
            <p className="mt-2 text-stone-600">{t("cart.emptyText")}</p>
            <Link
              to="/"
              className="mt-4 inline-flex min-h-11 items-center rounded-full bg-leaf px-5 font-medium text-white"
            >
              {t("cart.emptyLink")}
            </Link>
          </section>
        ) : (
          <>
            {cart.hasPriceChanges ? (
              <Form
                method="post"
                className="mt-4 flex flex-wrap items-center gap-3 rounded-xl bg-amber-50 px-3 py-3 ring-1 ring-amber-200"
              >
                <CsrfInput />
                <p className="flex-1 text-sm text-amber-900">{t("cart.pricesChanged")}</p>
                <button
                  type="submit"
                  name="intent"
                  value="acceptPrices"
                  disabled={busy}
                  className="min-h-10 rounded-full bg-amber-700 px-4 text-sm font-semibold text-white disabled:opacity-60"
                >
                  {t("cart.acceptPrices")}
                </button>
              </Form>
            ) : null}
            {cart.shops.map((shop) => (
              <section
                key={shop.shopId}
                className="mt-6 overflow-hidden rounded-2xl bg-white ring-1 ring-stone-200"
                style={{ borderTop: `6px solid ${shop.themePrimary}` }}
                aria-labelledby={`shop-${shop.slug}`}
                data-testid="cart-shop"
              >
                <div className="flex items-baseline justify-between gap-3 px-4 pt-3">
                  <h2
                    id={`shop-${shop.slug}`}
                    className="min-w-0 text-lg font-semibold leading-snug [overflow-wrap:anywhere]"
                    style={{ color: shop.themePrimary }}
                  >
                    {shop.name}
                  </h2>
                  <Link to={`/s/${shop.slug}`} className="shrink-0 text-sm text-stone-600 underline underline-offset-4">
                    {t("cart.visitShop")}
                  </Link>
                </div>
                <ul className="divide-y divide-stone-100 px-4">
                  {shop.lines.map((line) => (
                    <Line
                      key={line.id}
                      line={line}
                      shopSlug={shop.slug}
                      busy={busy}
                      error={actionData && actionData.lineId === line.id ? actionData.error : undefined}
                    />
                  ))}
                </ul>
                <p className="flex justify-between border-t border-stone-100 bg-stone-50 px-4 py-2 text-sm">
                  <span className="text-stone-600">{t("cart.subtotal")}</span>
                  <span className="font-semibold" data-testid="shop-subtotal">
                    {formatFen(shop.subtotalFen, lng)}
                  </span>
                </p>
              </section>
            ))}
            <section className="mt-6 rounded-2xl bg-white p-4 ring-1 ring-stone-200" aria-label={t("cart.total")}>
              <p className="flex items-baseline justify-between text-lg">
                <span className="font-semibold">{t("cart.total")}</span>
                <span className="text-2xl font-bold text-red-700" data-testid="cart-total">
                  {formatFen(cart.totalFen, lng)}
                </span>
              </p>
              <p className="mt-1 text-sm text-stone-600">
                {t(cart.hasFlags ? "cart.totalNote" : "cart.totalNotePlain")}
              </p>
              <Link
                to="/checkout"
                className="mt-4 flex min-h-12 w-full items-center justify-center rounded-full bg-leaf px-5 text-lg font-semibold text-white shadow-sm hover:brightness-110"
                data-testid="checkout-link"
              >
                {t("cart.checkout")}
              </Link>
            </section>
          </>
        )}
      </main>
      <SiteFooter />
    </div>
  );
}
