import type { TFunction } from "i18next";
import type { CountyAccess } from "~/modules/identity/county-access.server";
import { recordSecurityEvent } from "~/modules/security/security-log.server";
import type { DatabaseCsv, ReportFileInput } from "./columns";
import { csvFromDatabase, csvStream } from "./csv.server";
import { xlsxStream } from "./xlsx.server";

// What every county report file shares, whichever report it is and whether it is streamed to the
// browser or written by a background job: the choice of writer, progress counting, and the
// `export` security event. A report plugs in through ExportableReport (export-registry.server.ts).

export const REPORT_FORMATS = ["csv", "xlsx"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const CONTENT_TYPES: Record<ReportFormat, string> = {
  csv: "text/csv; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
};

type County = CountyAccess["county"];

const PROGRESS_EVERY = 5_000;

/** How a file is wanted: its language, the time printed in its title, and who watches it. */
export interface FileOptions {
  t: TFunction;
  lng: string;
  now: Date;
  /** Called with the number of data rows once the last one is written. */
  onDone: (rows: number) => Promise<void>;
  /** Called every `progressEvery` rows with the rows written so far (background jobs). */
  progress?: (rows: number) => Promise<void>;
  progressEvery?: number;
}

/** One report with its filters checked, ready to be counted and written. */
export interface PreparedReport {
  /** The filters as a query string with the dates spelled out, so a job later reads the same rows. */
  search: URLSearchParams;
  includeContacts: boolean;
  /** What the security log keeps of the filters. */
  logFilters: Record<string, unknown>;
  /** The rows, or an upper bound of them when it is at most `limit` (streamed at once either way). */
  count(limit: number): Promise<number>;
  file(format: ReportFormat, options: FileOptions): { filename: string; body: ReadableStream<Uint8Array> };
}

export type PrepareResult =
  | { ok: true; prepared: PreparedReport }
  /** `error` is an i18n key. */
  | { ok: false; status: 400; error: string }
  | { ok: false; status: 404 };

/** A report that has files: the registry's entry. */
export interface ExportableReport {
  prepare(search: URLSearchParams, county: County): Promise<PrepareResult>;
}

/** The "YYYY-MM-DD HH:mm" (Shanghai) printed in a file's title. */
export const titleStamp = (now: Date) =>
  new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace("T", " ");

async function* counted<Row>(rows: AsyncIterable<Row>, every: number, progress: (rows: number) => Promise<void>) {
  let n = 0;
  for await (const row of rows) {
    yield row;
    if (++n % every === 0) await progress(n);
  }
}

/** A report's rows as a CSV or XLSX byte stream: a CSV the database makes, when it can, else Node's. */
export function reportFileBody<Row>(
  format: ReportFormat,
  input: Omit<ReportFileInput<Row>, "onDone"> & { title: string; sheetName: string; databaseCsv?: DatabaseCsv | null },
  options: FileOptions,
): ReadableStream<Uint8Array> {
  if (format === "csv" && input.databaseCsv)
    return csvFromDatabase({
      header: input.header,
      csv: input.databaseCsv,
      onDone: options.onDone,
      progress: options.progress,
      progressEvery: options.progressEvery ?? PROGRESS_EVERY,
    });
  const rows = options.progress
    ? counted(input.rows, options.progressEvery ?? PROGRESS_EVERY, options.progress)
    : input.rows;
  const full = { ...input, rows, onDone: options.onDone };
  return format === "csv" ? csvStream(full) : xlsxStream(full);
}

/** The `export` security event, written once a file is complete. */
export function recordExportEvent(event: {
  userId: string;
  ip?: string | null;
  userAgent?: string | null;
  countyCode: string;
  report: string;
  format: ReportFormat;
  filters: Record<string, unknown>;
  includeContacts: boolean;
  rows: number;
  /** The background export's id, when a job wrote the file. */
  exportId?: string;
}) {
  const { userId, ip, userAgent, countyCode, exportId, ...rest } = event;
  return recordSecurityEvent({
    type: "export",
    userId,
    ip,
    userAgent,
    detail: { county: countyCode, ...rest, ...(exportId ? { exportId } : {}) },
  });
}
