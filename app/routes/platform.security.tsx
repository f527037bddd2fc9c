import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getFixedT } from "~/lib/i18n.server";
import { formatDateTime } from "~/lib/time";
import { requirePlatformAdmin } from "~/modules/identity/session.server";
import { SECURITY_EVENT_TYPES } from "~/modules/security/security-log.server";
import { listSecurityEvents, securityLogFilter } from "~/modules/security/security-log-view.server";

// /platform/security: the security log for the platform admin — who, when, from where — with
// filters by type, user and date, newest first, fifty to a page.
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePlatformAdmin(request);
  const { t } = await getFixedT(request);
  const { filter, invalid } = securityLogFilter(new URL(request.url).searchParams);
  const { events, hasOlder } = await listSecurityEvents(filter);
  return { title: t("security.log.title"), events, hasOlder, page: filter.page, invalid, types: SECURITY_EVENT_TYPES };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

const input = "min-h-11 rounded-lg border border-stone-300 bg-white px-3 text-base";

export default function SecurityLog() {
  const { t, i18n } = useTranslation();
  const { events, hasOlder, page, invalid, types } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const pageLink = (n: number) => {
    const next = new URLSearchParams(params);
    next.set("page", String(n));
    return `?${next}`;
  };
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-2xl font-bold">{t("security.log.title")}</h1>
      <p className="text-stone-700">{t("security.log.intro")}</p>
      {invalid ? (
        <p role="alert" className="rounded-lg bg-amber-50 px-3 py-2 text-amber-900 ring-1 ring-amber-200">
          {t("security.log.badFilter")}
        </p>
      ) : null}
      <Form method="get" className="flex flex-wrap items-end gap-3 rounded-2xl bg-white p-4 ring-1 ring-stone-200">
        <label className="flex flex-col gap-1 text-sm font-medium">
          {t("security.log.type")}
          <select name="type" defaultValue={params.get("type") ?? ""} className={input}>
            <option value="">{t("security.log.allTypes")}</option>
            {types.map((type) => (
              <option key={type} value={type}>
                {t(`security.log.types.${type}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="flex min-w-0 flex-[1_1_12rem] flex-col gap-1 text-sm font-medium">
          {t("security.log.user")}
          <input name="user" defaultValue={params.get("user") ?? ""} maxLength={254} className={`${input} w-full`} />
        </label>
        <label className="flex flex-col gap-1 text-sm font-medium">
          {t("security.log.from")}
          <input type="date" name="from" defaultValue={params.get("from") ?? ""} className={input} />
        </label>
        <label className="flex flex-col gap-1 text-sm font-medium">
          {t("security.log.to")}
          <input type="date" name="to" defaultValue={params.get("to") ?? ""} className={input} />
        </label>
        <button type="submit" className="min-h-11 rounded-full bg-leaf px-5 font-semibold text-white">
          {t("security.log.filter")}
        </button>
      </Form>
      {events.length === 0 ? (
        <p className="rounded-2xl bg-white p-6 text-stone-600 ring-1 ring-stone-200">{t("security.log.empty")}</p>
      ) : (
        <ul className="flex flex-col gap-2" data-testid="security-events">
          {events.map((e) => (
            <li
              key={e.id}
              className="rounded-xl bg-white p-3 text-sm ring-1 ring-stone-200"
              data-testid="security-event"
            >
              <div className="flex flex-wrap items-baseline justify-between gap-2">
                <span className="font-semibold">
                  {(types as readonly string[]).includes(e.type) ? t(`security.log.types.${e.type}`) : e.type}
                </span>
                <time dateTime={e.at} className="text-stone-600">
                  {formatDateTime(e.at, i18n.language)}
                </time>
              </div>
              <dl className="mt-1 grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 text-stone-700">
                <dt className="text-stone-500">{t("security.log.who")}</dt>
                <dd className="min-w-0 break-all">
                  {e.user
                    ? `${e.user.name ?? ""} ${e.user.contact}`.trim()
                    : e.userId
                      ? e.userId
                      : t("security.log.unknownUser")}
                </dd>
                <dt className="text-stone-500">{t("security.log.where")}</dt>
                <dd className="min-w-0 break-all">
                  {e.ip ?? "—"}
                  {e.userAgent ? <span className="block truncate text-xs text-stone-500">{e.userAgent}</span> : null}
                </dd>
                {e.shop ? (
                  <>
                    <dt className="text-stone-500">{t("security.log.shop")}</dt>
                    <dd className="min-w-0 break-all">{e.shop}</dd>
                  </>
                ) : null}
                {e.detail ? (
                  <>
                    <dt className="text-stone-500">{t("security.log.detail")}</dt>
                    <dd className="min-w-0 break-all font-mono text-xs">{e.detail}</dd>
                  </>
                ) : null}
              </dl>
            </li>
          ))}
        </ul>
      )}
      <nav className="flex justify-between text-sm" aria-label={t("security.log.title")}>
        {page > 1 ? (
          <Link to={pageLink(page - 1)} className="min-h-11 content-center text-leaf underline">
            ← {t("security.log.newer")}
          </Link>
        ) : (
          <span />
        )}
        {hasOlder ? (
          <Link to={pageLink(page + 1)} className="min-h-11 content-center text-leaf underline">
            {t("security.log.older")} →
          </Link>
        ) : null}
      </nav>
    </div>
  );
}
