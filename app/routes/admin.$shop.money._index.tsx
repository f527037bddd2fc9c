import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { CsrfInput, FormError } from "~/components/forms";
import { BalanceCard, EntryList, PayoutList, PeriodForm, StatementSummary } from "~/components/money/statement-view";
import { getFixedT } from "~/lib/i18n.server";
import { addDays, shanghaiToday } from "~/lib/time";
import { requireShopAccess } from "~/modules/identity/access.server";
import { requireCsrf } from "~/modules/identity/csrf.server";
import { requireFreshSecondFactor } from "~/modules/identity/second-factor.server";
import { recordSecurityEvent } from "~/modules/security/security-log.server";
import { requestSource } from "~/modules/security/request-source.server";
import { getPayoutShop, listPayouts, setPayoutAccount } from "~/modules/ledger/payouts.server";
import { monthPeriod, periodFromSearch } from "~/modules/ledger/period";
import { ledgerSummary, recentEntries, statement } from "~/modules/ledger/statement.server";
import { codHeldByPartners } from "~/modules/ledger/cod.server";
import { CodOwedSection } from "~/components/logistics/cod-owed";
import { readForm } from "~/lib/request-bounds.server";

// /admin/:shop/money: what the cooperative is owed (the ledger's balance), its latest
// entries, the statement of a period with a CSV download, and the payouts it received.
// The shop's owner only (shop:money).

const accountSchema = z.object({
  intent: z.literal("payoutAccount"),
  payoutAccount: z
    .string()
    .trim()
    .max(120, "money.errors.accountTooLong")
    .optional()
    .transform((value) => value || null),
});

