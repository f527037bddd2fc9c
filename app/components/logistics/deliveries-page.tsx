import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CsrfInput } from "~/components/form-basics";
import { formatDateTime } from "~/lib/time";

// A partner's push deliveries (platform admin and county coordinator pages): status filter,
// one card per delivery (fits 360 px), replay for DEAD and DELIVERED ones, pages of fifty.

export interface DeliveriesPageData {
  partner: { id: string; nameZh: string; nameEn: string | null; webhookUrl: string | null };
  deliveries: {
    id: string;
    type: string;
    status: "PENDING" | "DELIVERED" | "DEAD";
    shipmentId: string | null;
    attempts: number;
    lastStatusCode: number | null;
    lastError: string | null;
    lastAttemptAt: string | null;
    nextAttemptAt: string | null;
    deliveredAt: string | null;
    createdAt: string;
    canReplay: boolean;
  }[];
  hasMore: boolean;
  page: number;
  invalid: boolean;
  counts: Record<string, number>;
  webhookDisabledAt: string | null;
  webhookFailingSince: string | null;
  statuses: readonly string[];
}

const input = "min-h-11 rounded-lg border border-stone-300 bg-white px-3 text-base";
const badge: Record<string, string> = {
  PENDING: "bg-amber-50 text-amber-900 ring-amber-200",
  DELIVERED: "bg-emerald-50 text-emerald-900 ring-emerald-200",
  DEAD: "bg-red-50 text-red-900 ring-red-200",
};

