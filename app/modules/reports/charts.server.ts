import type * as Echarts from "echarts";
import { lazyRequire } from "~/lib/lazy-require.server";

const echarts = lazyRequire<typeof Echarts>("echarts");

// Charts drawn on the server as SVG with Apache ECharts (no script in the browser). Labels are
// escaped by ECharts' SVG renderer; the numbers are also shown in a table beside each chart.

export const CHART_WIDTH = 640;
export const CHART_HEIGHT = 280;

export interface Chart {
  svg: string;
  width: number;
  height: number;
}

/**
 * The page's Content-Security-Policy allows no inline style: the SVG's hover rules (a <style>
 * block, useless in a static picture) go, and its style attributes (fonts) become the SVG
 * presentation attributes they stand for.
 */
export function withoutInlineStyle(svg: string): string {
  return svg.replace(/<style[^>]*>[\s\S]*?<\/style>/g, "").replace(/ style="([^"]*)"/g, (_m, css: string) =>
    css
      .split(";")
      .map((decl) => decl.split(":").map((part) => part.trim()))
      .filter(([name, value]) => name && value && /^[a-z-]+$/.test(name))
      .map(([name, value]) => ` ${name}="${value!.replaceAll('"', "&quot;")}"`)
      .join(""),
  );
}

/**
 * Drawn charts by their option (its JSON: ~30 points and a few labels): drawing one costs ~45 ms
 * of CPU (docs/perf.md, "County reports", run 5), and a county's dashboard shows the same figures
 * to every view until its roll-ups change. The newest 100 are kept.
 */
const drawn = new Map<string, Chart>();
const DRAWN_KEPT = 100;

function render(option: Echarts.EChartsCoreOption, height = CHART_HEIGHT): Chart {
  const key = `${height} ${JSON.stringify(option)}`;
  const hit = drawn.get(key);
  if (hit) return hit;
  const chart = draw(option, height);
  drawn.set(key, chart);
  if (drawn.size > DRAWN_KEPT) drawn.delete(drawn.keys().next().value!);
  return chart;
}

function draw(option: Echarts.EChartsCoreOption, height: number): Chart {
  const chart = echarts().init(null, null, { renderer: "svg", ssr: true, width: CHART_WIDTH, height });
  try {
    chart.setOption({ animation: false, ...option });
    return { svg: withoutInlineStyle(chart.renderToSVGString()), width: CHART_WIDTH, height };
  } finally {
    chart.dispose();
  }
}

/** Sales (yuan) over time as bars with the orders as a line. */
export function salesChart(
  points: { label: string; yuan: number; orders: number }[],
  names: { sales: string; orders: string },
) {
  return render({
    grid: { left: 56, right: 40, top: 36, bottom: 40 },
    legend: { top: 4, data: [names.sales, names.orders] },
    xAxis: { type: "category", data: points.map((p) => p.label) },
    yAxis: [
      { type: "value", name: "" },
      { type: "value", name: "", minInterval: 1, splitLine: { show: false } },
    ],
    series: [
      { name: names.sales, type: "bar", data: points.map((p) => p.yuan), itemStyle: { color: "#2f6b3a" } },
      {
        name: names.orders,
        type: "line",
        yAxisIndex: 1,
        data: points.map((p) => p.orders),
        itemStyle: { color: "#c77d1a" },
      },
    ],
  });
}

/** Horizontal bars: one per label (e.g. a shop), value in yuan. */
export function barsChart(bars: { label: string; yuan: number }[]) {
  const shown = bars.slice(0, 10).reverse();
  return render(
    {
      grid: { left: 120, right: 24, top: 12, bottom: 28 },
      xAxis: { type: "value" },
      yAxis: {
        type: "category",
        data: shown.map((b) => (b.label.length > 12 ? `${b.label.slice(0, 11)}…` : b.label)),
      },
      series: [{ type: "bar", data: shown.map((b) => b.yuan), itemStyle: { color: "#2f6b3a" } }],
    },
    Math.max(120, 40 + shown.length * 28),
  );
}
