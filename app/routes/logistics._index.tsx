import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { TotalsLine } from "~/components/logistics/run-sheet";
import { getFixedT } from "~/lib/i18n.server";
import { shanghaiToday } from "~/lib/time";
import { listManifests, runDateOf } from "~/modules/logistics/manifests.cross-shop.server";
import { requirePartnerStaff } from "~/modules/logistics/partner-staff.server";

// /logistics?date=YYYY-MM-DD — the day's pickup runs of the partners the user works for
// (today in Asia/Shanghai when no date is given).
export async function loader({ request }: LoaderFunctionArgs) {
  const { partners } = await requirePartnerStaff(request);
  const { t } = await getFixedT(request);
  const today = shanghaiToday();
  const asked = new URL(request.url).searchParams.get("date");
  const date = asked && runDateOf(asked) ? asked : today;
  const groups = await Promise.all(
    partners.map(async (p) => ({ partner: p.nameZh, runs: await listManifests({ partnerId: p.id, date }) })),
  );
  const body = { title: t("portal.runs.title"), date, today, badDate: Boolean(asked && !runDateOf(asked)), groups };
  return data(body, { status: body.badDate ? 400 : 200 });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export default function PortalRuns() {
  const { t } = useTranslation();
  const { date, today, badDate, groups } = useLoaderData<typeof loader>();
  const several = groups.length > 1;
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-2xl font-bold">{t("portal.runs.title")}</h1>
      <Form method="get" className="flex flex-wrap items-end gap-2">
        <label className="flex flex-col gap-1 text-sm font-medium">
          {t("portal.runs.date")}
          <input
            type="date"
            name="date"
            defaultValue={date}
            required
            className="min-h-12 rounded-lg border border-stone-300 bg-white px-3 text-base"
          />
        </label>
        <button type="submit" className="min-h-12 rounded-full bg-leaf px-5 font-semibold text-white">
          {t("portal.runs.show")}
        </button>
        {date !== today ? (
          <Link
            to="/logistics"
            className="inline-flex min-h-12 items-center px-3 text-leaf underline underline-offset-4"
          >
            {t("portal.runs.today")}
          </Link>
        ) : null}
      </Form>
      {badDate ? (
        <p role="alert" className="rounded-lg bg-amber-50 px-3 py-2 text-amber-950 ring-1 ring-amber-200">
          {t("portal.runs.badDate")}
        </p>
      ) : null}
      {groups.map((g) => (
        <section key={g.partner} className="flex flex-col gap-2">
          {several ? <h2 className="text-lg font-semibold">{g.partner}</h2> : null}
          {g.runs.length === 0 ? <p className="text-stone-600">{t("portal.runs.none")}</p> : null}
          <ul className="flex flex-col gap-2">
            {g.runs.map((run) => (
              <li key={run.id}>
                <Link
                  to={`/logistics/runs/${run.id}`}
                  className="flex flex-col gap-1 rounded-xl bg-white p-4 ring-1 ring-stone-200 active:bg-stone-100"
                >
                  <span className="text-lg font-semibold">
                    {t("portal.run.title", { route: run.route, date: run.runDate })}
                  </span>
                  <TotalsLine totals={run.totals} />
                  <span className="text-sm text-stone-600">
                    {t("portal.runs.stops", { collected: run.collectedStops, count: run.stops })}
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
