import fs from "node:fs";
import { db } from "~/db/index.server";
import { type Prisma } from "~/generated/prisma/client";
import type { CountyAccess } from "~/modules/identity/county-access.server";
import { enqueue } from "~/modules/jobs/queue.server";
import { exportFilePath, removeExportFile } from "./export-files.server";
import type { PreparedReport, ReportFormat } from "./report-file.server";
import { REPORT_EXPORT_JOB } from "./report-export-job.server";
import { toWebStream } from "./xlsx.server";

// Background exports (issue #11): a report file over EXPORT_BACKGROUND_ROWS rows is a ReportExport
// row and an outbox job; its page shows the progress and, once done, a download link that works
// for 7 days. Everything is scoped by the county: another county's export is a 404.

const ID = /^[a-z0-9]{1,40}$/;

/** Starts a background export, or returns the same coordinator's identical one still in progress. */
export async function startBackgroundExport({
  access,
  report,
  format,
  prepared,
  lng,
  rowsTotal,
}: {
  access: CountyAccess;
  report: string;
  format: ReportFormat;
  prepared: PreparedReport;
  lng: string;
  rowsTotal: number;
}): Promise<string> {
  const filters = Object.fromEntries(prepared.search) as Prisma.InputJsonObject;
  // Reloading the file's URL must not start the same export again.
  const running = await db().reportExport.findFirst({
    where: {
      countyId: access.county.id,
      userId: access.user.id,
      report,
      format,
      status: { in: ["QUEUED", "RUNNING"] },
      filters: { equals: filters },
    },
    select: { id: true },
  });
  if (running) return running.id;
  return db().$transaction(async (tx) => {
    const created = await tx.reportExport.create({
      data: {
        countyId: access.county.id,
        userId: access.user.id,
        report,
        format,
        filters,
        includeContacts: prepared.includeContacts,
        locale: lng,
        rowsTotal,
      },
      select: { id: true },
    });
    await enqueue(REPORT_EXPORT_JOB, { exportId: created.id }, { tx });
    return created.id;
  });
}

const exportSelect = {
  id: true,
  report: true,
  format: true,
  filters: true,
  includeContacts: true,
  status: true,
  rowsDone: true,
  rowsTotal: true,
  fileKey: true,
  bytes: true,
  expiresAt: true,
  error: true,
  createdAt: true,
  finishedAt: true,
} satisfies Prisma.ReportExportSelect;

type ExportRow = Prisma.ReportExportGetPayload<{ select: typeof exportSelect }>;

export interface ExportView {
  id: string;
  report: string;
  format: string;
  from: string;
  to: string;
  includeContacts: boolean;
  status: "QUEUED" | "RUNNING" | "DONE" | "FAILED";
  rowsDone: number;
  rowsTotal: number;
  /** 0–100, for the bar's text. */
  percent: number;
  bytes: number | null;
  createdAt: Date;
  finishedAt: Date | null;
  expiresAt: Date | null;
  /** Done and still downloadable. */
  downloadable: boolean;
  /** Done, but past its 7 days. */
  expired: boolean;
}

function view(row: ExportRow, now: Date): ExportView {
  const filters = (row.filters ?? {}) as Record<string, string>;
  const expired = row.status === "DONE" && (!row.fileKey || !row.expiresAt || row.expiresAt <= now);
  const total = Math.max(row.rowsTotal, 0);
  return {
    id: row.id,
    report: row.report,
    format: row.format,
    from: filters.from ?? "",
    to: filters.to ?? "",
    includeContacts: row.includeContacts,
    status: row.status,
    rowsDone: row.rowsDone,
    rowsTotal: total,
    percent: row.status === "DONE" ? 100 : total > 0 ? Math.min(100, Math.floor((row.rowsDone * 100) / total)) : 0,
    bytes: row.bytes === null ? null : Number(row.bytes),
    createdAt: row.createdAt,
    finishedAt: row.finishedAt,
    expiresAt: row.expiresAt,
    downloadable: row.status === "DONE" && !expired,
    expired,
  };
}

/** One export of the county (any of its coordinators'), or null: another county's is not found. */
export async function countyExport(access: CountyAccess, id: string | undefined, now = new Date()) {
  if (!id || !ID.test(id)) return null;
  const row = await db().reportExport.findFirst({ where: { id, countyId: access.county.id }, select: exportSelect });
  return row ? view(row, now) : null;
}

/** The coordinator's own latest exports in this county. */
export async function recentExports(access: CountyAccess, now = new Date(), take = 10) {
  const rows = await db().reportExport.findMany({
    where: { countyId: access.county.id, userId: access.user.id },
    orderBy: { createdAt: "desc" },
    take,
    select: exportSelect,
  });
  return rows.map((r) => view(r, now));
}

export type ExportDownload =
  | { kind: "missing" }
  | { kind: "notReady" }
  | { kind: "gone" }
  | { kind: "file"; body: ReadableStream<Uint8Array>; bytes: number; filename: string; format: ReportFormat };

/** The finished file of one of the county's exports, while it is within its 7 days. */
export async function exportDownload(
  access: CountyAccess,
  id: string | undefined,
  now = new Date(),
): Promise<ExportDownload> {
  if (!id || !ID.test(id)) return { kind: "missing" };
  const row = await db().reportExport.findFirst({ where: { id, countyId: access.county.id }, select: exportSelect });
  if (!row) return { kind: "missing" };
  const v = view(row, now);
  if (v.expired) return { kind: "gone" };
  if (!v.downloadable || !row.fileKey) return { kind: "notReady" };
  let stream: fs.ReadStream;
  try {
    const path = exportFilePath(row.fileKey);
    await fs.promises.access(path);
    stream = fs.createReadStream(path);
  } catch {
    return { kind: "gone" };
  }
  const format = row.format as ReportFormat;
  return {
    kind: "file",
    body: toWebStream(stream),
    bytes: Number(row.bytes ?? 0),
    filename: `${row.report}-${access.county.code}-${v.from}-${v.to}.${format}`,
    format,
  };
}

/** Deletes the files of exports past their 7 days (the rows stay, as "expired"). */
export async function sweepExpiredExports(now = new Date()): Promise<{ exportFilesRemoved: number }> {
  const expired = await db().reportExport.findMany({
    where: { status: "DONE", fileKey: { not: null }, expiresAt: { lte: now } },
    select: { id: true, fileKey: true },
    take: 500,
  });
  for (const row of expired) {
    await removeExportFile(row.fileKey!);
    await db().reportExport.update({ where: { id: row.id }, data: { fileKey: null } });
  }
  return { exportFilesRemoved: expired.length };
}
