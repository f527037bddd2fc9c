import { parseWithZod } from "@conform-to/zod";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CsrfInput, FormError, useErrorText } from "~/components/forms";
import { AmountReferenceFields } from "~/components/money/amount-reference-fields";
import { BalanceCard, EntryList, PayoutList, PeriodForm, StatementSummary } from "~/components/money/statement-view";
import { pick } from "~/lib/i18n";
import { getFixedT } from "~/lib/i18n.server";
import { formatFen } from "~/lib/money";
import { shanghaiToday } from "~/lib/time";
import { fenToYuanInput } from "~/modules/catalog/variant-schema";
import { requireCsrf } from "~/modules/identity/csrf.server";
import { requireFreshSecondFactor } from "~/modules/identity/second-factor.server";
import { requirePlatformAdmin } from "~/modules/identity/session.server";
import { recordSecurityEvent } from "~/modules/security/security-log.server";
import { requestSource } from "~/modules/security/request-source.server";
import {
  bankPayoutSchema,
  codRemittanceSchema,
  shopPaymentSchema,
  stripeAccountSchema,
} from "~/modules/ledger/payout-forms";
import { codHeldByPartners, recordCodRemittance } from "~/modules/ledger/cod.server";
import { CodOwedSection } from "~/components/logistics/cod-owed";
import {
  getPayoutShop,
  lastPayoutEnd,
  listPayouts,
  newPayoutKey,
  payByStripeTransfers,
  recordBankPayout,
  recordShopPayment,
  setStripeAccount,
  transferCandidates,
} from "~/modules/ledger/payouts.server";
import { periodFromSearch, periodOf } from "~/modules/ledger/period";
import { firstEntryAt, ledgerSummary, statement } from "~/modules/ledger/statement.server";
import { stripeConfigured } from "~/modules/payments/stripe-client.server";
import { readForm } from "~/lib/request-bounds.server";
import { parseDecimal } from "~/lib/decimal";

// /platform/payouts/:shop: the platform admin settles a cooperative's statement. By default
// the period runs from the end of the last payout to today; recording a bank transfer (with
// its reference) writes a Payout and its ledger entry. Where the cooperative has a Stripe
// connected account, the platform may send Stripe transfers for its paid online orders.

