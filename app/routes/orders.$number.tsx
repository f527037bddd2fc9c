import type { SubmissionResult } from "@conform-to/react";
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
import { CsrfInput } from "~/components/forms";
import { MarketFrame } from "~/components/market-frame";
import { OrderLookupForm } from "~/components/order-lookup-form";
import { getFixedT } from "~/lib/i18n.server";
import { logger } from "~/lib/logger.server";
import { formatFen } from "~/lib/money";
import { formatDate, formatDateTime, formatTime, sameShanghaiDay } from "~/lib/time";
import { requireCsrf } from "~/modules/identity/csrf.server";
import {
  getBuyerOrder,
  payableOrderId,
  type BuyerOrderView,
  type BuyerShopOrderView,
} from "~/modules/orders/buyer-orders.cross-shop.server";
import { answerLookup } from "~/modules/orders/lookup-action.server";
import { shipmentsOfOrder, type BuyerShipmentView } from "~/modules/logistics/buyer-shipments.cross-shop.server";
import { ShipmentFacts, ShipmentTimeline } from "~/components/logistics/shipment-timeline";
import { startPayment } from "~/modules/payments/payments.cross-shop.server";
import { configuredOriginOf } from "~/modules/tenancy/origins.server";
import { readForm } from "~/lib/request-bounds.server";
import { getUserId } from "~/modules/identity/session.server";
import { reviewableLines } from "~/modules/reviews/buyer-reviews.cross-shop.server";
import { OrderReviews } from "~/components/reviews/order-reviews";

// The buyer's confirmation and tracking page. Shown to the signed-in buyer who placed the
// order or to a browser that proved number + mobile; anyone else (and any unknown number)
// gets the same look-up form, so the page never tells whether an order exists.

const PRIVATE = { "Cache-Control": "private, no-store", Vary: "Cookie" };
export const headers: HeadersFunction = () => PRIVATE;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { t, lng } = await getFixedT(request);
  const number = params.number ?? "";
  const order = await getBuyerOrder({ request, number, lng });
  // Only for an order this buyer may see (getBuyerOrder answered it): the parcels and their codes.
  const shipments = order ? await shipmentsOfOrder(order.number, lng) : {};
  // Delivered lines the signed-in buyer may review (none for a guest or anyone else: decision 023).
  const userId = order ? await getUserId(request) : null;
  const reviewLines = order && userId ? await reviewableLines({ userId, orderNumber: order.number, lng }) : [];
  const url = new URL(request.url);
  return data(
    {
      title: order ? t("checkout.order.title", { number: order.number }) : t("checkout.lookup.title"),
      number,
      order,
      shipments,
      /** Back from Stripe's page: the webhook decides whether it is paid, the page only says so honestly. */
      paid: url.searchParams.get("paid") === "1",
      payError: url.searchParams.get("payError") === "1",
      reviewLines,
      reviewed: url.searchParams.get("reviewed"),
    },
    { headers: PRIVATE },
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.title },
  { name: "robots", content: "noindex" },
];

export async function action({ request, params }: ActionFunctionArgs) {
  const formData = await readForm(request);
  await requireCsrf(request, formData);
  const number = params.number ?? "";
  if (formData.get("intent") !== "pay") return answerLookup(request, formData);

  // "Pay now": the same payment again (its idempotency key makes Stripe answer with the same session).
  const orderId = await payableOrderId({ request, number });
  if (!orderId) return redirect(`/orders/${encodeURIComponent(number)}`, { headers: PRIVATE });
  try {
    const { redirectUrl } = await startPayment({ orderId, origin: await configuredOriginOf(request) });
    return redirect(redirectUrl ?? `/orders/${encodeURIComponent(number)}`, { headers: PRIVATE });
  } catch (error) {
    logger.error({ err: error, orderId }, "could not start the payment again");
    return redirect(`/orders/${encodeURIComponent(number)}?payError=1`, { headers: PRIVATE });
  }
}

function Notice({
  tone,
  children,
  testId,
}: {
  tone: "info" | "ok" | "warn";
  children: React.ReactNode;
  testId?: string;
}) {
  const tones = {
    info: "bg-sky-50 text-sky-950 ring-sky-200",
    ok: "bg-emerald-50 text-emerald-950 ring-emerald-200",
    warn: "bg-amber-50 text-amber-950 ring-amber-200",
  };
  return (
    <div role="status" className={`rounded-xl px-3 py-2 text-sm ring-1 ${tones[tone]}`} data-testid={testId}>
      {children}
    </div>
  );
}

