import {
  getFormProps,
  getInputProps,
  getTextareaProps,
  useForm,
  type DefaultValue,
  type FieldMetadata,
  type SubmissionResult,
} from "@conform-to/react";
import { getZodConstraint, parseWithZod, unstable_coerceFormValue } from "@conform-to/zod";
import {
  data,
  redirect,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { PickupRegionField } from "~/components/logistics/pickup-region-field";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { CsrfInput, FormError, TextField, useErrorText } from "~/components/forms";
import { MarketFrame } from "~/components/market-frame";
import { getFixedT } from "~/lib/i18n.server";
import { logger } from "~/lib/logger.server";
import { formatFen } from "~/lib/money";
import { formatDate, formatDateTime } from "~/lib/time";
import {
  buyNowCartIdOf,
  cartIdOf,
  confirmPrices,
  visitorOf,
  type Visitor,
} from "~/modules/cart/cart.cross-shop.server";
import { getAddress, listAddresses, type SavedAddress } from "~/modules/account/addresses.server";
import { checkoutSchema, type CheckoutInput } from "~/modules/checkout/checkout-schema";
import {
  alignFormValues,
  deliveryChoices,
  isChosenDelivery,
  quotedDeliveriesValue,
} from "~/modules/checkout/form-values";
import { placeOrder, type CheckoutChange } from "~/modules/checkout/place-order.cross-shop.server";
import { quote } from "~/modules/checkout/quote";
import {
  paymentOptions,
  reviewCheckout,
  type CheckoutReview,
  type ReviewGroup,
  type ReviewLine,
} from "~/modules/checkout/review.cross-shop.server";
import type { DeliveryMethod } from "~/modules/checkout/shipping";
import { requireCsrf } from "~/modules/identity/csrf.server";
import { getUser } from "~/modules/identity/session.server";
import { newToken } from "~/modules/identity/tokens.server";
import { rememberOrder, rememberPlacedOrder } from "~/modules/orders/buyer-orders.cross-shop.server";
import { sendOrderPlaced } from "~/modules/orders/notify-buyer.cross-shop.server";
import { startPayment } from "~/modules/payments/payments.cross-shop.server";
import { configuredOriginOf } from "~/modules/tenancy/origins.server";
import { readForm } from "~/lib/request-bounds.server";

// The shared checkout (issue #5): contact, a delivery per shop, visitors' names for
// experiences, the summary and the payment, in one form that works without JavaScript.
// "Update total" (intent=review) recomputes the summary on the server; "place order"
// (intent=place) re-checks prices and stock in placeOrder's transaction. Each rendering
// carries a fresh random checkoutKey, so pressing "place order" twice makes one order.

// The buyer's own cart and contact details: never stored by a shared cache.
const PRIVATE = { "Cache-Control": "private, no-store", Vary: "Cookie" };

export const headers: HeadersFunction = () => PRIVATE;

/** ?buy=now (立即购买, issue #13): the visitor's buy-now cart of one line instead of the cart. */
function isBuyNow(request: Request, formData?: FormData): boolean {
  return new URL(request.url).searchParams.get("buy") === "now" || formData?.get("buy") === "now";
}

function checkoutCartId(visitor: Visitor, buyNow: boolean): string | null {
  return buyNow ? buyNowCartIdOf(visitor) : cartIdOf(visitor);
}

export async function loader({ request }: LoaderFunctionArgs) {
  const { t, lng } = await getFixedT(request);
  const visitor = await visitorOf(request);
  const buyNow = isBuyNow(request);
  const chosenAddress = new URL(request.url).searchParams.get("address")?.slice(0, 40) ?? null;
  const [review, user, addresses] = await Promise.all([
    reviewCheckout({ cartId: checkoutCartId(visitor, buyNow), lng }),
    getUser(request),
    visitor.userId ? listAddresses(visitor.userId) : ([] as SavedAddress[]),
  ]);
  // The address chosen with ?address= (one of the buyer's own), else the default one.
  const address =
    (chosenAddress && visitor.userId ? await getAddress({ userId: visitor.userId, id: chosenAddress }) : null) ??
    addresses.find((a) => a.isDefault) ??
    null;
  return data(
    {
      title: t("checkout.title"),
      review,
      checkoutKey: newToken(),
      payment: paymentOptions(),
      contact: {
        name: address?.recipientName ?? user?.name ?? "",
        phone: address?.phone ?? user?.phone ?? "",
      },
      signedIn: Boolean(user),
      buyNow,
      addresses,
      address: address ? { id: address.id, region: address.region, line: address.line } : null,
    },
    { headers: PRIVATE },
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.title },
  { name: "robots", content: "noindex" },
];

type Notice = "updated" | "pricesAccepted" | null;

// The schema with Conform's form-value coercion, built once: parseWithZod would build it again
// for every submission (about 1 ms of a checkout's CPU, issue #12, decision 040).
const checkoutFormSchema = unstable_coerceFormValue(checkoutSchema);

export async function action({ request }: ActionFunctionArgs) {
  const formData = await readForm(request);
  await requireCsrf(request, formData);
  const { lng } = await getFixedT(request);
  const visitor = await visitorOf(request);
  const buyNow = isBuyNow(request, formData);
  const cartId = checkoutCartId(visitor, buyNow);
  const intent = formData.get("intent");
  const submission = parseWithZod(formData, { schema: checkoutFormSchema, disableAutoCoercion: true });

  /** The page again, for the cart as it is now and the deliveries chosen. */
  async function again(
    status: number,
    {
      errors,
      notice = null,
      changes = [],
    }: { errors?: Record<string, string[]> | null; notice?: Notice; changes?: CheckoutChange[] },
  ) {
    const region = formData.get("pickupRegion");
    const review = await reviewCheckout({
      cartId,
      lng,
      choices: deliveryChoices(formData),
      region: typeof region === "string" ? region : null,
    });
    const reply = errors === undefined ? submission.reply() : submission.reply({ fieldErrors: errors ?? {} });
    const result = {
      ...reply,
      // A review shows no field errors: the buyer has not tried to place the order yet.
      ...(errors === null ? { status: undefined, error: {} } : {}),
      initialValue: alignFormValues(reply.initialValue as Record<string, unknown> | undefined, review.groups),
    };
    return data({ result, review, checkoutKey: newToken(), notice, changes }, { status, headers: PRIVATE });
  }

  if (intent === "acceptPrices") {
    await confirmPrices({ cartId });
    return again(200, { errors: null, notice: "pricesAccepted" });
  }
  if (intent !== "place") return again(200, { errors: null, notice: "updated" });

  if (submission.status !== "success") return again(400, {});
  const input = submission.value;
  if (!paymentOptions().providers.includes(input.provider)) {
    return again(400, { errors: { provider: ["checkout.errors.providerRequired"] } });
  }
  const placed = await placeOrder({ cartId, userId: visitor.userId, input, lng });
  if (!placed.ok) {
    switch (placed.reason) {
      case "EMPTY":
        return redirect(buyNow ? "/checkout?buy=now" : "/checkout", { headers: PRIVATE });
      case "DUPLICATE": {
        // The same rendering pressed twice: its order, in this browser too.
        const cookie = await rememberOrder(request, placed.orderId);
        return redirect(`/orders/${placed.number}`, {
          headers: { ...PRIVATE, ...(cookie ? { "Set-Cookie": cookie } : {}) },
        });
      }
      case "CHANGED":
        return again(409, { errors: null, changes: placed.changes });
      case "INVALID":
        return again(400, { errors: placed.fieldErrors });
    }
  }

  const headers = new Headers(PRIVATE);
  headers.append("Set-Cookie", await rememberPlacedOrder(request, { number: placed.number, ...placed.access }));
  // Recorded with the order by the placement; handed to the transport now that it is committed.
  await sendOrderPlaced(placed.notice);
  let next = `/orders/${placed.number}`;
  try {
    const { redirectUrl } = await startPayment({
      orderId: placed.orderId,
      origin: await configuredOriginOf(request),
      provider: placed.provider,
    });
    if (redirectUrl) next = redirectUrl;
  } catch (error) {
    // The order stands and holds its goods; its page offers "pay now" again.
    logger.error({ err: error, orderId: placed.orderId }, "could not start the payment");
    next = `/orders/${placed.number}?payError=1`;
  }
  return redirect(next, { headers });
}

// The page.

function Money({ fen, testId }: { fen: number; testId?: string }) {
  const { i18n } = useTranslation();
  return <span data-testid={testId}>{formatFen(fen, i18n.language)}</span>;
}

function changeText(
  change: CheckoutChange,
  t: ReturnType<typeof useTranslation>["t"],
  lng: string,
  unitOf: (lineId: string | null) => string,
): string {
  switch (change.kind) {
    case "PRICE_CHANGED":
      return t("checkout.changes.PRICE_CHANGED", {
        title: change.title,
        from: formatFen(change.from, lng),
        to: formatFen(change.to, lng),
      });
    case "TOTAL_CHANGED":
      return t("checkout.changes.TOTAL_CHANGED", { from: formatFen(change.from, lng), to: formatFen(change.to, lng) });
    case "NOT_ENOUGH_STOCK":
      return change.available === 0
        ? t("checkout.changes.SOLD_OUT", { title: change.title })
        : t("checkout.changes.NOT_ENOUGH_STOCK", {
            title: change.title,
            available: change.available,
            unit: unitOf(change.lineId),
          });
    case "SLOT_FULL":
    case "PRESALE_CAP":
      return t(`checkout.changes.${change.kind}`, {
        title: change.title,
        available: change.available,
        unit: unitOf(change.lineId),
      });
    default:
      return t(`checkout.changes.${change.kind}`, { title: change.title });
  }
}

function LineRow({ line, changes }: { line: ReviewLine; changes: string[] }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  return (
    <li className="py-3" data-testid="checkout-line">
      <div className="flex items-start justify-between gap-3">
        <div className="min-w-0">
          <p className="font-medium leading-snug">{line.title}</p>
          <p className="text-sm text-stone-600">
            {line.variantTitle} ·{" "}
            {t("checkout.line.unitPrice", { price: formatFen(line.unitPriceFen, lng), unit: line.unit })}{" "}
            {t("checkout.line.quantity", { count: line.quantity })}
          </p>
          {line.slotStartsAt ? (
            <p className="text-sm text-stone-600">
              {t("checkout.line.slot", { time: formatDateTime(line.slotStartsAt, lng) })}
            </p>
          ) : null}
          {line.presaleShipBy ? (
            <p className="text-sm text-stone-600">
              {t("checkout.line.presale", { date: formatDate(line.presaleShipBy, lng) })}
            </p>
          ) : null}
        </div>
        <span className="shrink-0 font-semibold">
          <Money fen={line.lineTotalFen} />
        </span>
      </div>
      {changes.map((text) => (
        <p key={text} className="mt-1 rounded-md bg-amber-50 px-2 py-1 text-sm text-amber-900 ring-1 ring-amber-200">
          {text}
        </p>
      ))}
    </li>
  );
}

/** The form as Conform sees it (strings as typed; the schema's output is CheckoutInput). */
interface ShopForm {
  shopId: string;
  delivery: string;
  addressRegion?: string;
  addressLine?: string;
  pickupPointId?: string;
  note?: string;
}
interface CheckoutFormShape {
  contactName: string;
  contactPhone: string;
  shops: ShopForm[];
  visitors: { lineId: string; names: string }[];
  provider: string;
  offlineMethod?: string;
  pickupRegion?: string;
  checkoutKey: string;
  expectedTotalFen: number;
}
type ShopFields = FieldMetadata<ShopForm>;

function FieldErrorText({ id, errors }: { id: string; errors: string[] | undefined }) {
  const errorText = useErrorText();
  if (!errors?.length) return null;
  return (
    <p id={id} className="text-sm text-red-700" role="alert">
      {errorText(errors[0])}
    </p>
  );
}

function DeliveryChoice({ group, field, hydrated }: { group: ReviewGroup; field: ShopFields; hydrated: boolean }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const f = field.getFieldset();
  const chosen = isChosenDelivery(f.delivery.value) ? f.delivery.value : "HOME";
  const points = group.pickupPoints.filter((p) => p.kind === "POINT");
  const lockers = group.pickupPoints.filter((p) => p.kind === "LOCKER");
  const showAddress = !hydrated || chosen === "HOME";
  const shownPoints = !hydrated
    ? group.pickupPoints
    : chosen === "PICKUP_POINT"
      ? points
      : chosen === "LOCKER"
        ? lockers
        : [];
  const options: { value: "HOME" | "PICKUP_POINT" | "LOCKER"; fee: number; available: boolean }[] = [
    { value: "HOME", fee: group.rates.shippingHomeFen, available: true },
    { value: "PICKUP_POINT", fee: group.rates.shippingPickupFen, available: points.length > 0 },
    { value: "LOCKER", fee: group.rates.shippingPickupFen, available: lockers.length > 0 },
  ];
  const pickupErrorId = `${f.pickupPointId.id}-error`;
  return (
    <div className="mt-3 space-y-3 border-t border-stone-100 pt-3">
      <input {...getInputProps(f.shopId, { type: "hidden" })} key={f.shopId.key} />
      <fieldset aria-describedby={f.delivery.errors ? f.delivery.errorId : undefined}>
        <legend className="text-sm font-medium text-stone-800">{t("checkout.shop.delivery")}</legend>
        <div className="mt-2 grid gap-2">
          {options.map((o) => (
            <label
              key={o.value}
              className={`flex min-h-11 items-center gap-3 rounded-xl px-3 py-2 ring-1 ring-stone-200 has-[:checked]:ring-2 has-[:checked]:ring-leaf ${o.available ? "" : "opacity-60"}`}
            >
              <input
                {...getInputProps(f.delivery, { type: "radio", value: o.value })}
                id={`${f.delivery.id}-${o.value}`}
                key={`${f.delivery.key}-${o.value}`}
                disabled={!o.available}
                className="size-4 accent-leaf"
                data-testid={`delivery-${o.value}`}
              />
              <span className="flex-1">{t(`checkout.shop.${o.value}`)}</span>
              <span className="text-sm text-stone-600">
                {t("checkout.shop.fee", { amount: formatFen(o.fee, lng) })}
              </span>
            </label>
          ))}
        </div>
        {group.rates.freeShippingFromFen !== null ? (
          <p className="mt-1 text-xs text-stone-600">
            {t("checkout.shop.freeFrom", { amount: formatFen(group.rates.freeShippingFromFen, lng) })}
          </p>
        ) : null}
        <FieldErrorText id={f.delivery.errorId} errors={f.delivery.errors} />
      </fieldset>

      {showAddress ? (
        <div className="grid gap-3">
          <TextField
            meta={f.addressRegion as FieldMetadata<string>}
            label={t("checkout.shop.region")}
            hint={t("checkout.shop.regionHint")}
            autoComplete="address-level2"
          />
          <TextField
            meta={f.addressLine as FieldMetadata<string>}
            label={t("checkout.shop.addressLine")}
            hint={t("checkout.shop.addressHint")}
            autoComplete="street-address"
          />
        </div>
      ) : null}

      {group.pickupPoints.length === 0 ? (
        <p className="text-sm text-stone-600">{t("checkout.shop.noPoints")}</p>
      ) : shownPoints.length > 0 ? (
        <fieldset aria-describedby={f.pickupPointId.errors ? pickupErrorId : undefined}>
          <legend className="text-sm font-medium text-stone-800">
            {!hydrated
              ? t("checkout.shop.pickupHint")
              : t(chosen === "LOCKER" ? "checkout.shop.lockers" : "checkout.shop.points")}
          </legend>
          {(["POINT", "LOCKER"] as const).map((kind) => {
            const list = shownPoints.filter((p) => p.kind === kind);
            if (list.length === 0) return null;
            return (
              <div key={kind} className="mt-2">
                {!hydrated ? (
                  <p className="text-xs font-medium text-stone-600">
                    {t(kind === "LOCKER" ? "checkout.shop.lockers" : "checkout.shop.points")}
                  </p>
                ) : null}
                <ul className="mt-1 grid gap-2">
                  {list.map((p) => (
                    <li key={p.id}>
                      <label className="flex min-h-11 items-start gap-3 rounded-xl px-3 py-2 ring-1 ring-stone-200 has-[:checked]:ring-2 has-[:checked]:ring-leaf">
                        <input
                          {...getInputProps(f.pickupPointId, { type: "radio", value: p.id })}
                          id={`${f.pickupPointId.id}-${p.id}`}
                          key={`${f.pickupPointId.key}-${p.id}`}
                          className="mt-1 size-4 accent-leaf"
                          data-testid={`pickup-${p.kind}`}
                        />
                        <span className="min-w-0">
                          <span className="block font-medium">{p.name}</span>
                          <span className="block text-sm text-stone-600">{p.address}</span>
                        </span>
                      </label>
                    </li>
                  ))}
                </ul>
              </div>
            );
          })}
          <FieldErrorText id={pickupErrorId} errors={f.pickupPointId.errors} />
        </fieldset>
      ) : null}

      <TextField meta={f.note as FieldMetadata<string>} label={t("checkout.shop.note")} />
    </div>
  );
}

function VisitorNames({ line, field }: { line: ReviewLine; field: FieldMetadata<{ lineId: string; names: string }> }) {
  const { t, i18n } = useTranslation();
  const f = field.getFieldset();
  const hintId = `${f.names.id}-hint`;
  const errorText = useErrorText();
  const error = errorText(f.names.errors?.[0] ?? field.errors?.[0]);
  return (
    <div className="mt-3 flex flex-col gap-1 border-t border-stone-100 pt-3">
      <input {...getInputProps(f.lineId, { type: "hidden" })} key={f.lineId.key} />
      <label htmlFor={f.names.id} className="text-sm font-medium text-stone-800">
        {t("checkout.visitors.label", { title: line.title, count: line.quantity })}
      </label>
      {line.slotStartsAt ? (
        <p className="text-sm text-stone-600">
          {t("checkout.line.slot", { time: formatDateTime(line.slotStartsAt, i18n.language) })}
        </p>
      ) : null}
      <textarea
        {...getTextareaProps(f.names, { ariaDescribedBy: [hintId, error ? f.names.errorId : ""].join(" ").trim() })}
        aria-invalid={error ? true : undefined}
        key={f.names.key}
        rows={Math.min(6, Math.max(2, line.quantity))}
        className="min-h-11 w-full rounded-lg border border-stone-300 bg-white px-3 py-2 text-base outline-none focus:border-leaf focus:ring-2 focus:ring-leaf/30 aria-[invalid=true]:border-red-600"
        data-testid="visitor-names"
      />
      <p id={hintId} className="text-xs text-stone-600">
        {t("checkout.visitors.hint")}
      </p>
      {error ? (
        <p id={f.names.errorId} className="text-sm text-red-700" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** A saved address fills every shop's home-delivery address the buyer has not typed yet. */
function withAddress(values: Record<string, unknown>, address: { region: string; line: string } | null) {
  if (!address || !Array.isArray(values.shops)) return values;
  return {
    ...values,
    shops: (values.shops as Record<string, unknown>[]).map((s) => ({
      ...s,
      addressRegion: s.addressRegion ?? address.region,
      addressLine: s.addressLine ?? address.line,
    })),
  };
}

/**
 * The buyer's saved addresses (issue #13): each a plain link that reloads the page with it
 * filled in, so choosing one works without JavaScript.
 */
function SavedAddresses({
  addresses,
  chosenId,
  signedIn,
  buyNow,
}: {
  addresses: { id: string; recipientName: string; phone: string; region: string; line: string }[];
  chosenId: string | null;
  signedIn: boolean;
  buyNow: boolean;
}) {
  const { t } = useTranslation();
  if (!signedIn) return null;
  return (
    <section
      aria-labelledby="saved-addresses-h"
      className="rounded-2xl bg-white p-4 ring-1 ring-stone-200"
      data-testid="saved-addresses"
    >
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="saved-addresses-h" className="text-lg font-semibold">
          {t("account.checkout.saved")}
        </h2>
        <Link to="/account/addresses" className="text-sm text-stone-600 underline underline-offset-4">
          {t("account.checkout.manage")}
        </Link>
      </div>
      {addresses.length === 0 ? (
        <p className="mt-2 text-sm text-stone-600">{t("account.addresses.empty")}</p>
      ) : (
        <ul className="mt-2 grid gap-2">
          {addresses.map((a) => (
            <li key={a.id}>
              <Link
                to={`/checkout?${new URLSearchParams({ ...(buyNow ? { buy: "now" } : {}), address: a.id })}`}
                className={`block rounded-xl px-3 py-2 text-sm ring-1 ${a.id === chosenId ? "ring-2 ring-leaf" : "ring-stone-200"}`}
                aria-current={a.id === chosenId ? "true" : undefined}
                data-testid="saved-address"
              >
                <span className="flex flex-wrap items-baseline justify-between gap-2">
                  <span className="font-medium">
                    {a.recipientName} {a.phone}
                  </span>
                  <span className="text-xs font-medium text-leaf">
                    {a.id === chosenId ? t("account.checkout.inUse") : t("account.checkout.use")}
                  </span>
                </span>
                <span className="block text-stone-600 [overflow-wrap:anywhere]">
                  {a.region} {a.line}
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function EmptyCheckout() {
  const { t } = useTranslation();
  return (
    <section className="mt-6 rounded-2xl bg-white p-8 text-center ring-1 ring-stone-200" data-testid="checkout-empty">
      <h2 className="text-xl font-semibold">{t("checkout.emptyTitle")}</h2>
      <p className="mt-2 text-stone-600">{t("checkout.emptyText")}</p>
      <Link to="/" className="mt-4 inline-flex min-h-11 items-center rounded-full bg-leaf px-5 font-medium text-white">
        {t("checkout.emptyLink")}
      </Link>
    </section>
  );
}

function CheckoutForm({
  review,
  checkoutKey,
  result,
  notice,
  placeChanges,
}: {
  review: CheckoutReview;
  checkoutKey: string;
  result: SubmissionResult<string[]> | undefined;
  notice: Notice;
  placeChanges: CheckoutChange[];
}) {
  const { payment, contact, buyNow, addresses, address, signedIn } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const navigation = useNavigation();
  const placing = navigation.state === "submitting" && navigation.formData?.get("intent") === "place";
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);

  const goods = review.groups.filter((g) => g.hasGoods);
  const experienceLines = review.groups.flatMap((g) => g.lines).filter((l) => l.kind === "EXPERIENCE");
  const [form, fields] = useForm<CheckoutFormShape, CheckoutInput>({
    id: "checkout",
    lastResult: result,
    defaultValue: withAddress(
      alignFormValues(
        {
          contactName: contact.name,
          contactPhone: contact.phone,
          provider: payment.defaultProvider,
          offlineMethod: "COD",
          pickupRegion: review.pickupRegion ?? "",
        },
        review.groups,
      ),
      address,
    ) as DefaultValue<CheckoutFormShape>,
    constraint: getZodConstraint(checkoutSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate({ formData, submitter }) {
      // Only "place order" is checked before sending; "update total" just recomputes.
      const submission = parseWithZod(formData, { schema: checkoutFormSchema, disableAutoCoercion: true });
      if (submitter && submitter.getAttribute("value") !== "place") {
        return { ...submission, status: undefined, error: null } as unknown as typeof submission;
      }
      return submission;
    },
  });
  const shopFields = fields.shops.getFieldList();
  const visitorFields = fields.visitors.getFieldList();

  // The summary for the deliveries chosen so far: the same function the server charges with.
  const choices: Partial<Record<string, DeliveryMethod>> = {};
  goods.forEach((g, i) => {
    const value = shopFields[i]?.getFieldset().delivery.value;
    choices[g.shopId] = isChosenDelivery(value) ? value : "HOME";
  });
  const summary = quote(review.groups, choices);

  // What changed, line by line: this rendering's check plus what placing the order found.
  const unitOf = (lineId: string | null) =>
    review.groups.flatMap((g) => g.lines).find((l) => l.id === lineId)?.unit ?? "";
  const seen = new Set(review.changes.map((c) => `${c.lineId}:${c.kind}`));
  const changes = [...review.changes, ...placeChanges.filter((c) => !seen.has(`${c.lineId}:${c.kind}`))];
  const changesByLine = new Map<string, string[]>();
  for (const c of changes) {
    if (c.lineId) changesByLine.set(c.lineId, [...(changesByLine.get(c.lineId) ?? []), changeText(c, t, lng, unitOf)]);
  }
  const priceChanged = changes.some((c) => c.kind === "PRICE_CHANGED");
  const needsCart = changes.some((c) => c.kind !== "PRICE_CHANGED" && c.kind !== "TOTAL_CHANGED");
  const hasFieldErrors = Object.values(form.allErrors).some((e) => e?.length);

  return (
    <Form method="post" {...getFormProps(form)} className="mt-4 flex flex-col gap-5">
      <CsrfInput />
      {/* Enter in a text field recomputes; only the visible button places the order. */}
      <button type="submit" name="intent" value="review" formNoValidate hidden tabIndex={-1} aria-hidden="true" />
      <input type="hidden" name="checkoutKey" value={checkoutKey} />
      <input type="hidden" name="expectedTotalFen" value={summary.totalFen} />
      {/* The deliveries that total is for: without JavaScript, those the page was rendered with. */}
      <input type="hidden" name="quotedDeliveries" value={quotedDeliveriesValue(summary.shops)} />
      {buyNow ? <input type="hidden" name="buy" value="now" /> : null}

      {notice ? (
        <p
          role="status"
          className="rounded-lg bg-emerald-50 px-3 py-2 text-sm text-emerald-900 ring-1 ring-emerald-200"
        >
          {t(notice === "pricesAccepted" ? "checkout.changes.pricesAccepted" : "checkout.summary.updated")}
        </p>
      ) : null}

      {changes.length > 0 ? (
        <section
          role="alert"
          aria-labelledby="changes-heading"
          className="rounded-2xl bg-amber-50 p-4 ring-1 ring-amber-200"
          data-testid="checkout-changes"
        >
          <h2 id="changes-heading" className="font-semibold text-amber-950">
            {t("checkout.changes.heading")}
          </h2>
          <ul className="mt-2 list-disc space-y-1 pl-5 text-sm text-amber-900">
            {changes.map((c) => (
              <li key={`${c.lineId}:${c.kind}`} data-change={c.kind}>
                {changeText(c, t, lng, unitOf)}
              </li>
            ))}
          </ul>
          {placeChanges.length > 0 ? (
            <p className="mt-2 text-sm text-amber-900">{t("checkout.changes.nothingCharged")}</p>
          ) : null}
          <div className="mt-3 flex flex-wrap gap-2">
            {priceChanged ? (
              <button
                type="submit"
                name="intent"
                value="acceptPrices"
                formNoValidate
                className="min-h-10 rounded-full bg-amber-700 px-4 text-sm font-semibold text-white"
              >
                {t("checkout.changes.acceptPrices")}
              </button>
            ) : null}
            {needsCart ? (
              <Link
                to="/cart"
                className="inline-flex min-h-10 items-center rounded-full border border-amber-700 px-4 text-sm font-semibold text-amber-900"
              >
                {t("checkout.changes.fixInCart")}
              </Link>
            ) : null}
          </div>
        </section>
      ) : null}

      {hasFieldErrors ? <FormError errors={["checkout.errors.summary"]} /> : null}

      {buyNow ? (
        <p
          className="rounded-lg bg-sky-50 px-3 py-2 text-sm text-sky-950 ring-1 ring-sky-200"
          data-testid="buy-now-notice"
        >
          {t("pages.buyNow.notice")}{" "}
          <Link to="/cart" className="font-medium underline underline-offset-4">
            {t("pages.buyNow.backToCart")}
          </Link>
        </p>
      ) : null}

      {goods.length > 0 ? (
        <SavedAddresses addresses={addresses} chosenId={address?.id ?? null} signedIn={signedIn} buyNow={buyNow} />
      ) : null}

      <section aria-labelledby="contact-heading" className="rounded-2xl bg-white p-4 ring-1 ring-stone-200">
        <h2 id="contact-heading" className="text-lg font-semibold">
          {t("checkout.contact.heading")}
        </h2>
        <div className="mt-3 grid gap-3">
          <TextField meta={fields.contactName} label={t("checkout.contact.name")} autoComplete="name" />
          <TextField
            meta={fields.contactPhone as FieldMetadata<string>}
            label={t("checkout.contact.phone")}
            hint={t("checkout.contact.phoneHint")}
            type="tel"
            inputMode="tel"
            autoComplete="tel-national"
          />
        </div>
      </section>

      {goods.length > 0 ? (
        <PickupRegionField meta={fields.pickupRegion as FieldMetadata<string>} region={review.pickupRegion} />
      ) : null}

      {fields.shops.errors?.length ? <FormError errors={fields.shops.errors} /> : null}
      {review.groups.map((group) => {
        const goodsIndex = goods.findIndex((g) => g.shopId === group.shopId);
        const shopField = goodsIndex >= 0 ? shopFields[goodsIndex] : undefined;
        return (
          <section
            key={group.shopId}
            aria-labelledby={`shop-${group.slug}`}
            className="rounded-2xl bg-white p-4 ring-1 ring-stone-200"
            data-testid="checkout-shop"
          >
            <div className="flex flex-wrap items-baseline justify-between gap-x-3">
              <h2 id={`shop-${group.slug}`} className="min-w-0 text-lg font-semibold">
                {group.name}
              </h2>
              <span className="text-sm text-stone-600">{group.countyName}</span>
            </div>
            <ul className="divide-y divide-stone-100">
              {group.lines.map((line) => (
                <LineRow key={line.id} line={line} changes={changesByLine.get(line.id) ?? []} />
              ))}
            </ul>
            {shopField ? (
              <DeliveryChoice group={group} field={shopField} hydrated={hydrated} />
            ) : (
              <p className="mt-2 text-sm text-stone-600">{t("checkout.shop.visitOnly")}</p>
            )}
            {group.lines
              .filter((l) => l.kind === "EXPERIENCE")
              .map((line) => {
                const field = visitorFields[experienceLines.findIndex((l) => l.id === line.id)];
                return field ? <VisitorNames key={line.id} line={line} field={field} /> : null;
              })}
          </section>
        );
      })}
      {fields.visitors.errors?.length ? <FormError errors={fields.visitors.errors} /> : null}

      <section
        aria-labelledby="summary-heading"
        className="rounded-2xl bg-white p-4 ring-1 ring-stone-200"
        data-testid="checkout-summary"
      >
        <h2 id="summary-heading" className="text-lg font-semibold">
          {t("checkout.summary.heading")}
        </h2>
        <ul className="mt-2 divide-y divide-stone-100">
          {review.groups.map((group, i) => {
            const q = summary.shops[i]!;
            return (
              <li key={group.shopId} className="py-2 text-sm" data-testid="summary-shop">
                <p className="font-medium">{group.name}</p>
                <p className="flex justify-between">
                  <span className="text-stone-600">{t("checkout.summary.subtotal")}</span>
                  <Money fen={q.subtotalFen} testId="summary-subtotal" />
                </p>
                <p className="flex justify-between">
                  <span className="text-stone-600">
                    {t("checkout.summary.shipping")} ·{" "}
                    {t(q.delivery === "VISIT" ? "checkout.summary.visit" : `checkout.shop.${q.delivery}`)}
                  </span>
                  <span data-testid="summary-shipping">
                    {q.shippingFen === 0 && q.delivery !== "VISIT"
                      ? t("checkout.summary.free")
                      : formatFen(q.shippingFen, lng)}
                  </span>
                </p>
                <p className="flex justify-between font-semibold">
                  <span>{t("checkout.summary.shopTotal")}</span>
                  <Money fen={q.totalFen} testId="summary-shop-total" />
                </p>
              </li>
            );
          })}
        </ul>
        <p className="mt-2 flex items-baseline justify-between border-t border-stone-200 pt-3 text-lg">
          <span className="font-semibold">{t("checkout.summary.total")}</span>
          <span className="text-2xl font-bold text-red-700">
            <Money fen={summary.totalFen} testId="checkout-total" />
          </span>
        </p>
        {!hydrated ? (
          <div className="mt-3">
            <p className="text-xs text-stone-600">{t("checkout.summary.updateHint")}</p>
            <button
              type="submit"
              name="intent"
              value="review"
              formNoValidate
              className="mt-2 min-h-10 rounded-full border border-stone-300 bg-white px-4 text-sm font-medium"
            >
              {t("checkout.summary.update")}
            </button>
          </div>
        ) : null}
      </section>

      <fieldset
        className="payment-choice rounded-2xl bg-white p-4 ring-1 ring-stone-200"
        aria-describedby={fields.provider.errors ? fields.provider.errorId : undefined}
      >
        <legend className="sr-only">{t("checkout.payment.heading")}</legend>
        <h2 className="text-lg font-semibold" aria-hidden="true">
          {t("checkout.payment.heading")}
        </h2>
        <div className="mt-2 grid gap-2">
          {payment.providers.map((name) => (
            <label
              key={name}
              className="flex min-h-11 items-start gap-3 rounded-xl px-3 py-2 ring-1 ring-stone-200 has-[:checked]:ring-2 has-[:checked]:ring-leaf"
            >
              <input
                {...getInputProps(fields.provider, { type: "radio", value: name })}
                id={`${fields.provider.id}-${name}`}
                key={`${fields.provider.key}-${name}`}
                className="mt-1 size-4 accent-leaf"
                data-testid={`provider-${name}`}
              />
              <span>
                <span className="block font-medium">{t(`checkout.payment.${name}`)}</span>
                <span className="block text-sm text-stone-600">
                  {t(`checkout.payment.${name}Hint`, { minutes: payment.reservationMinutes })}
                </span>
              </span>
            </label>
          ))}
        </div>
        <FieldErrorText id={fields.provider.errorId} errors={fields.provider.errors} />
        {/* Shown by CSS only while "offline" is checked (app/tailwind.css): right before and after
            hydration alike, and the choice survives switching back and forth. */}
        <fieldset className="offline-methods mt-3">
          <legend className="text-sm font-medium text-stone-800">{t("checkout.payment.offlineMethod")}</legend>
          <div className="mt-2 flex flex-wrap gap-2">
            {(["COD", "BANK_TRANSFER"] as const).map((method) => (
              <label
                key={method}
                className="flex min-h-11 items-center gap-2 rounded-xl px-3 ring-1 ring-stone-200 has-[:checked]:ring-2 has-[:checked]:ring-leaf"
              >
                <input
                  {...getInputProps(fields.offlineMethod, { type: "radio", value: method })}
                  id={`${fields.offlineMethod.id}-${method}`}
                  key={`${fields.offlineMethod.key}-${method}`}
                  className="size-4 accent-leaf"
                />
                {t(`checkout.payment.${method}`)}
              </label>
            ))}
          </div>
        </fieldset>
      </fieldset>

      <div className="rounded-2xl bg-white p-4 ring-1 ring-stone-200">
        <p className="text-sm text-stone-600">{t("checkout.placeHint")}</p>
        <button
          type="submit"
          name="intent"
          value="place"
          disabled={placing}
          className="mt-3 min-h-12 w-full rounded-full bg-leaf px-5 text-lg font-semibold text-white shadow-sm hover:brightness-110 disabled:opacity-60"
          data-testid="place-order"
        >
          {placing ? t("checkout.placing") : t("checkout.place")}
        </button>
      </div>
    </Form>
  );
}

export default function Checkout() {
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const review = actionData?.review ?? loaderData.review;
  return (
    <MarketFrame>
      <div className="mx-auto max-w-3xl py-6">
        <div className="flex items-baseline justify-between gap-3">
          <h1 className="text-2xl font-bold">{t("checkout.title")}</h1>
          <Link to="/cart" className="text-sm text-stone-600 underline underline-offset-4">
            {t("checkout.backToCart")}
          </Link>
        </div>
        {review.groups.length === 0 ? (
          <EmptyCheckout />
        ) : (
          <>
            <p className="mt-1 text-sm text-stone-600">{t("checkout.intro")}</p>
            <CheckoutForm
              review={review}
              checkoutKey={actionData?.checkoutKey ?? loaderData.checkoutKey}
              result={actionData?.result as SubmissionResult<string[]> | undefined}
              notice={actionData?.notice ?? null}
              placeChanges={actionData?.changes ?? []}
            />
          </>
        )}
      </div>
    </MarketFrame>
  );
}
