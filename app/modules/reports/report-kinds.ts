import type { TFunction } from "i18next";
import { ORDER_COLUMNS, type DatabaseCsv, type ReportColumn } from "./columns";
import { filtersForLog, parseReportFilters, type ReportFilters } from "./filters";
import { orderReportDatabaseCsv } from "./orders-csv.cross-shop.server";
import { orderReportRows, type ReportScope } from "./orders-report.cross-shop.server";
import { SETTLEMENT_COLUMNS, salesColumns } from "./sales-columns";
import { parseSalesFilters, salesFiltersForLog } from "./sales-filters";
import { salesRows } from "./sales.cross-shop.server";
import { settlementRows } from "./settlement.cross-shop.server";

// Every county report as "columns + an async iterable of rows", so the file writers (and the
// background exports) take any of them by name: parse the query string once, then ask for the
// columns, the header and the rows of a scope. Errors are i18n keys.

export const REPORT_NAMES = ["orders", "sales", "settlement"] as const;
export type ReportName = (typeof REPORT_NAMES)[number];

/** A report whose query string has been parsed; its rows are typed only inside its definition. */
export interface PreparedReport {
  name: ReportName;
  filters: ReportFilters;
  /** Whether the file holds buyers' full mobiles (orders only). */
  includeContacts: boolean;
  columns: ReportColumn<unknown>[];
  header: (t: TFunction) => string[];
  rows: (scope: ReportScope) => AsyncIterable<unknown>;
  /** The CSV's data rows made by the database, where the report and the database can (else null). */
  databaseCsv: (scope: ReportScope, lng: string) => DatabaseCsv | null;
  /** What the security log keeps of the filters. */
  logFilters: Record<string, unknown>;
  title: (t: TFunction, v: { county: string; at: string }) => string;
  sheetName: (t: TFunction) => string;
}

export type ReportParse = { ok: true; report: PreparedReport } | { ok: false; error: string; field: string };

export interface ReportKind {
  parse: (search: URLSearchParams, now?: Date) => ReportParse;
}

function define<F extends ReportFilters, Row>(
  name: ReportName,
  def: {
    parse: (
      search: URLSearchParams,
      now?: Date,
    ) => { ok: true; filters: F } | { ok: false; error: string; field: string };
    columns: (f: F) => ReportColumn<Row>[];
    /** i18n prefix of the headers, the file title and the sheet name. */
    labels: string;
    titleKey: string;
    sheetKey: string;
    rows: (scope: ReportScope, f: F) => AsyncIterable<Row>;
    databaseCsv?: (scope: ReportScope, f: F, lng: string) => DatabaseCsv | null;
    logFilters: (f: F) => Record<string, unknown>;
  },
): ReportKind {
  return {
    parse(search, now) {
      const parsed = def.parse(search, now);
      if (!parsed.ok) return parsed;
      const f = parsed.filters;
      // Rows and columns meet only in the writers, which are generic: the erasure is safe.
      const columns = def.columns(f) as unknown as ReportColumn<unknown>[];
      return {
        ok: true,
        report: {
          name,
          filters: f,
          includeContacts: f.includeContacts,
          columns,
          header: (t) => columns.map((c) => t(`${def.labels}.${c.key}`)),
          rows: (scope) => def.rows(scope, f),
          databaseCsv: (scope, lng) => def.databaseCsv?.(scope, f, lng) ?? null,
          logFilters: def.logFilters(f),
          title: (t, v) => t(def.titleKey, { ...v, from: f.from, to: f.to }),
          sheetName: (t) => t(def.sheetKey),
        },
      };
    },
  };
}

export const REPORT_KINDS: Record<ReportName, ReportKind> = {
  orders: define("orders", {
    parse: parseReportFilters,
    columns: () => ORDER_COLUMNS,
    labels: "reports.columns",
    titleKey: "reports.fileTitle",
    sheetKey: "reports.sheetName",
    rows: orderReportRows,
    databaseCsv: orderReportDatabaseCsv,
    logFilters: filtersForLog,
  }),
  sales: define("sales", {
    parse: parseSalesFilters,
    columns: salesColumns,
    labels: "salesReports.columns",
    titleKey: "salesReports.sales.fileTitle",
    sheetKey: "salesReports.sales.sheetName",
    rows: salesRows,
    logFilters: salesFiltersForLog,
  }),
  settlement: define("settlement", {
    parse: parseSettlementFilters,
    columns: () => SETTLEMENT_COLUMNS,
    labels: "salesReports.columns",
    titleKey: "salesReports.settlement.fileTitle",
    sheetKey: "salesReports.settlement.sheetName",
    rows: settlementRows,
    logFilters: (f) => ({ from: f.from, to: f.to, shop: f.shop ?? null }),
  }),
};

/** The settlement report takes from, to and shop only: kind and status mean nothing to a ledger. */
export function parseSettlementFilters(search: URLSearchParams, now?: Date) {
  const only = new URLSearchParams();
  for (const key of ["from", "to", "shop"]) {
    const v = search.get(key);
    if (v !== null) only.set(key, v);
  }
  const parsed = parseReportFilters(only, now);
  return parsed.ok ? { ...parsed, filters: { ...parsed.filters, includeContacts: false } } : parsed;
}
