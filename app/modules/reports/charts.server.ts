import * as echarts from "echarts";

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

function render(option: echarts.EChartsCoreOption, height = CHART_HEIGHT): Chart {
  const chart = echarts.init(null, null, { renderer: "svg", ssr: true, width: CHART_WIDTH, height });
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
