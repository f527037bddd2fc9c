import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as NodeWebStream } from "node:stream/web";
import { z } from "zod";
import { db } from "~/db/index.server";
import { DEFAULT_LANGUAGE, isLanguage } from "~/lib/i18n";
import { createI18n } from "~/lib/i18n.server";
import { logger } from "~/lib/logger.server";
import { exportFilePath } from "./export-files.server";
import { exportableReport } from "./export-registry.server";
import { recordExportEvent, type ReportFormat } from "./report-file.server";

// The background export job: writes one ReportExport's file under EXPORTS_DIR with the same
// writer as a direct download, updating rowsDone as it goes, and records the `export` security
// event once the file is complete. A failure marks the export FAILED (the page says so and the
// coordinator can start it again); it is not retried, so a broken filter does not run five times.

export const REPORT_EXPORT_JOB = "reports.export";

/** How long a finished file can be downloaded. */
export const EXPORT_TTL_MS = 7 * 24 * 3_600_000;

/** rowsDone is written every this many rows. */
export const PROGRESS_EVERY_ROWS = 5_000;

const payloadSchema = z.object({ exportId: z.string().min(1).max(40) });

export async function runReportExportJob(
  payload: unknown,
  {
    progressEvery = PROGRESS_EVERY_ROWS,
    afterProgress,
  }: {
    progressEvery?: number;
    /** Called after each rowsDone update (tests watch the row). */ afterProgress?: () => Promise<void>;
  } = {},
): Promise<void> {
  const { exportId } = payloadSchema.parse(payload);
  // QUEUED, or RUNNING when a worker died mid-file and the outbox hands the job out again.
  const claimed = await db().reportExport.updateMany({
    where: { id: exportId, status: { in: ["QUEUED", "RUNNING"] } },
    data: { status: "RUNNING", rowsDone: 0 },
  });
  if (claimed.count === 0) return;
  const job = await db().reportExport.findUniqueOrThrow({
    where: { id: exportId },
    include: { county: { select: { id: true, code: true, nameZh: true, nameEn: true } } },
  });
  const format = job.format as ReportFormat;
  const key = `${job.id}.${format}`;
  const final = exportFilePath(key);
  const temp = `${final}.${randomUUID()}.tmp`;
  try {
    const report = exportableReport(job.report);
    if (!report) throw new Error(`unknown report "${job.report}"`);
    const search = new URLSearchParams(job.filters as Record<string, string>);
    const result = await report.prepare(search, job.county);
    if (!result.ok) throw new Error(`the export's filters no longer apply (${result.status})`);
    const lng = isLanguage(job.locale) ? job.locale : DEFAULT_LANGUAGE;
    const { t } = await createI18n(lng);
    let rows = 0;
    const { body } = result.prepared.file(format, {
      t,
      lng,
      now: new Date(),
      progressEvery,
      progress: async (done) => {
        await db().reportExport.update({ where: { id: job.id }, data: { rowsDone: done } });
        await afterProgress?.();
      },
      onDone: async (count) => void (rows = count),
    });
    await fs.promises.mkdir(path.dirname(final), { recursive: true });
    await pipeline(Readable.fromWeb(body as NodeWebStream<Uint8Array>), fs.createWriteStream(temp));
    await fs.promises.rename(temp, final);
    const { size } = await fs.promises.stat(final);
    const finishedAt = new Date();
    await db().reportExport.update({
      where: { id: job.id },
      data: {
        status: "DONE",
        rowsDone: rows,
        // Orders placed since the count was taken: the bar ends full either way.
        rowsTotal: rows,
        fileKey: key,
        bytes: BigInt(size),
        finishedAt,
        expiresAt: new Date(finishedAt.getTime() + EXPORT_TTL_MS),
        error: null,
      },
    });
    await recordExportEvent({
      userId: job.userId,
      countyCode: job.county.code,
      report: job.report,
      format,
      filters: result.prepared.logFilters,
      includeContacts: job.includeContacts,
      rows,
      exportId: job.id,
    });
  } catch (error) {
    await fs.promises.rm(temp, { force: true });
    const message = error instanceof Error ? error.message : String(error);
    logger.warn({ exportId, error: message }, "report export failed");
    await db().reportExport.update({
      where: { id: exportId },
      data: { status: "FAILED", error: message.slice(0, 1_000), finishedAt: new Date() },
    });
  }
}
