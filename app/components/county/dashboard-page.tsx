import { Form, Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { formatFen } from "~/lib/money";
import { formatDateTime } from "~/lib/time";
import type { Totals } from "~/modules/reports/dashboard.cross-shop.server";
import type { DashboardView } from "~/modules/reports/dashboard-page.server";
import { BUCKETS, PRESETS } from "~/modules/reports/range";

// The county coordinator's overview (/county/:code): range links, KPI cards with the change
// against the previous period, charts (server-drawn SVG) each with its numbers in a table.

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

const th = "px-2 py-1 text-left font-medium";
const td = "px-2 py-1";
const num = "px-2 py-1 text-right tabular-nums";

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
      <div className="mt-2 overflow-x-auto">{children}</div>
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

      {view && !view.figures.anyPaid ? (
        <section className="rounded border border-stone-200 bg-white p-4">
          <h2 className="font-bold">{t("dashboard.empty.title")}</h2>
          <p className="mt-1 text-stone-700">{t("dashboard.empty.body")}</p>
          <Link to={`${base}/logistics`} className="mt-2 inline-block underline">
            {t("logisticsPartners.nav")}
          </Link>
        </section>
      ) : null}

      {view && view.figures.anyPaid ? (
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
            <table className="w-full text-sm">
              <thead>
                <tr>
                  <th className={th}>{t("dashboard.table.bucket")}</th>
                  <th className={num}>{t("dashboard.table.gmv")}</th>
                  <th className={num}>{t("dashboard.table.refunds")}</th>
                  <th className={num}>{t("dashboard.table.orders")}</th>
                </tr>
              </thead>
              <tbody>
                {view.figures.series.map((r) => (
                  <tr key={r.bucket} className="border-t">
                    <td className={td}>{r.bucket}</td>
                    <td className={num}>{money(r.gmvFen)}</td>
                    <td className={num}>{money(r.refundsFen)}</td>
                    <td className={num}>{r.orders}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Chart>

          <section>
            <h2 className="mb-1 font-bold">{t("dashboard.byShop")}</h2>
            {view.charts.shops ? (
              <Chart svg={view.charts.shops} caption={t("dashboard.chart.shopsCaption")}>
                <table className="w-full text-sm">
                  <thead>
                    <tr>
                      <th className={th}>{t("dashboard.table.shop")}</th>
                      <th className={num}>{t("dashboard.table.gmv")}</th>
                      <th className={num}>{t("dashboard.table.refunds")}</th>
                      <th className={num}>{t("dashboard.table.orders")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {view.figures.byShop.map((s) => (
                      <tr key={s.slug} className="border-t">
                        <td className={td}>
                          <Link to={`/admin/${s.slug}/orders`} className="underline">
                            {name(s.nameZh, s.nameEn)}
                          </Link>
                        </td>
                        <td className={num}>{money(s.gmvFen)}</td>
                        <td className={num}>{money(s.refundsFen)}</td>
                        <td className={num}>{s.orders}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </Chart>
            ) : null}
          </section>

          <section className="overflow-x-auto">
            <h2 className="mb-1 font-bold">{t("dashboard.byPlace")}</h2>
            <table className="w-full bg-white text-sm">
              <thead>
                <tr>
                  <th className={th}>{t("dashboard.table.place")}</th>
                  <th className={num}>{t("dashboard.table.gmv")}</th>
                  <th className={num}>{t("dashboard.table.orders")}</th>
                </tr>
              </thead>
              <tbody>
                {view.figures.byPlace.map((p) => (
                  <tr key={`${p.townZh ?? ""}/${p.villageZh}`} className="border-t">
                    <td className={td}>
                      {[p.townZh ? name(p.townZh, p.townEn) : null, name(p.villageZh, p.villageEn)]
                        .filter(Boolean)
                        .join(" / ")}
                    </td>
                    <td className={num}>{money(p.gmvFen)}</td>
                    <td className={num}>{p.orders}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>

          <section className="overflow-x-auto">
            <h2 className="mb-1 font-bold">{t("dashboard.byKind")}</h2>
            <table className="w-full bg-white text-sm">
              <thead>
                <tr>
                  <th className={th}>{t("dashboard.table.kind")}</th>
                  <th className={num}>{t("dashboard.table.sales")}</th>
                  <th className={num}>{t("dashboard.table.orders")}</th>
                </tr>
              </thead>
              <tbody>
                {view.figures.byKind.map((k) => (
                  <tr key={k.kind} className="border-t">
                    <td className={td}>{t(`dashboard.kinds.${k.kind}`)}</td>
                    <td className={num}>{money(k.salesFen)}</td>
                    <td className={num}>{k.orders}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        </>
      ) : null}

      {view && view.figures.anyPaid ? (
        <section className="overflow-x-auto">
          <h2 className="mb-1 font-bold">{t("dashboard.late")}</h2>
          {view.figures.late.length === 0 ? (
            <p className="text-stone-700">{t("dashboard.lateNone")}</p>
          ) : (
            <table className="w-full bg-white text-sm">
              <thead>
                <tr>
                  <th className={th}>{t("dashboard.table.orderNumber")}</th>
                  <th className={th}>{t("dashboard.table.shop")}</th>
                  <th className={th}>{t("dashboard.table.status")}</th>
                  <th className={th}>{t("dashboard.table.since")}</th>
                </tr>
              </thead>
              <tbody>
                {view.figures.late.map((o) => (
                  <tr key={o.number} className="border-t">
                    <td className={td}>
                      <Link to={`/admin/${o.shopSlug}/orders/${o.number}`} className="underline">
                        {o.number}
                      </Link>
                    </td>
                    <td className={td}>{name(o.shopNameZh, o.shopNameEn)}</td>
                    <td className={td}>{t(`dashboard.statuses.${o.status}`)}</td>
                    <td className={td}>{formatDateTime(o.since, lng)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      ) : null}
    </div>
  );
}
