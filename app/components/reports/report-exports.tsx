import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { formatDateTime } from "~/lib/time";

// Background exports: one export's progress (a <progress> bar with rows done / total, works
// without JavaScript because the page refreshes itself) and download link, and the list of the
// coordinator's recent exports.

export interface ExportItem {
  id: string;
  report: string;
  format: string;
  from: string;
  to: string;
  includeContacts: boolean;
  status: "QUEUED" | "RUNNING" | "DONE" | "FAILED";
  rowsDone: number;
  rowsTotal: number;
  percent: number;
  bytes: number | null;
  createdAt: string | Date;
  expiresAt: string | Date | null;
  downloadable: boolean;
  expired: boolean;
}

export interface ExportsPageProps {
  countyCode: string;
  limit: number;
  current: ExportItem | null;
  recent: ExportItem[];
  refresh: boolean;
}

function size(bytes: number | null): string {
  if (bytes === null) return "";
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function useSummary() {
  const { t } = useTranslation();
  return (e: ExportItem) =>
    t("reportExports.summary", {
      report: t(`reportExports.reports.${e.report}`, { defaultValue: e.report }),
      format: e.format.toUpperCase(),
      from: e.from,
      to: e.to,
    });
}

function statusKey(e: ExportItem) {
  return e.expired ? "EXPIRED" : e.status;
}

function ExportCard({ item, countyCode, refresh }: { item: ExportItem; countyCode: string; refresh: boolean }) {
  const { t, i18n } = useTranslation();
  const summary = useSummary();
  const base = `/county/${countyCode}/reports/exports/${item.id}`;
  const nf = new Intl.NumberFormat(i18n.language);
  return (
    <section className="flex flex-col gap-3 rounded-2xl bg-white p-4 ring-1 ring-stone-200">
      <p className="font-medium break-words">{summary(item)}</p>
      {item.includeContacts && <p className="text-sm text-stone-600">{t("reportExports.contacts")}</p>}
      <p className="text-sm text-stone-600">
        {t("reportExports.created", { at: formatDateTime(item.createdAt, i18n.language) })}
      </p>
      <p className="font-semibold" role="status">
        {t(`reportExports.status.${statusKey(item)}`)}
      </p>
      {(item.status === "QUEUED" || item.status === "RUNNING" || item.status === "DONE") && !item.expired && (
        <div className="flex flex-col gap-1">
          <label htmlFor="export-progress" className="sr-only">
            {t("reportExports.progressLabel")}
          </label>
          <progress
            id="export-progress"
            className="h-4 w-full"
            max={Math.max(item.rowsTotal, 1)}
            value={item.status === "DONE" ? Math.max(item.rowsTotal, 1) : item.rowsDone}
          />
          <p className="text-sm tabular-nums">
            {t("reportExports.progress", {
              done: nf.format(item.rowsDone),
              total: nf.format(item.rowsTotal),
              percent: item.percent,
            })}
          </p>
        </div>
      )}
      {refresh && (
        <p className="text-sm text-stone-600">
          {t("reportExports.refreshing")}{" "}
          <Link to={base} reloadDocument className="underline">
            {t("reportExports.refresh")}
          </Link>
        </p>
      )}
      {item.downloadable && (
        <div className="flex flex-col gap-1">
          <a
            href={`${base}/download`}
            className="inline-flex min-h-11 w-fit items-center rounded-full bg-leaf px-5 font-medium text-white"
          >
            {t("reportExports.download", { size: size(item.bytes) })}
          </a>
          {item.expiresAt && (
            <p className="text-sm text-stone-600">
              {t("reportExports.expires", { at: formatDateTime(item.expiresAt, i18n.language) })}
            </p>
          )}
        </div>
      )}
      {item.expired && <p className="text-stone-700">{t("reportExports.expired")}</p>}
      {item.status === "FAILED" && (
        <p className="rounded-lg bg-red-50 p-2 text-red-800" role="alert">
          {t("reportExports.failed")}
        </p>
      )}
    </section>
  );
}

export function ReportExportsPage({ countyCode, limit, current, recent, refresh }: ExportsPageProps) {
  const { t, i18n } = useTranslation();
  const summary = useSummary();
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-2xl font-bold">{current ? t("reportExports.title") : t("reportExports.listTitle")}</h1>
      <p className="text-stone-600">
        {t("reportExports.intro", { limit: new Intl.NumberFormat(i18n.language).format(limit) })}
      </p>
      {current && <ExportCard item={current} countyCode={countyCode} refresh={refresh} />}
      <section className="flex flex-col gap-2">
        {current && <h2 className="text-lg font-semibold">{t("reportExports.listTitle")}</h2>}
        {recent.length === 0 ? (
          <p className="text-stone-600">{t("reportExports.empty")}</p>
        ) : (
          <ul className="flex flex-col divide-y divide-stone-200 rounded-2xl bg-white ring-1 ring-stone-200">
            {recent.map((e) => (
              <li key={e.id} className="flex flex-wrap items-center justify-between gap-2 p-3">
                <span className="min-w-0 break-words">
                  {summary(e)}
                  <span className="block text-sm text-stone-600">
                    {formatDateTime(e.createdAt, i18n.language)} · {t(`reportExports.status.${statusKey(e)}`)}
                    {e.status === "RUNNING" ? ` · ${e.percent}%` : ""}
                  </span>
                </span>
                <span className="flex gap-3">
                  <Link to={`/county/${countyCode}/reports/exports/${e.id}`} className="underline">
                    {t("reportExports.open")}
                  </Link>
                  {e.downloadable && (
                    <a href={`/county/${countyCode}/reports/exports/${e.id}/download`} className="underline">
                      {t("reportExports.download", { size: size(e.bytes) })}
                    </a>
                  )}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <p className="flex flex-wrap gap-4">
        <Link to={`/county/${countyCode}/reports`} className="underline">
          {t("reportExports.back")}
        </Link>
        {current && (
          <Link to={`/county/${countyCode}/reports/exports`} className="underline">
            {t("reportExports.all")}
          </Link>
        )}
      </p>
    </div>
  );
}

/** The 410 page of an expired download: a plain document, as the download is a resource route. */
export function ExportGoneDocument({
  lang,
  title,
  text,
  back,
  backHref,
}: {
  lang: string;
  title: string;
  text: string;
  back: string;
  backHref: string;
}) {
  return (
    <html lang={lang}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title}</title>
      </head>
      <body>
        <main>
          <h1>{title}</h1>
          <p>{text}</p>
          <p>
            <a href={backHref}>{back}</a>
          </p>
        </main>
      </body>
    </html>
  );
}
