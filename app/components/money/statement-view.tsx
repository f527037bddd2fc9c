import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { formatFen } from "~/lib/money";
import { formatDateTime } from "~/lib/time";
import { BalanceWords } from "./balance-words";

// The pieces of a ledger a cooperative's owner and the platform admin both read.

const KINDS = [
  "SALE",
  "PLATFORM_FEE",
  "REFUND",
  "FEE_REFUND",
  "OFFLINE_COLLECTED",
  "COD_HELD_BY_PARTNER",
  "COD_REMITTED",
  "PAYOUT",
  "SHOP_PAYMENT",
] as const;

export interface StatementData {
  from: string;
  to: string;
  openingFen: number;
  closingFen: number;
  totals: Record<string, number>;
  entryCount: number;
}

/** What the balance means, in words: owed to the shop, owed by it, or settled. */
export function BalanceCard({ balanceFen }: { balanceFen: number }) {
  const { t } = useTranslation();
  const meaning = balanceFen > 0 ? "owedToShop" : balanceFen < 0 ? "owedByShop" : "settled";
  return (
    <section className="rounded-2xl bg-white p-4 ring-1 ring-stone-200" aria-labelledby="balance-heading">
      <h2 id="balance-heading" className="text-sm font-medium text-stone-600">
        {t("money.balance.title")}
      </h2>
      <p className="mt-1 text-2xl font-bold" data-testid="balance" data-fen={balanceFen}>
        <BalanceWords balanceFen={balanceFen} />
      </p>
      <p className="mt-1 text-stone-700">{t(`money.balance.${meaning}`)}</p>
    </section>
  );
}

export function PeriodForm({ from, to, extra }: { from: string; to: string; extra?: React.ReactNode }) {
  const { t } = useTranslation();
  const input = "min-h-11 rounded-lg border border-stone-300 bg-white px-2 text-base";
  return (
    <Form method="get" className="flex flex-wrap items-end gap-2">
      <label className="flex flex-col gap-1 text-sm font-medium">
        {t("money.statement.from")}
        <input type="date" name="from" defaultValue={from} required className={input} />
      </label>
      <label className="flex flex-col gap-1 text-sm font-medium">
        {t("money.statement.to")}
        <input type="date" name="to" defaultValue={to} required className={input} />
      </label>
      <button type="submit" className="min-h-11 rounded-full bg-stone-800 px-5 font-semibold text-white">
        {t("money.statement.show")}
      </button>
      {extra}
    </Form>
  );
}

export function StatementSummary({ statement }: { statement: StatementData }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  return (
    <dl className="grid grid-cols-[1fr_auto] gap-x-4 gap-y-1 text-sm" data-testid="statement">
      <dt className="font-medium">{t("money.statement.opening")}</dt>
      <dd className="text-right font-medium" data-testid="opening">
        <BalanceWords balanceFen={statement.openingFen} />
      </dd>
      {KINDS.map((kind) => (
        <div key={kind} className="contents">
          <dt className="text-stone-700">{t(`money.kind.${kind}`)}</dt>
          <dd className="text-right">{formatFen(statement.totals[kind] ?? 0, lng)}</dd>
        </div>
      ))}
      <dt className="border-t border-stone-200 pt-1 font-semibold">{t("money.statement.closing")}</dt>
      <dd className="border-t border-stone-200 pt-1 text-right font-semibold" data-testid="closing">
        <BalanceWords balanceFen={statement.closingFen} />
      </dd>
      <dt className="text-stone-600">{t("money.statement.entries", { count: statement.entryCount })}</dt>
      <dd />
    </dl>
  );
}

export function EntryList({
  entries,
}: {
  entries: { id: string; at: string; kind: string; amountFen: number; reference: string | null }[];
}) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  if (entries.length === 0) return <p className="text-sm text-stone-600">{t("money.entries.empty")}</p>;
  return (
    <ul className="divide-y divide-stone-200 text-sm" data-testid="entries">
      {entries.map((e) => (
        <li key={e.id} className="flex flex-wrap items-baseline justify-between gap-x-3 py-1.5">
          <span className="min-w-0">
            <span className="font-medium">{t(`money.kind.${e.kind}`)}</span>
            {e.reference ? <span className="ml-1 font-mono text-stone-600">{e.reference}</span> : null}
            <span className="block text-xs text-stone-600">{formatDateTime(e.at, lng)}</span>
          </span>
          <span className={`font-semibold ${e.amountFen < 0 ? "text-rose-800" : "text-emerald-800"}`}>
            {e.amountFen < 0 ? "−" : "+"}
            {formatFen(Math.abs(e.amountFen), lng)}
          </span>
        </li>
      ))}
    </ul>
  );
}

export function PayoutList({
  payouts,
}: {
  payouts: { id: string; at: string; amountFen: number; method: string; reference: string | null; by: string | null }[];
}) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  if (payouts.length === 0) return <p className="text-sm text-stone-600">{t("money.payouts.empty")}</p>;
  return (
    <ul className="divide-y divide-stone-200 text-sm" data-testid="payouts">
      {payouts.map((p) => (
        <li key={p.id} className="flex flex-wrap items-baseline justify-between gap-x-3 py-1.5">
          <span className="min-w-0">
            <span className="font-medium">{t(`money.payouts.method.${p.method}`)}</span>
            {p.reference ? <span className="ml-1 font-mono text-stone-600">{p.reference}</span> : null}
            <span className="block text-xs text-stone-600">
              {formatDateTime(p.at, lng)}
              {p.by ? ` · ${p.by}` : ""}
            </span>
          </span>
          <span className="font-semibold">{formatFen(p.amountFen, lng)}</span>
        </li>
      ))}
    </ul>
  );
}