export function DeliveriesPageView({ back }: { back: string }) {
  const { t, i18n } = useTranslation();
  const data = useLoaderData<DeliveriesPageData>();
  const action = useActionData<{ result: string }>();
  const [params] = useSearchParams();
  const name = i18n.language === "en" && data.partner.nameEn ? data.partner.nameEn : data.partner.nameZh;
  const pageLink = (n: number) => {
    const next = new URLSearchParams(params);
    next.set("page", String(n));
    return `?${next}`;
  };
  const when = (iso: string | null) => (iso ? formatDateTime(iso, i18n.language) : "—");
  return (
    <div className="flex min-w-0 flex-col gap-4">
      <p className="text-sm">
        <Link to={back} className="text-leaf underline">
          {t("logisticsPush.back")}
        </Link>
      </p>
      <h1 className="text-2xl font-bold break-words">{t("logisticsPush.title", { partner: name })}</h1>
      <p className="text-stone-700">{t("logisticsPush.intro")}</p>
      {data.partner.webhookUrl ? (
        <p className="text-sm break-all text-stone-600">
          {t("logisticsPush.endpoint")}: <code>{data.partner.webhookUrl}</code>
        </p>
      ) : (
        <p className="text-sm text-stone-600">{t("logisticsPush.noEndpoint")}</p>
      )}
      {data.webhookDisabledAt ? (
        <p role="alert" className="rounded-lg bg-red-50 px-3 py-2 text-red-900 ring-1 ring-red-200">
          {t("logisticsPush.disabled", { at: when(data.webhookDisabledAt) })}
        </p>
      ) : data.webhookFailingSince ? (
        <p role="status" className="rounded-lg bg-amber-50 px-3 py-2 text-amber-900 ring-1 ring-amber-200">
          {t("logisticsPush.failing", { since: when(data.webhookFailingSince) })}
        </p>
      ) : null}
      {data.invalid ? (
        <p role="alert" className="rounded-lg bg-amber-50 px-3 py-2 text-amber-900 ring-1 ring-amber-200">
          {t("logisticsPush.badFilter")}
        </p>
      ) : null}
      {action ? (
        <p
          role={action.result === "replayed" ? "status" : "alert"}
          className={`rounded-lg px-3 py-2 ring-1 ${
            action.result === "replayed"
              ? "bg-emerald-50 text-emerald-900 ring-emerald-200"
              : "bg-red-50 text-red-900 ring-red-200"
          }`}
        >
          {t(`logisticsPush.results.${action.result}`)}
        </p>
      ) : null}
      <Form method="get" className="flex flex-wrap items-end gap-3 rounded-2xl bg-white p-4 ring-1 ring-stone-200">
        <label className="flex flex-col gap-1 text-sm font-medium">
          {t("logisticsPush.status")}
          <select name="status" defaultValue={params.get("status") ?? ""} className={input}>
            <option value="">{t("logisticsPush.allStatuses")}</option>
            {data.statuses.map((s) => (
              <option key={s} value={s}>
                {t(`logisticsPush.statuses.${s}`)} ({data.counts[s] ?? 0})
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="min-h-11 rounded-full bg-leaf px-5 font-semibold text-white">
          {t("logisticsPush.filter")}
        </button>
      </Form>
      {data.deliveries.length === 0 ? (
        <p className="rounded-2xl bg-white p-6 text-stone-600 ring-1 ring-stone-200">{t("logisticsPush.empty")}</p>
      ) : (
        <ul className="flex flex-col gap-2" data-testid="deliveries">
          {data.deliveries.map((d) => (
            <li key={d.id} className="rounded-xl bg-white p-3 text-sm ring-1 ring-stone-200" data-testid="delivery">
              <div className="flex flex-wrap items-baseline justify-between gap-2">
                <span className={`rounded-full px-2 py-0.5 text-xs font-semibold ring-1 ${badge[d.status]}`}>
                  {t(`logisticsPush.statuses.${d.status}`)}
                </span>
                <span className="font-mono text-xs">{d.type}</span>
              </div>
              <dl className="mt-1 grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 text-stone-700">
                <dt className="text-stone-500">{t("logisticsPush.id")}</dt>
                <dd className="min-w-0 font-mono text-xs break-all">{d.id}</dd>
                <dt className="text-stone-500">{t("logisticsPush.attempts")}</dt>
                <dd>{d.attempts}</dd>
                <dt className="text-stone-500">{t("logisticsPush.lastAnswer")}</dt>
                <dd className="min-w-0 break-all">
                  {d.lastStatusCode ?? ""} {d.lastError ?? (d.lastStatusCode ? "" : "—")}
                </dd>
                <dt className="text-stone-500">{t("logisticsPush.created")}</dt>
                <dd>{when(d.createdAt)}</dd>
                <dt className="text-stone-500">{t("logisticsPush.lastAttempt")}</dt>
                <dd>{when(d.lastAttemptAt)}</dd>
                {d.nextAttemptAt ? (
                  <>
                    <dt className="text-stone-500">{t("logisticsPush.nextAttempt")}</dt>
                    <dd>{when(d.nextAttemptAt)}</dd>
                  </>
                ) : null}
                {d.deliveredAt ? (
                  <>
                    <dt className="text-stone-500">{t("logisticsPush.delivered")}</dt>
                    <dd>{when(d.deliveredAt)}</dd>
                  </>
                ) : null}
              </dl>
              {d.canReplay ? (
                <Form method="post" className="mt-2">
                  <CsrfInput />
                  <input type="hidden" name="intent" value="replay" />
                  <input type="hidden" name="id" value={d.id} />
                  <button type="submit" className="min-h-11 rounded-full px-4 font-semibold text-leaf ring-1 ring-leaf">
                    {t("logisticsPush.replay")}
                  </button>
                </Form>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      <nav className="flex justify-between text-sm" aria-label={t("logisticsPush.pages")}>
        {data.page > 1 ? (
          <Link to={pageLink(data.page - 1)} className="min-h-11 content-center text-leaf underline">
            {t("logisticsPush.newer")}
          </Link>
        ) : (
          <span />
        )}
        {data.hasMore ? (
          <Link to={pageLink(data.page + 1)} className="min-h-11 content-center text-leaf underline">
            {t("logisticsPush.older")}
          </Link>
        ) : null}
      </nav>
    </div>
  );
}
