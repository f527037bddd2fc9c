import { Form, Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { formatFen } from "~/lib/money";
import { formatDateTime } from "~/lib/time";
import type { Totals } from "~/modules/reports/dashboard.cross-shop.server";
import { pct, TOP_PRODUCTS } from "~/modules/reports/dashboard-figures";
import type { DashboardView } from "~/modules/reports/dashboard-page.server";
import { BUCKETS, PRESETS } from "~/modules/reports/range";
import { FigureTable } from "./figure-table";

// The county coordinator's overview (/county/:code): range links, KPI cards with the change
// against the previous period, charts (server-drawn SVG) each with its numbers in a table, and
// every other figure as a FigureTable.

type Kpi = keyof Omit<Totals, never>;
const KPIS: { key: Kpi; money: boolean }[] = [
  { key: "gmvFen", money: true },
  { key: "refundsFen", money: true },
  { key: "netFen", money: true },
  { key: "orders", money: false },
  { key: "buyers", money: false },
  { key: "aovFen", money: true },
];
const KPI_LABEL: Record<Kpi, string> = {
  gmvFen: "dashboard.kpi.gmv",
  refundsFen: "dashboard.kpi.refunds",
  netFen: "dashboard.kpi.net",
  orders: "dashboard.kpi.orders",
  buyers: "dashboard.kpi.buyers",
  aovFen: "dashboard.kpi.aov",
};

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <section>
      <h2 className="mb-1 font-bold">{title}</h2>
      {children}
    </section>
  );
}

function Change({ now, before }: { now: number | null; before: number | null }) {
  const { t } = useTranslation();
  if (before === null || before === 0) return <span className="text-stone-500">{t("dashboard.change.noEarlier")}</span>;
  const pct = Math.round((((now ?? 0) - before) / Math.abs(before)) * 1000) / 10;
  if (pct === 0) return <span className="text-stone-600">{t("dashboard.change.same")}</span>;
  return pct > 0 ? (
    <span className="text-leaf">{t("dashboard.change.up", { pct })}</span>
  ) : (
    <span className="text-red-700">{t("dashboard.change.down", { pct: Math.abs(pct) })}</span>
  );
}

function Chart({ svg, caption, children }: { svg: string; caption: string; children: React.ReactNode }) {
  return (
    <figure className="rounded border border-stone-200 bg-white p-2">
      <figcaption className="mb-1 font-medium">{caption}</figcaption>
      {/* Drawn on the server by ECharts from our numbers; ECharts escapes every label. */}
      <div className="w-full" dangerouslySetInnerHTML={{ __html: svg }} />
      <div className="mt-2">{children}</div>
    </figure>
  );
}

