import { redirect } from "@remix-run/node";
import { env } from "~/env.server";
import { getFixedT } from "~/lib/i18n.server";
import type { CountyAccess } from "~/modules/identity/county-access.server";
import { requestSource } from "~/modules/security/request-source.server";
import { exportableReport } from "./export-registry.server";
import { CONTENT_TYPES, recordExportEvent, type ReportFormat } from "./report-file.server";
import { startBackgroundExport } from "./report-exports.server";

// A county report's file URL (/county/:code/reports/<report>.csv|.xlsx): bad filters are a
// translated 400, a shop of another county a 404; up to EXPORT_BACKGROUND_ROWS rows the file is
// streamed in the response, above that a background export starts and the answer is a 303 to its
// progress page. Either way the `export` security event is written once the file is complete.

const text400 = (message: string) =>
  new Response(message, {
    status: 400,
    headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
  });

export async function reportFileResponse(
  request: Request,
  access: CountyAccess,
  reportName: string,
  format: ReportFormat,
): Promise<Response> {
  const report = exportableReport(reportName);
  if (!report) return new Response(null, { status: 404, statusText: "Not Found" });
  const { t, lng } = await getFixedT(request);
  const result = await report.prepare(new URL(request.url).searchParams, access.county);
  if (!result.ok) {
    return result.status === 404
      ? new Response(null, { status: 404, statusText: "Not Found" })
      : text400(t(result.error));
  }
  const { prepared } = result;
  const rowsTotal = await prepared.count(env().EXPORT_BACKGROUND_ROWS);
  if (rowsTotal > env().EXPORT_BACKGROUND_ROWS) {
    const id = await startBackgroundExport({ access, report: reportName, format, prepared, lng, rowsTotal });
    return redirect(`/county/${access.county.code}/reports/exports/${id}`, 303);
  }
  const source = requestSource(request);
  const { filename, body } = prepared.file(format, {
    t,
    lng,
    now: new Date(),
    onDone: (rows) =>
      recordExportEvent({
        userId: access.user.id,
        ...source,
        countyCode: access.county.code,
        report: reportName,
        format,
        filters: prepared.logFilters,
        includeContacts: prepared.includeContacts,
        rows,
      }),
  });
  return new Response(body, {
    headers: {
      "Content-Type": CONTENT_TYPES[format],
      "Content-Disposition": `attachment; filename="${filename}"`,
      // Files go as written: no live compression of a million rows a chunk at a time (XLSX is
      // zipped already; docs/perf.md, "County reports").
      "Cache-Control": "private, no-store, no-transform",
    },
  });
}