function shopStatusKey(order: BuyerOrderView, status: BuyerShopOrderView["status"]) {
  return status === "AWAITING_PAYMENT" ? `AWAITING_PAYMENT_${order.provider}` : status;
}

function Tracker({ order, shopOrder }: { order: BuyerOrderView; shopOrder: BuyerShopOrderView }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const ended = shopOrder.status === "CANCELLED" || shopOrder.status === "REFUNDED";
  const reached = shopOrder.steps.filter((s) => s.done).length;
  return (
    <ol className="mt-3 grid grid-cols-5 gap-1" aria-label={t("checkout.order.progress", { shop: shopOrder.shopName })}>
      {shopOrder.steps.map((step, i) => {
        const current = !ended && i === reached - 1;
        const label =
          step.status === "AWAITING_PAYMENT" && order.provider === "OFFLINE"
            ? t("checkout.order.steps.AWAITING_CONFIRMATION")
            : t(`checkout.order.steps.${step.status}`);
        return (
          <li
            key={step.status}
            aria-current={current ? "step" : undefined}
            data-done={step.done ? "true" : "false"}
            className="flex min-w-0 flex-col items-center text-center"
          >
            <span
              aria-hidden="true"
              className={`h-1.5 w-full rounded-full ${step.done ? (ended ? "bg-stone-400" : "bg-leaf") : "bg-stone-200"}`}
            />
            <span
              className={`mt-1 text-xs leading-tight ${current ? "font-semibold text-leaf" : step.done ? "text-stone-800" : "text-stone-500"}`}
            >
              {label}
            </span>
            {step.at && step.done ? (
              <span className="text-[11px] text-stone-500">{formatTime(step.at, lng)}</span>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}

function ShipmentBox({ shipment }: { shipment: BuyerShipmentView }) {
  const { t } = useTranslation();
  return (
    <div
      className="mt-2 flex flex-col gap-2 rounded-xl bg-sky-50/60 px-3 py-2 ring-1 ring-sky-100"
      data-testid="shop-order-shipment"
      data-status={shipment.status}
    >
      <p className="flex flex-wrap items-center justify-between gap-2">
        <span className="font-medium">{t("shipments.title")}</span>
        <span className="text-sm font-semibold text-sky-900" data-testid="shipment-status">
          {t(`shipments.status.${shipment.status}`)}
        </span>
      </p>
      <ShipmentFacts shipment={shipment} showReason={false} />
      <ShipmentTimeline events={shipment.events} showNotes={false} />
    </div>
  );
}

function ShopOrderCard({
  order,
  shopOrder,
  shipment,
}: {
  order: BuyerOrderView;
  shopOrder: BuyerShopOrderView;
  shipment: BuyerShipmentView | undefined;
}) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const ended = shopOrder.status === "CANCELLED" || shopOrder.status === "REFUNDED";
  return (
    <section
      className="rounded-2xl bg-white p-4 ring-1 ring-stone-200"
      aria-labelledby={`so-${shopOrder.number}`}
      data-testid="shop-order"
      data-status={shopOrder.status}
    >
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id={`so-${shopOrder.number}`} className="min-w-0 text-lg font-semibold">
          <Link to={`/s/${shopOrder.shopSlug}`} className="underline-offset-4 hover:underline">
            {shopOrder.shopName}
          </Link>
        </h2>
        <span
          className={`rounded-full px-2.5 py-0.5 text-sm font-medium ${ended ? "bg-stone-100 text-stone-700" : "bg-leaf/10 text-leaf"}`}
          data-testid="shop-order-status"
        >
          {t(`checkout.order.shopStatus.${shopStatusKey(order, shopOrder.status)}`)}
        </span>
      </div>
      <p className="text-sm text-stone-600">{t("checkout.order.shopOrderNumber", { number: shopOrder.number })}</p>
      <Tracker order={order} shopOrder={shopOrder} />
      {ended && shopOrder.endedAt ? (
        <p className="mt-2 text-sm text-stone-700">
          {t("checkout.order.endedAt", {
            status: t(`checkout.order.shopStatus.${shopOrder.status}`),
            time: formatDateTime(shopOrder.endedAt, lng),
          })}
        </p>
      ) : null}

      {shipment ? <ShipmentBox shipment={shipment} /> : null}

      <ul className="mt-3 divide-y divide-stone-100 border-t border-stone-100">
        {shopOrder.lines.map((line) => (
          <li key={line.id} className="py-2 text-sm" data-testid="order-line">
            <div className="flex justify-between gap-3">
              <div className="min-w-0">
                <p className="font-medium text-stone-900">{line.title}</p>
                <p className="text-stone-600">
                  {line.variantTitle} ·{" "}
                  {t("checkout.order.unitPrice", { price: formatFen(line.unitPriceFen, lng), unit: line.unit })}{" "}
                  {t("checkout.order.quantity", { count: line.quantity })}
                </p>
                {line.slotStartsAt ? (
                  <p className="text-stone-600">
                    {t("checkout.order.slot", { time: formatDateTime(line.slotStartsAt, lng) })}
                  </p>
                ) : null}
                {line.visitorNames.length ? (
                  <p className="text-stone-600">
                    {t("checkout.order.visitors", { names: line.visitorNames.join("、") })}
                  </p>
                ) : null}
                {line.presaleShipBy ? (
                  <p className="text-stone-600">
                    {t("checkout.line.presale", { date: formatDate(line.presaleShipBy, lng) })}
                  </p>
                ) : null}
                {line.refundedQuantity > 0 ? (
                  <p className="text-stone-600">
                    {t("checkout.order.refundedQuantity", { count: line.refundedQuantity, unit: line.unit })}
                  </p>
                ) : null}
              </div>
              <span className="shrink-0 font-medium">{formatFen(line.lineTotalFen, lng)}</span>
            </div>
          </li>
        ))}
      </ul>

      <div className="mt-2 rounded-xl bg-stone-50 px-3 py-2 text-sm" data-testid="shop-order-delivery">
        <p className="font-medium">{t(`checkout.order.delivery.${shopOrder.delivery}`)}</p>
        {shopOrder.delivery === "HOME" ? (
          <p className="text-stone-700">
            {[shopOrder.addressRegion, shopOrder.addressLine].filter(Boolean).join(" ")}
            {shopOrder.recipientName ? ` · ${t("checkout.order.recipient", { name: shopOrder.recipientName })}` : ""}
          </p>
        ) : null}
        {shopOrder.pickupPoint ? (
          <p className="text-stone-700">
            {shopOrder.pickupPoint.name} · {shopOrder.pickupPoint.address}
          </p>
        ) : null}
        {shopOrder.note ? <p className="text-stone-600">{t("checkout.order.note", { note: shopOrder.note })}</p> : null}
        {order.provider === "OFFLINE" && shopOrder.shopPhone ? (
          <p className="text-stone-600">{t("checkout.order.offline.shopPhone", { phone: shopOrder.shopPhone })}</p>
        ) : null}
      </div>

      <dl className="mt-2 space-y-0.5 text-sm">
        <div className="flex justify-between">
          <dt className="text-stone-600">{t("checkout.order.subtotal")}</dt>
          <dd>{formatFen(shopOrder.subtotalFen, lng)}</dd>
        </div>
        <div className="flex justify-between">
          <dt className="text-stone-600">{t("checkout.order.shipping")}</dt>
          <dd>{formatFen(shopOrder.shippingFen, lng)}</dd>
        </div>
        <div className="flex justify-between font-semibold">
          <dt>{t("checkout.order.shopTotal")}</dt>
          <dd data-testid="shop-order-total">{formatFen(shopOrder.totalFen, lng)}</dd>
        </div>
      </dl>
      {shopOrder.refundedFen > 0 ? (
        <p className="mt-1 text-sm text-stone-700">
          {t("checkout.order.refunded", { amount: formatFen(shopOrder.refundedFen, lng) })}
        </p>
      ) : null}
    </section>
  );
}

function OrderPage({
  order,
  shipments,
  paid,
  payError,
}: {
  order: BuyerOrderView;
  shipments: Record<string, BuyerShipmentView>;
  paid: boolean;
  payError: boolean;
}) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const navigation = useNavigation();
  const awaiting = order.status === "AWAITING_PAYMENT";
  const expiry = sameShanghaiDay(order.createdAt, order.expiresAt)
    ? formatTime(order.expiresAt, lng)
    : formatDateTime(order.expiresAt, lng);
  return (
    <>
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h1 className="text-2xl font-bold" data-testid="order-number">
          {t("checkout.order.title", { number: order.number })}
        </h1>
        <span className="rounded-full bg-leaf px-3 py-1 text-sm font-semibold text-white" data-testid="order-status">
          {t(
            `checkout.order.status.${order.status === "AWAITING_PAYMENT" ? `AWAITING_PAYMENT_${order.provider}` : order.status}`,
          )}
        </span>
      </div>
      <p className="mt-1 text-sm text-stone-600">
        {t("checkout.order.placedAt", { time: formatDateTime(order.createdAt, lng) })} ·{" "}
        {t("checkout.order.contact", { name: order.contactName, phone: order.contactPhone })}
      </p>

      <div className="mt-4 space-y-3">
        {paid && awaiting ? (
          <Notice tone="info" testId="paid-pending">
            {t("checkout.order.paidPending")}
          </Notice>
        ) : null}
        {paid && order.status === "PAID" ? <Notice tone="ok">{t("checkout.order.paidDone")}</Notice> : null}
        {payError && awaiting ? <Notice tone="warn">{t("checkout.order.paymentFailed")}</Notice> : null}
        {awaiting && order.provider === "STRIPE" && !paid ? (
          <Notice tone="warn" testId="pay-before">
            {t("checkout.order.payBefore", { time: expiry })}
          </Notice>
        ) : null}
        {order.canPayNow ? (
          <Form method="post">
            <CsrfInput />
            <input type="hidden" name="intent" value="pay" />
            <button
              type="submit"
              disabled={navigation.state === "submitting"}
              className="min-h-12 w-full rounded-full bg-leaf px-5 text-lg font-semibold text-white disabled:opacity-60"
              data-testid="pay-now"
            >
              {t("checkout.order.payNow")}
            </button>
          </Form>
        ) : null}
        {awaiting && order.provider === "OFFLINE" ? (
          <Notice tone="info" testId="offline-instructions">
            <p>{t(`checkout.order.offline.${order.offlineMethod ?? "COD"}`)}</p>
            <p className="mt-1">{t("checkout.order.offline.wait")}</p>
            <p className="mt-1">{t("checkout.order.confirmBefore", { time: expiry })}</p>
          </Notice>
        ) : null}
      </div>

      <div className="mt-4 space-y-4">
        {order.shopOrders.map((so) => (
          <ShopOrderCard key={so.number} order={order} shopOrder={so} shipment={shipments[so.number]} />
        ))}
      </div>

      <p className="mt-4 flex items-baseline justify-between rounded-2xl bg-white p-4 text-lg ring-1 ring-stone-200">
        <span className="font-semibold">{t("checkout.order.total")}</span>
        <span className="text-2xl font-bold text-red-700" data-testid="order-total">
          {formatFen(order.totalFen, lng)}
        </span>
      </p>

      <div className="mt-6 flex flex-wrap gap-3 text-sm">
        <Link to="/" className="inline-flex min-h-11 items-center rounded-full bg-leaf px-5 font-medium text-white">
          {t("checkout.order.keepShopping")}
        </Link>
        <Link
          to="/orders"
          className="inline-flex min-h-11 items-center rounded-full border border-stone-300 px-5 font-medium"
        >
          {t("checkout.order.lookupAnother")}
        </Link>
      </div>
    </>
  );
}

export default function OrderRoute() {
  const { order, shipments, number, paid, payError, reviewLines, reviewed } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  return (
    <MarketFrame>
      <div className="mx-auto max-w-3xl py-6">
        {order ? (
          <>
            <OrderPage order={order} shipments={shipments} paid={paid} payError={payError} />
            <OrderReviews orderNumber={order.number} lines={reviewLines} reviewed={reviewed} />
          </>
        ) : (
          <div className="mx-auto max-w-md">
            <h1 className="text-2xl font-bold">{t("checkout.lookup.title")}</h1>
            <p className="mt-1 text-stone-700">{t("checkout.lookup.locked")}</p>
            <OrderLookupForm
              number={number}
              lastResult={
                actionData && "result" in actionData ? (actionData.result as SubmissionResult<string[]>) : undefined
              }
            />
          </div>
        )}
      </div>
    </MarketFrame>
  );
}