const notFoundResponse = () => new Response(null, { status: 404, statusText: "Not Found" });
const DONE = ["bank", "shopPayment", "stripe", "stripeAccount", "codRemittance"] as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePlatformAdmin(request);
  const { t, lng } = await getFixedT(request);
  const shop = await getPayoutShop(params.shop ?? "");
  if (!shop) throw notFoundResponse();
  const search = new URL(request.url).searchParams;
  const today = shanghaiToday();
  let period;
  let periodError: string | null = null;
  if (search.has("from") || search.has("to") || search.has("month")) {
    const parsed = periodFromSearch(search);
    if (parsed.ok) period = parsed.period;
    else periodError = parsed.error;
  }
  if (!period) {
    const since = (await lastPayoutEnd(shop.id)) ?? (await firstEntryAt(shop.id));
    const from = since ? shanghaiToday(since) : `${today.slice(0, 7)}-01`;
    period = periodOf(from <= today ? from : today, today);
  }
  const [s, summary, payouts, candidates, cod] = await Promise.all([
    statement(shop.id, period),
    ledgerSummary(shop.id),
    listPayouts(shop.id, 20),
    shop.stripeAccountId ? transferCandidates(shop.id) : [],
    codHeldByPartners(shop.id),
  ]);
  const suggestedFen = Math.max(0, Math.min(s.closingFen, summary.balanceFen));
  const done = DONE.find((d) => d === search.get("done")) ?? null;
  return {
    title: `${t("money.platform.shopTitle", { shop: pick(lng, shop.nameZh, shop.nameEn) })}`,
    shop: {
      slug: shop.slug,
      name: pick(lng, shop.nameZh, shop.nameEn),
      payoutAccount: shop.payoutAccount,
      stripeAccountId: shop.stripeAccountId,
    },
    periodError,
    balanceFen: summary.balanceFen,
    statement: {
      from: s.from,
      to: s.to,
      openingFen: s.openingFen,
      closingFen: s.closingFen,
      totals: s.totals,
      entryCount: s.entries.length,
    },
    entries: s.entries.slice(-50).reverse(),
    payouts,
    cod,
    suggested: suggestedFen > 0 ? fenToYuanInput(suggestedFen) : "",
    shopOwesFen: Math.max(0, -summary.balanceFen),
    shopOwesInput: summary.balanceFen < 0 ? fenToYuanInput(-summary.balanceFen) : "",
    key: newPayoutKey(),
    stripe: {
      configured: stripeConfigured(),
      orders: candidates.length,
      amountFen: candidates.reduce((sum, c) => sum + c.netFen, 0),
    },
    done: done
      ? { key: done, count: parseDecimal(search.get("count")) ?? 0, amountFen: parseDecimal(search.get("amount")) ?? 0 }
      : null,
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

type Reply = {
  form: "bank" | "shopPayment" | "stripe" | "stripeAccount" | "codRemittance";
  partnerId?: string | null;
  formError?: string;
  fieldErrors?: Record<string, string[] | null | undefined>;
};

export async function action({ request, params }: ActionFunctionArgs) {
  const formData = await readForm(request);
  await requireCsrf(request, formData);
  const user = await requirePlatformAdmin(request);
  const shop = await getPayoutShop(params.shop ?? "");
  if (!shop) throw notFoundResponse();
  const here = `/platform/payouts/${shop.slug}`;
  // Money moves: a code from the authenticator app within the last REAUTH_MINUTES, else ask and come back.
  await requireFreshSecondFactor(request, user.id, here);
  const source = requestSource(request);
  // Every money move here is logged the same way: who, which shop, from where, and what.
  const logEvent = (
    type: "payout_recorded" | "bank_details_changed" | "cod_remittance_recorded",
    detail: Record<string, unknown>,
  ) => recordSecurityEvent({ type, userId: user.id, shopId: shop.id, ...source, detail });

  switch (formData.get("intent")) {
    case "bank": {
      const submission = parseWithZod(formData, { schema: bankPayoutSchema });
      if (submission.status !== "success") {
        return data<Reply>({ form: "bank", fieldErrors: submission.error ?? {} }, { status: 400 });
      }
      const v = submission.value;
      const outcome = await recordBankPayout({
        shopId: shop.id,
        amountFen: v.amount,
        reference: v.reference,
        period: periodOf(v.from, v.to),
        userId: user.id,
        key: v.key,
      });
      if (!outcome.ok)
        return data<Reply>({ form: "bank", formError: `money.errors.${outcome.error}` }, { status: 409 });
      if (!outcome.already) {
        await logEvent("payout_recorded", {
          direction: "TO_SHOP",
          method: "BANK_TRANSFER",
          amountFen: v.amount,
          reference: v.reference,
          payoutId: outcome.payoutId,
        });
      }
      return redirect(`${here}?done=bank`);
    }
    case "shopPayment": {
      const submission = parseWithZod(formData, { schema: shopPaymentSchema });
      if (submission.status !== "success") {
        return data<Reply>({ form: "shopPayment", fieldErrors: submission.error ?? {} }, { status: 400 });
      }
      const v = submission.value;
      const outcome = await recordShopPayment({
        shopId: shop.id,
        amountFen: v.amount,
        reference: v.reference,
        key: v.key,
      });
      if (!outcome.ok)
        return data<Reply>({ form: "shopPayment", formError: `money.errors.${outcome.error}` }, { status: 409 });
      if (!outcome.already) {
        await logEvent("payout_recorded", {
          direction: "FROM_SHOP",
          method: "BANK_TRANSFER",
          amountFen: v.amount,
          reference: v.reference,
          paymentId: v.key,
        });
      }
      return redirect(`${here}?done=shopPayment`);
    }
    case "stripe": {
      const outcome = await payByStripeTransfers({ shopId: shop.id, userId: user.id });
      if (!outcome.ok)
        return data<Reply>({ form: "stripe", formError: `money.errors.${outcome.error}` }, { status: 409 });
      await logEvent("payout_recorded", {
        direction: "TO_SHOP",
        method: "STRIPE_TRANSFER",
        amountFen: outcome.amountFen,
        transfers: outcome.transfers,
        failed: outcome.failed,
      });
      return redirect(
        `${here}?${new URLSearchParams({ done: "stripe", count: String(outcome.transfers), amount: String(outcome.amountFen) })}`,
      );
    }
    case "stripeAccount": {
      const submission = parseWithZod(formData, { schema: stripeAccountSchema });
      if (submission.status !== "success") {
        return data<Reply>({ form: "stripeAccount", fieldErrors: submission.error ?? {} }, { status: 400 });
      }
      await setStripeAccount(shop.id, submission.value.stripeAccountId);
      await logEvent("bank_details_changed", {
        field: "stripeAccountId",
        from: shop.stripeAccountId,
        to: submission.value.stripeAccountId,
      });
      return redirect(`${here}?done=stripeAccount`);
    }
    case "codRemittance": {
      const submission = parseWithZod(formData, { schema: codRemittanceSchema });
      const partnerId = typeof formData.get("partnerId") === "string" ? String(formData.get("partnerId")) : null;
      if (submission.status !== "success") {
        const first = Object.values(submission.error ?? {}).flat()[0] ?? "money.errors.invalid";
        return data<Reply>({ form: "codRemittance", partnerId, formError: first }, { status: 400 });
      }
      const v = submission.value;
      const outcome = await recordCodRemittance({
        key: v.key,
        shopId: shop.id,
        partnerId: v.partnerId,
        amountFen: v.amount,
        reference: v.reference,
        userId: user.id,
      });
      if (!outcome.ok)
        return data<Reply>(
          { form: "codRemittance", partnerId, formError: `money.errors.${outcome.error}` },
          { status: 409 },
        );
      if (!outcome.already) {
        await logEvent("cod_remittance_recorded", {
          partnerId: v.partnerId,
          amountFen: v.amount,
          reference: v.reference,
          remittanceId: v.key,
        });
      }
      return redirect(`${here}?done=codRemittance`);
    }
    default:
      return data<Reply>({ form: "bank", formError: "money.errors.invalid" }, { status: 400 });
  }
}

export default function ShopPayouts() {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const {
    shop,
    periodError,
    balanceFen,
    statement,
    entries,
    payouts,
    cod,
    suggested,
    shopOwesFen,
    shopOwesInput,
    key,
    stripe,
    done,
  } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>() as Reply | undefined;
  const errorText = useErrorText();
  const navigation = useNavigation();
  const [params] = useSearchParams();
  const busy = navigation.state !== "idle";
  const card = "rounded-2xl bg-white p-4 ring-1 ring-stone-200";
  const input = "min-h-11 rounded-lg border border-stone-300 bg-white px-3 text-base";
  const bank = reply?.form === "bank" ? reply : undefined;
  const fieldError = (name: string) => errorText(bank?.fieldErrors?.[name]?.[0] ?? undefined);
  const shopPayment = reply?.form === "shopPayment" ? reply : undefined;
  const paymentError = (name: string) => errorText(shopPayment?.fieldErrors?.[name]?.[0] ?? undefined);

  return (
    <div className="flex flex-col gap-4">
      <nav className="text-sm">
        <Link to="/platform/payouts" className="text-stone-600 underline underline-offset-4">
          ← {t("money.platform.back")}
        </Link>
      </nav>
      <h1 className="text-2xl font-bold">{t("money.platform.shopTitle", { shop: shop.name })}</h1>
      {done && !reply && params.get("done") === done.key ? (
        <p
          role="status"
          data-testid="done"
          className="rounded-lg bg-emerald-50 px-3 py-2 text-emerald-900 ring-1 ring-emerald-200"
        >
          {t(`money.platform.done.${done.key}`, { count: done.count, amount: formatFen(done.amountFen, lng) })}
        </p>
      ) : null}

      <BalanceCard balanceFen={balanceFen} />

      <CodOwedSection
        partners={cod}
        audience="platform"
        shopName={shop.name}
        remit={{
          key,
          busy,
          error: reply?.form === "codRemittance" ? reply.formError : null,
          partnerId: reply?.partnerId ?? null,
        }}
      />

      <section className={card} aria-labelledby="statement-heading">
        <h2 id="statement-heading" className="text-lg font-semibold">
          {t("money.statement.title", { from: statement.from, to: statement.to })}
        </h2>
        <div className="mt-2 flex flex-col gap-3">
          <FormError errors={periodError ? [periodError] : undefined} />
          <PeriodForm from={statement.from} to={statement.to} />
          <StatementSummary statement={statement} />
          <details>
            <summary className="min-h-11 cursor-pointer content-center text-sm text-leaf underline">
              {t("money.platform.showEntries")}
            </summary>
            <EntryList entries={entries} />
          </details>
        </div>
      </section>

      <section className={card} aria-labelledby="bank-heading">
        <h2 id="bank-heading" className="text-lg font-semibold">
          {t("money.platform.bankTitle")}
        </h2>
        <p className="mt-1 text-sm text-stone-700">
          {shop.payoutAccount
            ? t("money.platform.bankAccount", { account: shop.payoutAccount })
            : t("money.platform.noBankAccount")}
        </p>
        <Form method="post" className="mt-3 flex flex-col gap-3">
          <CsrfInput />
          <input type="hidden" name="intent" value="bank" />
          <input type="hidden" name="key" value={key} />
          <input type="hidden" name="from" value={statement.from} />
          <input type="hidden" name="to" value={statement.to} />
          <FormError
            errors={bank?.formError ? [bank.formError] : fieldError("key") ? [fieldError("key")!] : undefined}
          />
          <p className="text-sm">{t("money.platform.settles", { from: statement.from, to: statement.to })}</p>
          {fieldError("to") ? (
            <p role="alert" className="text-sm text-red-700">
              {fieldError("to")}
            </p>
          ) : null}
          <AmountReferenceFields defaultAmount={suggested} error={fieldError} />
          <div>
            <button
              type="submit"
              disabled={busy}
              className="min-h-11 rounded-full bg-leaf px-5 font-semibold text-white disabled:opacity-60"
            >
              {t("money.platform.recordBank")}
            </button>
          </div>
        </Form>
      </section>

      <section className={card} aria-labelledby="shop-payment-heading">
        <h2 id="shop-payment-heading" className="text-lg font-semibold">
          {t("money.platform.shopPaymentTitle")}
        </h2>
        <p className="mt-1 text-sm text-stone-700">
          {shopOwesFen > 0 ? t("money.platform.shopPaymentIntro") : t("money.platform.shopPaymentNothing")}
        </p>
        <Form method="post" className="mt-3 flex flex-col gap-3">
          <CsrfInput />
          <input type="hidden" name="intent" value="shopPayment" />
          <input type="hidden" name="key" value={key} />
          <FormError
            errors={
              shopPayment?.formError
                ? [shopPayment.formError]
                : paymentError("key")
                  ? [paymentError("key")!]
                  : undefined
            }
          />
          <AmountReferenceFields defaultAmount={shopOwesInput} error={paymentError} />
          <div>
            <button
              type="submit"
              disabled={busy}
              className="min-h-11 rounded-full bg-stone-800 px-5 font-semibold text-white disabled:opacity-60"
            >
              {t("money.platform.recordShopPayment")}
            </button>
          </div>
        </Form>
      </section>

      <section className={card} aria-labelledby="stripe-heading">
        <h2 id="stripe-heading" className="text-lg font-semibold">
          {t("money.platform.stripeTitle")}
        </h2>
        {shop.stripeAccountId ? (
          <>
            <p className="mt-1 text-sm text-stone-700">
              {t("money.platform.stripeAccount", { account: shop.stripeAccountId })}{" "}
              {t("money.platform.stripeOwed", { count: stripe.orders, amount: formatFen(stripe.amountFen, lng) })}
            </p>
            {reply?.form === "stripe" ? <FormError errors={reply.formError ? [reply.formError] : undefined} /> : null}
            {stripe.configured ? (
              stripe.orders > 0 ? (
                <Form method="post" className="mt-2">
                  <CsrfInput />
                  <input type="hidden" name="intent" value="stripe" />
                  <button
                    type="submit"
                    disabled={busy}
                    className="min-h-11 rounded-full bg-indigo-700 px-5 font-semibold text-white disabled:opacity-60"
                  >
                    {t("money.platform.payStripe")}
                  </button>
                </Form>
              ) : null
            ) : (
              <p className="mt-1 text-sm text-amber-900">{t("money.platform.stripeNotConfigured")}</p>
            )}
          </>
        ) : (
          <p className="mt-1 text-sm text-stone-700">{t("money.platform.noStripeAccount")}</p>
        )}
        <Form method="post" className="mt-3 flex flex-wrap items-end gap-2">
          <CsrfInput />
          <input type="hidden" name="intent" value="stripeAccount" />
          <label className="flex min-w-0 flex-[1_1_12rem] flex-col gap-1 text-sm font-medium">
            {t("money.platform.stripeAccountLabel")}
            <input
              name="stripeAccountId"
              defaultValue={shop.stripeAccountId ?? ""}
              placeholder="acct_…"
              className={`${input} w-full`}
            />
          </label>
          <button
            type="submit"
            disabled={busy}
            className="min-h-11 rounded-full bg-stone-800 px-5 font-semibold text-white disabled:opacity-60"
          >
            {t("money.platform.saveStripeAccount")}
          </button>
          {reply?.form === "stripeAccount" && reply.fieldErrors?.stripeAccountId?.[0] ? (
            <p role="alert" className="w-full text-sm text-red-700">
              {errorText(reply.fieldErrors.stripeAccountId[0])}
            </p>
          ) : null}
        </Form>
      </section>

      <section className={card} aria-labelledby="payouts-heading">
        <h2 id="payouts-heading" className="text-lg font-semibold">
          {t("money.payouts.title")}
        </h2>
        <div className="mt-2">
          <PayoutList payouts={payouts} />
        </div>
      </section>
    </div>
  );
}