export function CountyDashboard({
  base,
  countyName,
  view,
  error,
}: {
  base: string;
  countyName: string;
  view: DashboardView | null;
  error: string | null;
}) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const money = (fen: number) => formatFen(fen, lng);
  const name = (zh: string, en: string | null) => (lng === "en" && en ? en : zh);
  const range = view?.range;
  const f = view?.figures;
  const number = (v: number) => v.toLocaleString(lng === "en" ? "en" : "zh-CN", { maximumFractionDigits: 1 });
  const percent = (v: number | null) => (v === null ? "—" : `${number(v)}%`);
  const hours = (v: number | null) => (v === null ? "—" : t("dashboard.fulfilment.hours", { hours: number(v) }));
  const query = (over: Record<string, string>) => {
    const p = new URLSearchParams();
    if (range && range.preset === "custom") {
      p.set("from", range.from);
      p.set("to", range.to);
    } else if (range) p.set("range", range.preset);
    for (const [k, v] of Object.entries(over)) p.set(k, v);
    if (over.range) {
      p.delete("from");
      p.delete("to");
    }
    return `${base}?${p.toString()}`;
  };
  return (
    <div className="mx-auto max-w-5xl space-y-4 p-4">
      <h1 className="text-xl font-bold">{t("dashboard.heading", { county: countyName })}</h1>

      <nav aria-label={t("dashboard.rangeLabel")} className="space-y-2">
        <ul className="flex flex-wrap gap-2">
          {PRESETS.map((p) => (
            <li key={p}>
              <Link
                to={query({ range: p })}
                aria-current={range?.preset === p ? "page" : undefined}
                className={`inline-block rounded border px-3 py-1 ${range?.preset === p ? "border-leaf bg-leaf text-white" : "border-stone-300 bg-white"}`}
              >
                {t(`dashboard.presets.${p}`)}
              </Link>
            </li>
          ))}
        </ul>
        <Form method="get" action={base} className="flex flex-wrap items-end gap-2">
          <label className="flex flex-col text-sm">
            {t("dashboard.from")}
            <input type="date" name="from" defaultValue={range?.from} required className="rounded border px-2 py-1" />
          </label>
          <label className="flex flex-col text-sm">
            {t("dashboard.to")}
            <input type="date" name="to" defaultValue={range?.to} required className="rounded border px-2 py-1" />
          </label>
          <button type="submit" className="rounded bg-leaf px-3 py-1 text-white">
            {t("dashboard.apply")}
          </button>
        </Form>
      </nav>

      {error ? (
        <p role="alert" className="rounded border border-red-300 bg-red-50 p-3 text-red-800">
          {error}
        </p>
      ) : null}

      {view && view.figures.pendingDays > 0 ? (
        <p role="status" className="rounded border border-amber-300 bg-amber-50 p-3 text-amber-900">
          {t("dashboard.pending", { count: view.figures.pendingDays })}
        </p>
      ) : null}

      {view && !view.figures.anyPaid ? (
        <section className="rounded border border-stone-200 bg-white p-4">
          <h2 className="font-bold">{t("dashboard.empty.title")}</h2>
          <p className="mt-1 text-stone-700">{t("dashboard.empty.body")}</p>
          <Link to={`${base}/logistics`} className="mt-2 inline-block underline">
            {t("logisticsPartners.nav")}
          </Link>
        </section>
      ) : null}

      {view && f && f.anyPaid ? (
        <>
          <p className="text-sm text-stone-600">
            {t("dashboard.period", {
              from: view.range.from,
              to: view.range.to,
              prevFrom: view.range.prevFrom,
              prevTo: view.range.prevTo,
            })}
          </p>
          <ul className="grid grid-cols-2 gap-2 sm:grid-cols-3" aria-label={t("dashboard.change.vsPrevious")}>
            {KPIS.map(({ key, money: isMoney }) => {
              const now = view.figures.current[key];
              const before = view.figures.previous[key];
              return (
                <li key={key} className="rounded border border-stone-200 bg-white p-3" data-kpi={key}>
                  <div className="text-sm text-stone-600">{t(KPI_LABEL[key])}</div>
                  <div className="text-lg font-bold tabular-nums">
                    {now === null ? "—" : isMoney ? money(now) : now}
                  </div>
                  <div className="text-sm">
                    <Change now={now} before={before} />
                  </div>
                </li>
              );
            })}
          </ul>

          {view.figures.current.orders === 0 ? <p className="text-stone-700">{t("dashboard.noSales")}</p> : null}

          <nav className="flex gap-2 text-sm" aria-label={t("dashboard.byLabel")}>
            <span>{t("dashboard.byLabel")}</span>
            {BUCKETS.map((b) => (
              <Link
                key={b}
                to={query({ by: b })}
                aria-current={view.range.by === b ? "page" : undefined}
                className={view.range.by === b ? "font-bold" : "underline"}
              >
                {t(`dashboard.by.${b}`)}
              </Link>
            ))}
          </nav>

          <Chart
            svg={view.charts.sales}
            caption={t("dashboard.chart.salesCaption", { by: t(`dashboard.by.${view.range.by}`) })}
          >
            <FigureTable
              rows={f.series}
              rowKey={(r) => r.bucket}
              columns={[
                { label: t("dashboard.table.bucket"), cell: (r) => r.bucket },
                { label: t("dashboard.table.gmv"), numeric: true, cell: (r) => money(r.gmvFen) },
                { label: t("dashboard.table.refunds"), numeric: true, cell: (r) => money(r.refundsFen) },
                { label: t("dashboard.table.orders"), numeric: true, cell: (r) => r.orders },
              ]}
            />
          </Chart>

          <section>
            <h2 className="mb-1 font-bold">{t("dashboard.byShop")}</h2>
            {view.charts.shops ? (
              <Chart svg={view.charts.shops} caption={t("dashboard.chart.shopsCaption")}>
                <FigureTable
                  rows={f.byShop}
                  rowKey={(r) => r.slug}
                  columns={[
                    {
                      label: t("dashboard.table.shop"),
                      cell: (s) => (
                        <Link to={`/admin/${s.slug}/orders`} className="underline">
                          {name(s.nameZh, s.nameEn)}
                        </Link>
                      ),
                    },
                    { label: t("dashboard.table.gmv"), numeric: true, cell: (s) => money(s.gmvFen) },
                    { label: t("dashboard.table.refunds"), numeric: true, cell: (s) => money(s.refundsFen) },
                    { label: t("dashboard.table.orders"), numeric: true, cell: (s) => s.orders },
                  ]}
                />
              </Chart>
            ) : null}
          </section>

          <Section title={t("dashboard.byPlace")}>
            <FigureTable
              rows={f.byPlace}
              rowKey={(p) => `${p.townZh ?? ""}/${p.villageZh}`}
              columns={[
                {
                  label: t("dashboard.table.place"),
                  cell: (p) =>
                    [p.townZh ? name(p.townZh, p.townEn) : null, name(p.villageZh, p.villageEn)]
                      .filter(Boolean)
                      .join(" / "),
                },
                { label: t("dashboard.table.gmv"), numeric: true, cell: (p) => money(p.gmvFen) },
                { label: t("dashboard.table.orders"), numeric: true, cell: (p) => p.orders },
              ]}
            />
          </Section>

          <Section title={t("dashboard.byKind")}>
            <FigureTable
              rows={f.byKind}
              rowKey={(k) => k.kind}
              columns={[
                { label: t("dashboard.table.kind"), cell: (k) => t(`dashboard.kinds.${k.kind}`) },
                { label: t("dashboard.table.sales"), numeric: true, cell: (k) => money(k.salesFen) },
                { label: t("dashboard.table.orders"), numeric: true, cell: (k) => k.orders },
              ]}
            />
          </Section>

          <Section title={t("dashboard.byProduct", { count: TOP_PRODUCTS })}>
            <p className="mb-1 text-sm text-stone-700" data-figure="gi-share">
              {f.gi.pct === null
                ? t("dashboard.gi.none")
                : t("dashboard.gi.share", { gi: money(f.gi.giSalesFen), all: money(f.gi.salesFen), pct: f.gi.pct })}
            </p>
            <FigureTable
              rows={f.byProduct}
              rowKey={(p, i) => `${p.productId ?? ""}:${p.kind}:${i}`}
              columns={[
                {
                  label: t("dashboard.table.product"),
                  cell: (p) => (
                    <>
                      {name(p.titleZh, p.titleEn)}
                      {p.gi ? (
                        <span className="ml-1 rounded bg-amber-100 px-1 text-xs text-amber-900">
                          {t("dashboard.gi.badge")}
                        </span>
                      ) : null}
                    </>
                  ),
                },
                { label: t("dashboard.table.kind"), cell: (p) => t(`dashboard.kinds.${p.kind}`) },
                { label: t("dashboard.table.sales"), numeric: true, cell: (p) => money(p.salesFen) },
                { label: t("dashboard.table.quantity"), numeric: true, cell: (p) => p.quantity },
                { label: t("dashboard.table.orders"), numeric: true, cell: (p) => p.orders },
              ]}
            />
          </Section>

          <Section title={t("dashboard.fulfilment.title")}>
            <FigureTable
              rows={f.fulfilment}
              rowKey={(r) => r.stage}
              columns={[
                { label: t("dashboard.fulfilment.stage"), cell: (r) => t(`dashboard.fulfilment.stages.${r.stage}`) },
                { label: t("dashboard.table.orders"), numeric: true, cell: (r) => r.count },
                { label: t("dashboard.fulfilment.p50"), numeric: true, cell: (r) => hours(r.p50) },
                { label: t("dashboard.fulfilment.p90"), numeric: true, cell: (r) => hours(r.p90) },
              ]}
            />
          </Section>

          <Section title={t("dashboard.refundRate.title")}>
            <FigureTable
              rows={[
                {
                  key: "amount",
                  label: t("dashboard.refundRate.amount"),
                  part: money(f.refunds.refundsFen),
                  whole: money(f.refunds.gmvFen),
                  pct: f.refunds.amountPct,
                },
                {
                  key: "orders",
                  label: t("dashboard.refundRate.orders"),
                  part: String(f.refunds.refundedOrders),
                  whole: String(f.refunds.orders),
                  pct: f.refunds.ordersPct,
                },
              ]}
              rowKey={(r) => r.key}
              columns={[
                { label: t("dashboard.refundRate.measure"), cell: (r) => r.label },
                { label: t("dashboard.refundRate.refunded"), numeric: true, cell: (r) => r.part },
                { label: t("dashboard.refundRate.of"), numeric: true, cell: (r) => r.whole },
                { label: t("dashboard.refundRate.rate"), numeric: true, cell: (r) => percent(r.pct) },
              ]}
            />
          </Section>

          <Section title={t("dashboard.delivery.title")}>
            <FigureTable
              rows={f.byDelivery}
              rowKey={(r) => r.delivery}
              columns={[
                { label: t("dashboard.delivery.method"), cell: (r) => t(`dashboard.delivery.methods.${r.delivery}`) },
                { label: t("dashboard.table.orders"), numeric: true, cell: (r) => r.orders },
                {
                  label: t("dashboard.delivery.share"),
                  numeric: true,
                  cell: (r) => percent(pct(r.orders, f.current.orders)),
                },
                { label: t("dashboard.table.gmv"), numeric: true, cell: (r) => money(r.gmvFen) },
              ]}
            />
            <h3 className="mb-1 mt-3 font-medium">{t("dashboard.delivery.pickups")}</h3>
            <FigureTable
              rows={f.pickupKinds}
              rowKey={(r) => r.kind}
              empty={t("dashboard.delivery.noPickups")}
              columns={[
                { label: t("dashboard.delivery.pointKind"), cell: (r) => t(`dashboard.delivery.pointKinds.${r.kind}`) },
                { label: t("dashboard.table.orders"), numeric: true, cell: (r) => r.orders },
              ]}
            />
            {f.pickupPoints.length > 0 ? (
              <>
                <h3 className="mb-1 mt-3 font-medium">{t("dashboard.delivery.topPoints")}</h3>
                <FigureTable
                  rows={f.pickupPoints}
                  rowKey={(r) => r.code}
                  columns={[
                    { label: t("dashboard.delivery.point"), cell: (r) => name(r.nameZh, r.nameEn) },
                    {
                      label: t("dashboard.delivery.pointKind"),
                      cell: (r) => t(`dashboard.delivery.pointKinds.${r.kind}`),
                    },
                    { label: t("dashboard.table.orders"), numeric: true, cell: (r) => r.orders },
                  ]}
                />
              </>
            ) : null}
          </Section>

          <Section title={t("dashboard.scans.title")}>
            <FigureTable
              rows={f.scans}
              rowKey={(r) => r.traceCode}
              empty={t("dashboard.scans.none")}
              columns={[
                {
                  label: t("dashboard.scans.batch"),
                  cell: (r) => (
                    <Link to={`/t/${r.traceCode}`} className="underline">
                      {name(r.productNameZh, r.productNameEn)}
                    </Link>
                  ),
                },
                { label: t("dashboard.table.shop"), cell: (r) => r.shopSlug },
                { label: t("dashboard.scans.scans"), numeric: true, cell: (r) => r.scans },
              ]}
            />
          </Section>
        </>
      ) : null}

      {view && view.figures.anyPaid ? (
        <Section title={t("dashboard.late")}>
          <FigureTable
            rows={view.figures.late}
            rowKey={(o) => o.number}
            empty={t("dashboard.lateNone")}
            columns={[
              {
                label: t("dashboard.table.orderNumber"),
                cell: (o) => (
                  <Link to={`/admin/${o.shopSlug}/orders/${o.number}`} className="underline">
                    {o.number}
                  </Link>
                ),
              },
              { label: t("dashboard.table.shop"), cell: (o) => name(o.shopNameZh, o.shopNameEn) },
              { label: t("dashboard.table.status"), cell: (o) => t(`dashboard.statuses.${o.status}`) },
              { label: t("dashboard.table.since"), cell: (o) => formatDateTime(o.since, lng) },
              {
                label: t("dashboard.table.lateBecause"),
                cell: (o) =>
                  o.shipBy ? t("dashboard.lateReason.shipBy", { date: o.shipBy }) : t("dashboard.lateReason.unpacked"),
              },
            ]}
          />
        </Section>
      ) : null}
    </div>
  );
}
