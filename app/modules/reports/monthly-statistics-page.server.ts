import { data, redirect } from "@remix-run/node";
import type { TFunction } from "i18next";
import { getFixedT } from "~/lib/i18n.server";
import { shanghaiStamp } from "~/lib/time";
import type { CountyAccess } from "~/modules/identity/county-access.server";
import { addMonths, lastFullMonth, parseMonth } from "./month";
import { loadMonthlyStatistics } from "./monthly-statistics.cross-shop.server";
import { exportRecorder } from "./report-export.server";
import { SUMMARY_COLUMNS, summaryRows, TOWN_COLUMNS } from "./statistics-columns";
import { xlsxSheet, xlsxSheetsStream } from "./xlsx.server";

// The county's monthly statistics (/county/:code/statistics/:month): the page's data, the XLSX
// of the same figures, and /county/:code/statistics (?month= from the picker, else the last
// full month) sending on to a month's page. A bad month is a translated 400.

const noStore = { "Cache-Control": "private, no-store" };

const text400 = (message: string) =>
  new Response(message, { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8", ...noStore } });

function sheetTitle(t: TFunction, county: CountyAccess["county"], lng: string, month: string) {
  return t("statistics.title", {
    county: lng === "en" ? county.nameEn : county.nameZh,
    year: month.slice(0, 4),
    month: String(Number(month.slice(5))),
    mm: month.slice(5),
  });
}

/** /county/:code/statistics[?month=YYYY-MM] → the month's page. */
export async function statisticsRedirect(request: Request, county: CountyAccess["county"], now = new Date()) {
  const asked = new URL(request.url).searchParams.get("month");
  if (asked === null || asked.trim() === "")
    return redirect(`/county/${county.code}/statistics/${lastFullMonth(now)}`, { headers: noStore });
  const parsed = parseMonth(asked);
  // A bad month answers 400 with the picker again (the page's own 400).
  if (!parsed.ok) return loadStatisticsPage(request, county, asked, now);
  return redirect(`/county/${county.code}/statistics/${parsed.month}`, { headers: noStore });
}

export async function loadStatisticsPage(
  request: Request,
  county: CountyAccess["county"],
  monthRaw: string | undefined,
  now = new Date(),
) {
  const { t, lng } = await getFixedT(request);
  const parsed = parseMonth(monthRaw);
  const base = { countyCode: county.code, generatedAt: shanghaiStamp(now), lastFull: lastFullMonth(now) };
  if (!parsed.ok)
    return data(
      { ...base, title: t("statistics.nav"), error: t(parsed.error), month: null, stats: null, nav: null },
      { status: 400, headers: noStore },
    );
  const month = parsed.month;
  const stats = await loadMonthlyStatistics(county.id, month);
  return data(
    {
      ...base,
      title: sheetTitle(t, county, lng, month),
      error: null,
      month,
      stats,
      nav: { previous: addMonths(month, -1), next: addMonths(month, 1), future: month > base.lastFull },
    },
    { headers: noStore },
  );
}

/** /county/:code/statistics/:month.xlsx: a summary sheet and a by-township sheet; logged as an export. */
export async function statisticsXlsxResponse(
  request: Request,
  access: CountyAccess,
  monthRaw: string | undefined,
  now = new Date(),
) {
  const { t, lng } = await getFixedT(request);
  const parsed = parseMonth(monthRaw);
  if (!parsed.ok) return text400(t(parsed.error));
  const month = parsed.month;
  const stats = await loadMonthlyStatistics(access.county.id, month);
  const title = `${sheetTitle(t, access.county, lng, month)} ${t("statistics.generatedAt", { at: shanghaiStamp(now) })}`;
  const body = xlsxSheetsStream({
    sheets: [
      xlsxSheet({
        sheetName: t("statistics.sheets.summary"),
        title,
        header: SUMMARY_COLUMNS.map((c) => t(`statistics.columns.${c.key}`)),
        columns: SUMMARY_COLUMNS,
        rows: summaryRows(stats),
      }),
      xlsxSheet({
        sheetName: t("statistics.sheets.towns"),
        title,
        header: TOWN_COLUMNS.map((c) => t(`statistics.columns.${c.key}`)),
        columns: TOWN_COLUMNS,
        rows: stats.towns,
      }),
    ],
    lng,
    t,
    onDone: exportRecorder(request, access, { report: "statistics", format: "xlsx", filters: { month } }),
  });
  return new Response(body, {
    headers: {
      "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "Content-Disposition": `attachment; filename="statistics-${access.county.code}-${month}.xlsx"`,
      ...noStore,
    },
  });
}
