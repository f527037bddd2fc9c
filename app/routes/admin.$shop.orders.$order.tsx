import { parseWithZod } from "@conform-to/zod";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CsrfInput, FormError, useErrorText } from "~/components/forms";
import { PackForm, type PackFormReply } from "~/components/logistics/pack-form";
import { ShipmentFacts, ShipmentTimeline } from "~/components/logistics/shipment-timeline";
import { DoneNotice, OrderStatusBadge } from "~/components/orders/order-bits";
import { getFixedT } from "~/lib/i18n.server";
import { formatFen } from "~/lib/money";
import { formatDateTime } from "~/lib/time";
import { fenToYuanInput } from "~/modules/catalog/variant-schema";
import { requireShopAccess } from "~/modules/identity/access.server";
import { requireCsrf } from "~/modules/identity/csrf.server";
import { can } from "~/modules/identity/permissions";
import { actionSchema, ORDER_ACTIONS, refundSchema, type OrderAction } from "~/modules/orders/admin-forms";
import { findShopOrderRef, orderPageView, type OrderPageView } from "~/modules/orders/admin-orders.server";
import { actOnShopOrder } from "~/modules/orders/shop-orders.server";
import { refundShopOrder } from "~/modules/payments/refunds.server";
import { readForm } from "~/lib/request-bounds.server";
import { gramsToKgInput, packSchema } from "~/modules/logistics/pack-form";
import { packingDefaults, packShopOrder } from "~/modules/logistics/packing.server";
import { partnerCarries } from "~/modules/logistics/shipment-filters";
import { packFormDefaults, shopShipmentView } from "~/modules/logistics/shop-shipments.server";

// /admin/:shop/orders/:order (the shop order's number): what was sold, where it goes, who
// the buyer is, what happened when and by whom, and the moves the state machine allows now.
// Every member may look; moving it needs orders:manage, giving money back orders:refund.

