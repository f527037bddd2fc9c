import { parseWithZod } from "@conform-to/zod";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CsrfInput } from "~/components/form-basics";
import { RunSheet, TotalsLine } from "~/components/logistics/run-sheet";
import { PrintButton } from "~/components/trace-label";
import { getFixedT } from "~/lib/i18n.server";
import { readForm } from "~/lib/request-bounds.server";
import { formatDateTime } from "~/lib/time";
import { requireCsrf } from "~/modules/identity/csrf.server";
import { collectStop } from "~/modules/logistics/manifests.cross-shop.server";
import { collectFormSchema } from "~/modules/logistics/portal-forms";
import { requirePortalRun, stopOf } from "~/modules/logistics/portal-access.server";
import { z } from "zod";

// /logistics/runs/:id — one pickup run. On the phone: its stops as cards, each with the
// cooperative's address and phone, its parcels and a "collected" button. Printed: the A4 run
// sheet (a table per township, cold chain apart, signature boxes). The CSV is /logistics/runs/:id.csv.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { manifest } = await requirePortalRun(request, params.id);
  const { t } = await getFixedT(request);
  return { title: t("portal.run.title", { route: manifest.route, date: manifest.runDate }), manifest };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

const schema = collectFormSchema.extend({ stopId: z.string().min(1).max(64) });

export async function action({ request, params }: ActionFunctionArgs) {
  const formData = await readForm(request);
  await requireCsrf(request, formData);
  const { user, partnerId, manifest } = await requirePortalRun(request, params.id);
  const submission = parseWithZod(formData, { schema });
  if (submission.status !== "success") return data({ error: "portal.shipment.errors.unknownAction" }, { status: 400 });
  const { stop } = stopOf(manifest, submission.value.stopId);
  const outcome = await collectStop({
    partnerId,
    manifestId: manifest.id,
    stopId: stop.id,
    actorUserId: user.id,
    source: "PORTAL",
  });
  if (!outcome.ok) throw new Response(null, { status: 404, statusText: "Not Found" });
  return redirect(`/logistics/runs/${manifest.id}?collected=${stop.id}#stop-${stop.id}`);
}

export default function PortalRun() {
  const { t, i18n } = useTranslation();
  const { title, manifest } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const [params] = useSearchParams();
  const stops = manifest.townships.flatMap((town) =>
    town.villages.flatMap((village) => village.stops.map((stop) => ({ town: town.name, village: village.name, stop }))),
  );
  return (
    <>
      <div className="no-print flex flex-col gap-4">
        <nav className="text-sm">
          <Link to={`/logistics?date=${manifest.runDate}`} className="text-stone-600 underline underline-offset-4">
            {t("portal.run.back")}
          </Link>
        </nav>
        <h1 className="text-2xl font-bold">{title}</h1>
        <TotalsLine totals={manifest.totals} />
        <div className="flex flex-wrap gap-2">
          <PrintButton />
          <a
            href={`/logistics/runs/${manifest.id}.csv`}
            download
            className="inline-flex min-h-11 items-center rounded-full px-5 font-semibold text-leaf ring-1 ring-leaf"
          >
            {t("portal.run.csv")}
          </a>
        </div>
        <p className="text-sm text-stone-600">{t("portal.run.printHint")}</p>
        {params.get("collected") ? (
          <p role="status" className="rounded-lg bg-emerald-50 px-3 py-2 text-emerald-900 ring-1 ring-emerald-200">
            {t("portal.stop.collectedNotice")}
          </p>
        ) : null}
        <ol className="flex flex-col gap-3">
          {stops.map(({ town, village, stop }) => {
            const busy = navigation.state === "submitting" && navigation.formData?.get("stopId") === stop.id;
            return (
              <li
                key={stop.id}
                id={`stop-${stop.id}`}
                className="flex flex-col gap-2 rounded-xl bg-white p-4 ring-1 ring-stone-200"
                data-testid="stop"
              >
                <span className="text-sm text-stone-600">
                  {town} · {village}
                </span>
                <h2 className="text-lg font-semibold">{stop.cooperative.name}</h2>
                <span className="text-sm">{stop.cooperative.address}</span>
                {stop.cooperative.contactPhone ? (
                  <a href={`tel:${stop.cooperative.contactPhone}`} className="text-leaf underline underline-offset-4">
                    {stop.cooperative.contactName ?? ""}{" "}
                    {t("portal.stop.call", { phone: stop.cooperative.contactPhone })}
                  </a>
                ) : null}
                <TotalsLine totals={stop.totals} />
                <div className="flex flex-wrap items-center gap-2">
                  {stop.collectedAt ? (
                    <span className="inline-flex min-h-12 items-center rounded-full bg-emerald-100 px-4 font-semibold text-emerald-900">
                      {t("portal.stop.collectedAt", { time: formatDateTime(stop.collectedAt, i18n.language) })}
                    </span>
                  ) : (
                    <Form method="post">
                      <CsrfInput />
                      <input type="hidden" name="intent" value="collect" />
                      <input type="hidden" name="stopId" value={stop.id} />
                      <button
                        type="submit"
                        disabled={busy}
                        className="min-h-12 rounded-full bg-leaf px-6 text-lg font-semibold text-white disabled:opacity-60"
                      >
                        {t("portal.stop.collect")}
                      </button>
                    </Form>
                  )}
                  <Link
                    to={`/logistics/runs/${manifest.id}/stops/${stop.id}`}
                    className="inline-flex min-h-12 items-center rounded-full px-5 font-semibold text-leaf ring-1 ring-leaf"
                  >
                    {t("portal.stop.parcels")}
                  </Link>
                </div>
              </li>
            );
          })}
        </ol>
      </div>
      <RunSheet manifest={manifest} title={title} />
    </>
  );
}
