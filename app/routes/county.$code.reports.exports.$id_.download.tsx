import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { renderToStaticMarkup } from "react-dom/server";
import { ExportGoneDocument } from "~/components/reports/report-exports";
import { getFixedT } from "~/lib/i18n.server";
import { requireCountyAccess } from "~/modules/identity/county-access.server";
import { CONTENT_TYPES } from "~/modules/reports/report-file.server";
import { exportDownload } from "~/modules/reports/report-exports.server";

// /county/:code/reports/exports/:id/download: a finished background export's file, for the
// county's coordinators, for 7 days; then a translated 410. A resource route (it streams a file),
// so the 410 is a small document of its own rather than the app's error page.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const access = await requireCountyAccess(request, params.code);
  const result = await exportDownload(access, params.id);
  const page = `/county/${access.county.code}/reports/exports/${params.id}`;
  if (result.kind === "missing") throw new Response(null, { status: 404, statusText: "Not Found" });
  if (result.kind === "notReady") return redirect(page, 303);
  if (result.kind === "gone") {
    const { t, lng } = await getFixedT(request);
    const html = renderToStaticMarkup(
      <ExportGoneDocument
        lang={lng}
        title={t("reportExports.gone.title")}
        text={t("reportExports.gone.text")}
        back={t("reportExports.back")}
        backHref={`/county/${access.county.code}/reports`}
      />,
    );
    return new Response(`<!doctype html>${html}`, {
      status: 410,
      headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "private, no-store" },
    });
  }
  return new Response(result.body, {
    headers: {
      "Content-Type": CONTENT_TYPES[result.format],
      "Content-Length": String(result.bytes),
      "Content-Disposition": `attachment; filename="${result.filename}"`,
      // Files go as written: no live compression of a million rows a chunk at a time (XLSX is
      // zipped already; docs/perf.md, "County reports").
      "Cache-Control": "private, no-store, no-transform",
    },
  });
}