const notFoundResponse = () => new Response(null, { status: 404, statusText: "Not Found" });
const DONE = [...ORDER_ACTIONS, "refund", "refundPending"] as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const access = await requireShopAccess(request, params.shop, "orders:view");
  const { t, lng } = await getFixedT(request);
  const order = await orderPageView(access.shop.id, params.order ?? "", lng);
  if (!order) throw notFoundResponse();
  const done = DONE.find((d) => d === new URL(request.url).searchParams.get("done")) ?? null;
  const shipment = await shopShipmentView(access.shop.id, order.id, lng);
  // Once a partner carries the parcels, its events hand them over and deliver them (issue #10).
  const carried = partnerCarries(shipment);
  const actions = order.actions.filter((a) => !(carried && (a === "handOver" || a === "deliver")));
  const pack = order.actions.includes("pack") ? await packFormDefaults(access.shop.id, order.id) : null;
  return {
    title: `${t("orders.page.title", { number: order.number })}`,
    shopSlug: access.shop.slug,
    canManage: can(access.role, "orders:manage"),
    canRefund: can(access.role, "orders:refund"),
    order: { ...order, actions },
    pack: pack
      ? {
          parcelCount: pack.parcelCount,
          coldChain: pack.coldChain,
          shipsGoods: pack.shipsGoods,
          weightKg: pack.weightGrams ? gramsToKgInput(pack.weightGrams) : "",
        }
      : null,
    shipment: shipment ? { ...shipment, partnerCarries: carried } : null,
    done,
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

type ActionReply =
  | PackFormReply
  | {
      form: "action" | "refund";
      formError?: string;
      fieldErrors?: Record<string, string[] | null | undefined>;
      values?: { amount?: string; reason?: string };
    };

export async function action({ request, params }: ActionFunctionArgs) {
  const formData = await readForm(request);
  await requireCsrf(request, formData);
  const intent = String(formData.get("intent") ?? "");
  const access = await requireShopAccess(request, params.shop, intent === "refund" ? "orders:refund" : "orders:manage");
  const ref = await findShopOrderRef(access.shop.id, params.order ?? "");
  if (!ref) throw notFoundResponse();
  const here = `/admin/${access.shop.slug}/orders/${ref.number}`;

  if (intent === "refund") {
    const submission = parseWithZod(formData, { schema: refundSchema });
    const values = { amount: String(formData.get("amount") ?? ""), reason: String(formData.get("reason") ?? "") };
    if (submission.status !== "success") {
      return data<ActionReply>({ form: "refund", fieldErrors: submission.error ?? {}, values }, { status: 400 });
    }
    const outcome = await refundShopOrder({
      shopId: access.shop.id,
      shopOrderId: ref.id,
      amountFen: submission.value.amount,
      lines: submission.value.lines.filter((l) => l.quantity > 0),
      reason: submission.value.reason,
      userId: access.user.id,
    });
    if (!outcome.ok) {
      if (outcome.error === "notFound") throw notFoundResponse();
      return data<ActionReply>(
        { form: "refund", formError: `orders.errors.${outcome.error}`, values },
        { status: 409 },
      );
    }
    return redirect(`${here}?done=${outcome.status === "PENDING" ? "refundPending" : "refund"}`);
  }

  if (intent === "pack") {
    const defaults = await packingDefaults(access.shop.id, ref.id);
    const values = {
      parcels: String(formData.get("parcels") ?? ""),
      weight: String(formData.get("weight") ?? ""),
      coldChain: formData.get("coldChain") === "on",
    };
    let parcels = { parcelCount: 1, weightGrams: 0, coldChain: false };
    if (defaults.shipsGoods) {
      const submission = parseWithZod(formData, { schema: packSchema });
      if (submission.status !== "success") {
        return data<ActionReply>({ form: "pack", fieldErrors: submission.error ?? {}, values }, { status: 400 });
      }
      const v = submission.value;
      parcels = { parcelCount: v.parcels, weightGrams: v.weight, coldChain: v.coldChain };
    }
    const packed = await packShopOrder({
      shopId: access.shop.id,
      shopOrderId: ref.id,
      userId: access.user.id,
      parcels,
    });
    if (!packed.ok) {
      if (packed.error === "notFound") throw notFoundResponse();
      // Not packable now: the pack form is not shown, so the page's action notice says it.
      return data<ActionReply>({ form: "action", formError: "orders.errors.notAllowed" }, { status: 409 });
    }
    return redirect(`${here}?done=pack`);
  }

  const parsed = actionSchema.safeParse({ intent });
  if (!parsed.success)
    return data<ActionReply>({ form: "action", formError: "orders.errors.unknownAction" }, { status: 400 });
  if (parsed.data.intent === "handOver" || parsed.data.intent === "deliver") {
    const shipment = await shopShipmentView(access.shop.id, ref.id, "zh-CN");
    if (partnerCarries(shipment)) {
      return data<ActionReply>({ form: "action", formError: "packing.errors.partnerCarries" }, { status: 409 });
    }
  }
  const outcome = await actOnShopOrder({
    shopId: access.shop.id,
    shopOrderId: ref.id,
    action: parsed.data.intent,
    userId: access.user.id,
  });
  if (!outcome.ok) {
    if (outcome.error === "notFound") throw notFoundResponse();
    return data<ActionReply>({ form: "action", formError: "orders.errors.notAllowed" }, { status: 409 });
  }
  return redirect(`${here}?done=${parsed.data.intent}`);
}

// ─── Page ──────────────────────────────────────────────────────────────────

const card = "rounded-2xl bg-white p-4 ring-1 ring-stone-200";
const h2 = "text-lg font-semibold";

export default function OrderPage() {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const { shopSlug, canManage, canRefund, order, pack, shipment, done } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>() as ActionReply | undefined;
  const [params] = useSearchParams();
  const showDone = done && !reply && params.get("done") === done;

  return (
    <div className="flex flex-col gap-4">
      <nav className="text-sm">
        <Link to={`/admin/${shopSlug}/orders`} className="text-stone-600 underline underline-offset-4">
          ← {t("orders.page.back")}
        </Link>
      </nav>
      <div className="flex flex-col gap-1">
        <h1 className="flex flex-wrap items-center gap-2 text-2xl font-bold">
          <span>{t("orders.page.title", { number: order.number })}</span>
          <OrderStatusBadge status={order.status} />
        </h1>
        <p className="text-sm text-stone-600">
          {t("orders.page.placedAt", { when: formatDateTime(order.createdAt, lng) })} ·{" "}
          {t(`orders.payment.${order.payment}`)}
        </p>
        {order.status === "AWAITING_PAYMENT" && order.provider === "OFFLINE" && order.order.expiresAt ? (
          <p className="text-sm text-amber-900">
            {t("orders.page.offlineWaiting", { when: formatDateTime(order.order.expiresAt, lng) })}
          </p>
        ) : null}
      </div>

      <DoneNotice text={showDone ? t(`orders.done.${done}`) : null} />

      {canManage && pack ? <PackForm defaults={pack} reply={reply?.form === "pack" ? reply : undefined} /> : null}
      {/* "pack" is the pack form's (parcels, weight, cold chain), not a bare button. */}
      {canManage && order.actions.some((a) => a !== "pack") ? (
        <Actions actions={order.actions.filter((a) => a !== "pack")} />
      ) : null}
      {reply?.form === "action" ? <FormError errors={reply.formError ? [reply.formError] : undefined} /> : null}

      {shipment ? (
        <Shipment shipment={shipment} labelsHref={`/admin/${shopSlug}/orders/${order.number}/labels`} />
      ) : null}
      <Lines order={order} />
      <Delivery order={order} />

      <section className={card} aria-labelledby="buyer-heading">
        <h2 id="buyer-heading" className={h2}>
          {t("orders.page.buyer")}
        </h2>
        <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
          <dt className="text-stone-600">{t("orders.page.buyerName")}</dt>
          <dd>{order.buyer.name}</dd>
          <dt className="text-stone-600">{t("orders.page.buyerPhone")}</dt>
          <dd>
            <a href={`tel:${order.buyer.phone}`} className="text-leaf underline">
              {order.buyer.phone}
            </a>
          </dd>
          <dt className="text-stone-600">{t("orders.page.orderNumber")}</dt>
          <dd className="font-mono">{order.order.number}</dd>
        </dl>
      </section>

      {canRefund && order.money.refundableFen > 0 ? <RefundForm order={order} reply={reply} /> : null}
      {order.refunds.length > 0 ? <Refunds order={order} /> : null}
      <History order={order} />
    </div>
  );
}

function Actions({ actions }: { actions: OrderAction[] }) {
  const { t } = useTranslation();
  const navigation = useNavigation();
  const busy = navigation.state !== "idle";
  return (
    <section className={card} aria-labelledby="actions-heading">
      <h2 id="actions-heading" className={h2}>
        {t("orders.page.next")}
      </h2>
      <div className="mt-3 flex flex-wrap gap-2" data-testid="order-actions">
        {actions.map((action) => (
          <Form method="post" key={action}>
            <CsrfInput />
            <input type="hidden" name="intent" value={action} />
            <button
              type="submit"
              disabled={busy}
              aria-describedby={`${action}-hint`}
              className={`min-h-11 rounded-full px-5 font-semibold disabled:opacity-60 ${
                action === "cancel" ? "bg-white text-red-800 ring-1 ring-red-300" : "bg-leaf text-white"
              }`}
            >
              {t(`orders.action.${action}`)}
            </button>
            <span id={`${action}-hint`} className="sr-only">
              {t(`orders.actionHint.${action}`)}
            </span>
          </Form>
        ))}
      </div>
    </section>
  );
}

function Lines({ order }: { order: OrderPageView }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  return (
    <section className={card} aria-labelledby="lines-heading">
      <h2 id="lines-heading" className={h2}>
        {t("orders.page.lines")}
      </h2>
      <ul className="mt-2 divide-y divide-stone-200" data-testid="order-lines">
        {order.lines.map((line) => (
          <li key={line.id} className="flex flex-col gap-0.5 py-2">
            <span className="flex flex-wrap justify-between gap-x-3">
              <span className="font-medium">
                {line.title} · {line.variantTitle}
              </span>
              <span className="font-semibold">{formatFen(line.lineTotalFen, lng)}</span>
            </span>
            <span className="text-sm text-stone-700">
              {t("orders.page.unitPrice", { price: formatFen(line.unitPriceFen, lng), unit: line.unit })} ×{" "}
              {line.quantity} · {line.sku}
            </span>
            {line.refundedQuantity > 0 ? (
              <span className="text-sm text-rose-800">
                {t("orders.page.refundedQuantity", { count: line.refundedQuantity, unit: line.unit })}
              </span>
            ) : null}
            {line.slotStartsAt ? (
              <span className="text-sm text-stone-700">
                {t("orders.page.slot", { when: formatDateTime(line.slotStartsAt, lng) })}
              </span>
            ) : null}
            {line.visitorNames.length > 0 ? (
              <span className="text-sm text-stone-700">
                {t("orders.page.visitors", { names: line.visitorNames.join(lng === "en" ? ", " : "、") })}
              </span>
            ) : null}
            {line.presale && line.presaleShipBy ? (
              <span className="text-sm text-violet-900">{t("orders.page.presale", { date: line.presaleShipBy })}</span>
            ) : null}
          </li>
        ))}
      </ul>
      <dl className="mt-2 grid grid-cols-[1fr_auto] gap-x-4 gap-y-1 border-t border-stone-200 pt-2 text-sm">
        <dt>{t("orders.page.subtotal")}</dt>
        <dd className="text-right">{formatFen(order.money.subtotalFen, lng)}</dd>
        <dt>{t("orders.page.shipping")}</dt>
        <dd className="text-right">{formatFen(order.money.shippingFen, lng)}</dd>
        <dt className="font-semibold">{t("orders.page.total")}</dt>
        <dd className="text-right font-semibold" data-testid="order-total">
          {formatFen(order.money.totalFen, lng)}
        </dd>
        {order.money.refundedFen > 0 ? (
          <>
            <dt className="text-rose-800">{t("orders.page.refunded")}</dt>
            <dd className="text-right text-rose-800">−{formatFen(order.money.refundedFen, lng)}</dd>
          </>
        ) : null}
        <dt className="text-stone-600">{t("orders.page.fee", { percent: order.money.feeBps / 100 })}</dt>
        <dd />
      </dl>
    </section>
  );
}

function Delivery({ order }: { order: OrderPageView }) {
  const { t } = useTranslation();
  const d = order.delivery;
  return (
    <section className={card} aria-labelledby="delivery-heading">
      <h2 id="delivery-heading" className={h2}>
        {t("orders.page.delivery")}: {t(`orders.delivery.${d.method}`)}
      </h2>
      <div className="mt-2 flex flex-col gap-1 text-sm" data-testid="order-delivery">
        {d.method === "HOME" ? (
          <>
            <p>
              {d.recipientName} · {d.recipientPhone}
            </p>
            <p>
              {d.addressRegion} {d.addressLine}
            </p>
          </>
        ) : null}
        {d.pickupPoint ? (
          <>
            <p>
              {t(`orders.pickupKind.${d.pickupPoint.kind}`)}: <span className="font-medium">{d.pickupPoint.name}</span>
            </p>
            <p className="text-stone-700">{d.pickupPoint.address}</p>
            {d.recipientName ? (
              <p>
                {t("orders.page.collector")}: {d.recipientName} · {d.recipientPhone}
              </p>
            ) : null}
          </>
        ) : null}
        {d.method === "VISIT" ? <p>{t("orders.page.visitHint")}</p> : null}
        {d.note ? (
          <p className="text-stone-700">
            {t("orders.page.note")}: {d.note}
          </p>
        ) : null}
      </div>
    </section>
  );
}

type ShopShipment = NonNullable<ReturnType<typeof useLoaderData<typeof loader>>["shipment"]>;

function Shipment({ shipment, labelsHref }: { shipment: ShopShipment; labelsHref: string }) {
  const { t } = useTranslation();
  return (
    <section className={card} aria-labelledby="shipment-heading" data-testid="shipment" data-status={shipment.status}>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="shipment-heading" className={h2}>
          {t("shipments.title")}
        </h2>
        <span
          className="rounded-full bg-leaf/10 px-2.5 py-0.5 text-sm font-medium text-leaf"
          data-testid="shipment-status"
        >
          {t(`shipments.status.${shipment.status}`)}
        </span>
      </div>
      <div className="mt-2 flex flex-col gap-3">
        <ShipmentFacts shipment={shipment} showReason />
        {shipment.partnerCarries ? <p className="text-sm text-stone-700">{t("packing.partnerCarries")}</p> : null}
        {shipment.status !== "CANCELLED" ? (
          <p>
            <a
              href={labelsHref}
              className="inline-flex min-h-11 items-center rounded-full border border-leaf px-4 text-sm font-semibold text-leaf"
              data-testid="print-labels"
            >
              {t("packing.printLabels")}
            </a>
          </p>
        ) : null}
        <ShipmentTimeline events={shipment.events} showNotes />
      </div>
    </section>
  );
}

function RefundForm({ order, reply }: { order: OrderPageView; reply?: ActionReply }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const errorText = useErrorText();
  const navigation = useNavigation();
  const mine = reply?.form === "refund" ? reply : undefined;
  const amountError = errorText(mine?.fieldErrors?.amount?.[0] ?? undefined);
  const reasonError = errorText(mine?.fieldErrors?.reason?.[0] ?? undefined);
  const lineErrors = Object.entries(mine?.fieldErrors ?? {})
    .filter(([key]) => key.startsWith("lines"))
    .flatMap(([, errors]) => errors ?? []);
  const returnable = order.lines.filter((l) => l.quantity - l.refundedQuantity > 0);
  return (
    <section className={card} aria-labelledby="refund-heading" id="refund">
      <h2 id="refund-heading" className={h2}>
        {t("orders.refund.title")}
      </h2>
      <p className="mt-1 text-sm text-stone-700">
        {t("orders.refund.left", { amount: formatFen(order.money.refundableFen, lng) })}
        {order.provider === "OFFLINE" ? ` ${t("orders.refund.offlineHint")}` : ` ${t("orders.refund.onlineHint")}`}
      </p>
      <Form method="post" className="mt-3 flex flex-col gap-3">
        <CsrfInput />
        <input type="hidden" name="intent" value="refund" />
        <FormError errors={mine?.formError ? [mine.formError] : undefined} />
        <div className="flex flex-col gap-1">
          <label htmlFor="refund-amount" className="text-sm font-medium">
            {t("orders.refund.amount")}
          </label>
          <input
            id="refund-amount"
            name="amount"
            inputMode="decimal"
            defaultValue={mine?.values?.amount ?? fenToYuanInput(order.money.refundableFen)}
            aria-invalid={amountError ? true : undefined}
            aria-describedby={amountError ? "refund-amount-error" : "refund-amount-hint"}
            className="min-h-11 w-40 rounded-lg border border-stone-300 px-3 text-base aria-[invalid=true]:border-red-600"
          />
          <p id="refund-amount-hint" className="text-xs text-stone-600">
            {t("orders.refund.amountHint")}
          </p>
          {amountError ? (
            <p id="refund-amount-error" role="alert" className="text-sm text-red-700">
              {amountError}
            </p>
          ) : null}
        </div>
        {returnable.length > 0 ? (
          <fieldset className="flex flex-col gap-2">
            <legend className="text-sm font-medium">{t("orders.refund.quantities")}</legend>
            <p className="text-xs text-stone-600">
              {t(order.restocks ? "orders.refund.restockHint" : "orders.refund.noRestockHint")}
            </p>
            {returnable.map((line, index) => (
              <div key={line.id} className="flex items-center gap-2">
                <input type="hidden" name={`lines[${index}].lineId`} value={line.id} />
                <input
                  id={`refund-qty-${line.id}`}
                  name={`lines[${index}].quantity`}
                  type="number"
                  min={0}
                  max={line.quantity - line.refundedQuantity}
                  defaultValue={0}
                  className="min-h-11 w-20 rounded-lg border border-stone-300 px-2 text-base"
                />
                <label htmlFor={`refund-qty-${line.id}`} className="text-sm">
                  {line.title} · {line.variantTitle}{" "}
                  <span className="text-stone-600">
                    ({t("orders.refund.ofQuantity", { count: line.quantity - line.refundedQuantity, unit: line.unit })})
                  </span>
                </label>
              </div>
            ))}
            {lineErrors.length > 0 ? (
              <p role="alert" className="text-sm text-red-700">
                {errorText(lineErrors[0])}
              </p>
            ) : null}
          </fieldset>
        ) : null}
        <div className="flex flex-col gap-1">
          <label htmlFor="refund-reason" className="text-sm font-medium">
            {t("orders.refund.reason")}
          </label>
          <textarea
            id="refund-reason"
            name="reason"
            rows={2}
            maxLength={200}
            defaultValue={mine?.values?.reason ?? ""}
            className="rounded-lg border border-stone-300 px-3 py-2 text-base"
          />
          {reasonError ? (
            <p role="alert" className="text-sm text-red-700">
              {reasonError}
            </p>
          ) : null}
        </div>
        <div>
          <button
            type="submit"
            disabled={navigation.state !== "idle"}
            className="min-h-11 rounded-full bg-rose-700 px-5 font-semibold text-white disabled:opacity-60"
          >
            {t("orders.refund.submit")}
          </button>
        </div>
      </Form>
    </section>
  );
}

function Refunds({ order }: { order: OrderPageView }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  return (
    <section className={card} aria-labelledby="refunds-heading">
      <h2 id="refunds-heading" className={h2}>
        {t("orders.refund.history")}
      </h2>
      <ul className="mt-2 flex flex-col gap-2 text-sm" data-testid="order-refunds">
        {order.refunds.map((r) => (
          <li key={r.id} className="flex flex-col">
            <span>
              <span className="font-semibold">{formatFen(r.amountFen, lng)}</span> ·{" "}
              {t(`orders.refund.status.${r.status}`)} · {formatDateTime(r.at, lng)}
            </span>
            {r.lines.length > 0 ? (
              <span className="text-stone-700">
                {r.lines.map((l) => `${l.title} × ${l.quantity}`).join(lng === "en" ? ", " : "、")}
                {r.restock ? ` · ${t("orders.refund.restocked")}` : ""}
              </span>
            ) : null}
            {r.reason ? <span className="text-stone-600">{r.reason}</span> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

function History({ order }: { order: OrderPageView }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  return (
    <section className={card} aria-labelledby="history-heading">
      <h2 id="history-heading" className={h2}>
        {t("orders.page.history")}
      </h2>
      <ol className="mt-2 flex flex-col gap-2 text-sm" data-testid="order-history">
        {order.events.map((e) => (
          <li key={e.id} className="flex flex-col border-l-4 border-stone-200 pl-3">
            <span className="text-stone-600">
              <time dateTime={e.at}>{formatDateTime(e.at, lng)}</time>
            </span>
            <span>
              {e.from ? `${t(`orders.status.${e.from}`)} → ` : ""}
              <span className="font-medium">{t(`orders.status.${e.to}`)}</span>
            </span>
            <span className="text-stone-700">
              {e.actorName
                ? t("orders.actor.person", { kind: t(`orders.actor.${e.actorKind}`), name: e.actorName })
                : t(`orders.actor.${e.actorKind}`)}
              {e.note ? ` · ${t(`orders.eventNote.${e.note}`, { defaultValue: e.note })}` : ""}
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
}
