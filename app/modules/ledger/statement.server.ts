import type { TFunction } from "i18next";
import { stringify } from "csv-stringify/sync";
import { db } from "~/db/index.server";
import { fenToDecimal } from "~/lib/money";
import { shanghaiStamp } from "~/lib/time";
import { balanceText } from "./balance-words";
import type { Period } from "./period";

// What a cooperative is owed, read from its ledger: the balance is the sum of its entries
// (never stored), a statement cuts the entries by a period in Asia/Shanghai, and the CSV
// export is that statement for Excel (UTF-8 with a BOM, so Chinese opens correctly).

export const LEDGER_KINDS = [
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
export type LedgerKind = (typeof LEDGER_KINDS)[number];

function emptyTotals(): Record<LedgerKind, number> {
  return Object.fromEntries(LEDGER_KINDS.map((kind) => [kind, 0])) as Record<LedgerKind, number>;
}

/** Positive: the platform owes the cooperative; negative: the cooperative owes the platform (fees on offline sales). */
export async function shopBalance(shopId: string, before?: Date): Promise<number> {
  const sum = await db().ledgerEntry.aggregate({
    where: { shopId, ...(before ? { createdAt: { lt: before } } : {}) },
    _sum: { amountFen: true },
  });
  return sum._sum.amountFen ?? 0;
}

/** The balance and what it is made of, since the shop began. */
export async function ledgerSummary(shopId: string) {
  const groups = await db().ledgerEntry.groupBy({ by: ["kind"], where: { shopId }, _sum: { amountFen: true } });
  const totals = emptyTotals();
  for (const g of groups) totals[g.kind] = g._sum.amountFen ?? 0;
  return { balanceFen: LEDGER_KINDS.reduce((sum, kind) => sum + totals[kind], 0), totals };
}

/** When the shop's first entry was written (where an unsettled history starts), or null. */
export async function firstEntryAt(shopId: string): Promise<Date | null> {
  const first = await db().ledgerEntry.findFirst({
    where: { shopId },
    orderBy: { createdAt: "asc" },
    select: { createdAt: true },
  });
  return first?.createdAt ?? null;
}

export interface LedgerLine {
  id: string;
  at: string;
  kind: LedgerKind;
  amountFen: number;
  /** The shop order's number, or a payout's bank reference / transfer id. */
  reference: string | null;
}

export async function recentEntries(shopId: string, take = 20): Promise<LedgerLine[]> {
  const rows = await db().ledgerEntry.findMany({
    where: { shopId },
    orderBy: [{ createdAt: "desc" }, { kind: "desc" }, { id: "desc" }],
    take,
    select: { id: true, createdAt: true, kind: true, amountFen: true, memo: true },
  });
  return rows.map((r) => ({
    id: r.id,
    at: r.createdAt.toISOString(),
    kind: r.kind,
    amountFen: r.amountFen,
    reference: r.memo,
  }));
}

export interface Statement {
  from: string;
  to: string;
  openingFen: number;
  closingFen: number;
  totals: Record<LedgerKind, number>;
  /** In time order, each with the running balance after it. */
  entries: (LedgerLine & { balanceFen: number })[];
}

/** The statement of one period: opening balance, every entry, totals by kind, closing balance. */
export async function statement(shopId: string, period: Period): Promise<Statement> {
  const [openingFen, rows] = await Promise.all([
    shopBalance(shopId, period.start),
    db().ledgerEntry.findMany({
      where: { shopId, createdAt: { gte: period.start, lt: period.end } },
      // Entries of one moment in the kinds' order: the sale before its fee.
      orderBy: [{ createdAt: "asc" }, { kind: "asc" }, { id: "asc" }],
      select: { id: true, createdAt: true, kind: true, amountFen: true, memo: true },
    }),
  ]);
  const totals = emptyTotals();
  let running = openingFen;
  const entries = rows.map((r) => {
    totals[r.kind] += r.amountFen;
    running += r.amountFen;
    return {
      id: r.id,
      at: r.createdAt.toISOString(),
      kind: r.kind,
      amountFen: r.amountFen,
      reference: r.memo,
      balanceFen: running,
    };
  });
  return { from: period.from, to: period.to, openingFen, closingFen: running, totals, entries };
}

/** The statement as a CSV file for Excel: a title, the period, the opening balance, the entries, totals by kind, the closing balance. */
export function statementCsv(
  s: Statement,
  { shopName, t, lng }: { shopName: string; t: TFunction; lng: string },
): string {
  const rows: string[][] = [
    [text(t("money.csv.title", { shop: shopName }))],
    [t("money.csv.period"), s.from, s.to],
    [t("money.csv.opening"), fenToDecimal(Math.abs(s.openingFen)), balanceText(t, lng, s.openingFen)],
    [],
    [t("money.csv.time"), t("money.csv.kind"), t("money.csv.reference"), t("money.csv.amount"), t("money.csv.balance")],
    ...s.entries.map((e) => [
      shanghaiStamp(e.at),
      t(`money.kind.${e.kind}`),
      text(e.reference ?? ""),
      fenToDecimal(e.amountFen),
      fenToDecimal(e.balanceFen),
    ]),
    [],
    ...LEDGER_KINDS.map((kind) => [
      t("money.csv.total", { kind: t(`money.kind.${kind}`) }),
      fenToDecimal(s.totals[kind]),
    ]),
    [t("money.csv.closing"), fenToDecimal(Math.abs(s.closingFen)), balanceText(t, lng, s.closingFen)],
  ];
  return "\uFEFF" + stringify(rows, { record_delimiter: "windows" });
}

/** Typed text (a bank reference, a shop name) that Excel would run as a formula is kept as text. */
function text(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