export async function loader({ request, params }: LoaderFunctionArgs) {
  const access = await requireShopAccess(request, params.shop, "shop:money");
  const { t } = await getFixedT(request);
  const search = new URL(request.url).searchParams;
  const parsed = periodFromSearch(search);
  const period = parsed.ok ? parsed.period : monthPeriod(shanghaiToday().slice(0, 7));
  const [summary, recent, s, payouts, shop, cod] = await Promise.all([
    ledgerSummary(access.shop.id),
    recentEntries(access.shop.id, 20),
    statement(access.shop.id, period),
    listPayouts(access.shop.id, 10),
    getPayoutShop(access.shop.slug),
    codHeldByPartners(access.shop.id),
  ]);
  const thisMonth = shanghaiToday().slice(0, 7);
  const lastMonth = addDays(`${thisMonth}-01`, -1).slice(0, 7);
  return {
    title: t("money.title"),
    shopSlug: access.shop.slug,
    periodError: parsed.ok ? null : parsed.error,
    balanceFen: summary.balanceFen,
    statement: {
      from: s.from,
      to: s.to,
      openingFen: s.openingFen,
      closingFen: s.closingFen,
      totals: s.totals,
      entryCount: s.entries.length,
    },
    months: { thisMonth, lastMonth },
    recent,
    payouts,
    cod,
    payoutAccount: shop?.payoutAccount ?? "",
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function action({ request, params }: ActionFunctionArgs) {
  const formData = await readForm(request);
  await requireCsrf(request, formData);
  const access = await requireShopAccess(request, params.shop, "shop:money");
  const parsed = accountSchema.safeParse({
    intent: formData.get("intent"),
    payoutAccount: formData.get("payoutAccount") ?? undefined,
  });
  if (!parsed.success) {
    return data({ error: parsed.error.issues[0]?.message ?? "money.errors.invalid" }, { status: 400 });
  }
  // Where the cooperative's money goes: two-step verification, proven within REAUTH_MINUTES.
  await requireFreshSecondFactor(request, access.user.id, `/admin/${access.shop.slug}/money`);
  const before = await getPayoutShop(access.shop.slug);
  await setPayoutAccount(access.shop.id, parsed.data.payoutAccount);
  await recordSecurityEvent({
    type: "bank_details_changed",
    userId: access.user.id,
    shopId: access.shop.id,
    ...requestSource(request),
    detail: { field: "payoutAccount", from: before?.payoutAccount ?? null, to: parsed.data.payoutAccount },
  });
  return redirect(`/admin/${access.shop.slug}/money?saved=account#account`);
}

export default function MoneyPage() {
  const { t } = useTranslation();
  const { shopSlug, periodError, balanceFen, statement, months, recent, payouts, payoutAccount, cod } =
    useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const navigation = useNavigation();
  const [params] = useSearchParams();
  const base = `/admin/${shopSlug}/money`;
  const csvHref = `${base}/statement.csv?${new URLSearchParams({ from: statement.from, to: statement.to })}`;
  const card = "rounded-2xl bg-white p-4 ring-1 ring-stone-200";

  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-2xl font-bold">{t("money.title")}</h1>
      <p className="text-stone-700">{t("money.intro")}</p>
      {params.get("saved") === "account" && !reply ? (
        <p role="status" className="rounded-lg bg-emerald-50 px-3 py-2 text-emerald-900 ring-1 ring-emerald-200">
          {t("money.account.saved")}
        </p>
      ) : null}

      <BalanceCard balanceFen={balanceFen} />
      <CodOwedSection partners={cod} audience="shop" />

      <section className={card} aria-labelledby="statement-heading">
        <h2 id="statement-heading" className="text-lg font-semibold">
          {t("money.statement.title", { from: statement.from, to: statement.to })}
        </h2>
        <div className="mt-2 flex flex-col gap-3">
          <FormError errors={periodError ? [periodError] : undefined} />
          <PeriodForm from={statement.from} to={statement.to} />
          <p className="flex flex-wrap gap-x-4 text-sm">
            <Link to={`?month=${months.thisMonth}`} className="text-leaf underline">
              {t("money.statement.thisMonth")}
            </Link>
            <Link to={`?month=${months.lastMonth}`} className="text-leaf underline">
              {t("money.statement.lastMonth")}
            </Link>
          </p>
          <StatementSummary statement={statement} />
          <p>
            <a
              href={csvHref}
              download
              className="inline-flex min-h-11 items-center rounded-full bg-leaf px-5 font-semibold text-white"
              data-testid="csv-link"
            >
              {t("money.statement.download")}
            </a>
          </p>
        </div>
      </section>

      <section className={card} aria-labelledby="recent-heading">
        <h2 id="recent-heading" className="text-lg font-semibold">
          {t("money.entries.title")}
        </h2>
        <div className="mt-2">
          <EntryList entries={recent} />
        </div>
      </section>

      <section className={card} aria-labelledby="payouts-heading">
        <h2 id="payouts-heading" className="text-lg font-semibold">
          {t("money.payouts.title")}
        </h2>
        <p className="mt-1 text-sm text-stone-700">{t("money.payouts.intro")}</p>
        <div className="mt-2">
          <PayoutList payouts={payouts} />
        </div>
      </section>

      <section className={card} aria-labelledby="account-heading" id="account">
        <h2 id="account-heading" className="text-lg font-semibold">
          {t("money.account.title")}
        </h2>
        <Form method="post" className="mt-2 flex flex-col gap-2">
          <CsrfInput />
          <input type="hidden" name="intent" value="payoutAccount" />
          <FormError errors={reply?.error ? [reply.error] : undefined} />
          <label htmlFor="payout-account" className="text-sm font-medium">
            {t("money.account.label")}
          </label>
          <textarea
            id="payout-account"
            name="payoutAccount"
            rows={2}
            maxLength={120}
            defaultValue={payoutAccount}
            className="rounded-lg border border-stone-300 px-3 py-2 text-base"
            aria-describedby="payout-account-hint"
          />
          <p id="payout-account-hint" className="text-xs text-stone-600">
            {t("money.account.hint")}
          </p>
          <div>
            <button
              type="submit"
              disabled={navigation.state !== "idle"}
              className="min-h-11 rounded-full bg-leaf px-5 font-semibold text-white disabled:opacity-60"
            >
              {t("money.account.save")}
            </button>
          </div>
        </Form>
      </section>
    </div>
  );
}
