import type { TFunction } from "i18next";
import { fenToDecimal } from "~/lib/money";
import { barsChart, salesChart } from "./charts.server";
import { loadDashboard, type Dashboard } from "./dashboard.cross-shop.server";
import type { DashboardRange } from "./range";

// What the county dashboard page shows: the figures, and the charts drawn as SVG from them.

export interface DashboardView {
  range: Pick<DashboardRange, "preset" | "from" | "to" | "by" | "days" | "prevFrom" | "prevTo">;
  figures: Dashboard;
  charts: { sales: string; shops: string | null };
}

/**
 * The SVG scales to its box (360 px phones included): width 100% of its viewBox, which ECharts
 * writes. Hidden from screen readers: the same numbers are in the table beside it.
 */
function responsive(svg: string, width: number, height: number): string {
  const sized = svg.replace(/^<svg width="\d+" height="\d+"/, '<svg width="100%" aria-hidden="true" focusable="false"');
  return sized.includes("viewBox=") ? sized : sized.replace(/^<svg /, `<svg viewBox="0 0 ${width} ${height}" `);
}

function bucketLabel(bucket: string, by: DashboardRange["by"]) {
  return by === "month" ? bucket.slice(0, 7) : bucket.slice(5);
}

export async function dashboardView(
  countyId: string,
  range: DashboardRange,
  lng: string,
  t: TFunction,
  now = new Date(),
): Promise<DashboardView> {
  const figures = await loadDashboard(countyId, range, now);
  const yuan = (fen: number) => Number(fenToDecimal(fen));
  const sales = salesChart(
    figures.series.map((p) => ({ label: bucketLabel(p.bucket, range.by), yuan: yuan(p.gmvFen), orders: p.orders })),
    { sales: t("dashboard.chart.salesYuan"), orders: t("dashboard.kpi.orders") },
  );
  const shopBars = figures.byShop.map((s) => ({ label: lng === "en" ? s.nameEn : s.nameZh, yuan: yuan(s.gmvFen) }));
  const shops = shopBars.length > 0 ? barsChart(shopBars) : null;
  const { preset, from, to, by, days, prevFrom, prevTo } = range;
  return {
    range: { preset, from, to, by, days, prevFrom, prevTo },
    figures,
    charts: {
      sales: responsive(sales.svg, sales.width, sales.height),
      shops: shops ? responsive(shops.svg, shops.width, shops.height) : null,
    },
  };
}
