import { parseWithZod } from "@conform-to/zod";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CsrfInput } from "~/components/form-basics";
import { ShipmentCard } from "~/components/logistics/shipment-card";
import { TotalsLine } from "~/components/logistics/run-sheet";
import { getFixedT } from "~/lib/i18n.server";
import { readForm } from "~/lib/request-bounds.server";
import { formatDateTime } from "~/lib/time";
import { requireCsrf } from "~/modules/identity/csrf.server";
import { collectStop } from "~/modules/logistics/manifests.cross-shop.server";
import { reportShipmentEvent } from "~/modules/logistics/partner-actions.cross-shop.server";
import { collectFormSchema, portalEventFormSchema, portalEventId } from "~/modules/logistics/portal-forms";
import { requirePortalRun, stopOf } from "~/modules/logistics/portal-access.server";

// /logistics/runs/:id/stops/:stopId — one stop's parcels: "collected" for the stop, and per
// parcel delivered / failed (with the reason) / in a locker (with its pickup code) / returned.
// Each form carries a nonce made with the page, so a double press is one event.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { manifest } = await requirePortalRun(request, params.id);
  const { stop, township, village } = stopOf(manifest, params.stopId);
  const { t } = await getFixedT(request);
  const shipments = [...stop.shipments, ...stop.coldChain].map((s) => ({
    ...s,
    nonce: crypto.randomUUID().replace(/-/g, ""),
  }));
  return {
    title: t("portal.stop.title", { name: stop.cooperative.name }),
    run: { id: manifest.id, route: manifest.route, runDate: manifest.runDate },
    township,
    village,
    stop: { id: stop.id, cooperative: stop.cooperative, collectedAt: stop.collectedAt, totals: stop.totals },
    shipments,
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

type ActionData = { shipmentId: string | null; error: string; fields?: Record<string, string> };

export async function action({ request, params }: ActionFunctionArgs) {
  const formData = await readForm(request);
  await requireCsrf(request, formData);
  const { user, partnerId, manifest } = await requirePortalRun(request, params.id);
  const { stop } = stopOf(manifest, params.stopId);
  const here = `/logistics/runs/${manifest.id}/stops/${stop.id}`;
  if (formData.get("intent") === "collect") {
    if (parseWithZod(formData, { schema: collectFormSchema }).status !== "success")
      return data<ActionData>({ shipmentId: null, error: "portal.shipment.errors.unknownAction" }, { status: 400 });
    const outcome = await collectStop({
      partnerId,
      manifestId: manifest.id,
      stopId: stop.id,
      actorUserId: user.id,
      source: "PORTAL",
    });
    if (!outcome.ok) throw new Response(null, { status: 404, statusText: "Not Found" });
    return redirect(`${here}?collected=1`);
  }
  const submission = parseWithZod(formData, { schema: portalEventFormSchema });
  const shipmentId = String(formData.get("shipmentId") ?? "");
  // Only a parcel of this stop: any other id (another stop's, another partner's) is not found.
  const shipment = [...stop.shipments, ...stop.coldChain].find((s) => s.id === shipmentId);
  if (!shipment) throw new Response(null, { status: 404, statusText: "Not Found" });
  if (submission.status !== "success") {
    const fields: Record<string, string> = {};
    for (const [name, errors] of Object.entries(submission.error ?? {})) if (errors?.[0]) fields[name] = errors[0];
    return data<ActionData>(
      { shipmentId, error: fields.reason ?? fields.lockerCode ?? "portal.shipment.errors.unknownAction", fields },
      { status: 400 },
    );
  }
  const form = submission.value;
  const outcome = await reportShipmentEvent({
    partnerId,
    shipmentId: shipment.id,
    event: {
      eventId: portalEventId(form),
      type: form.type,
      at: new Date(),
      note: form.type === "failed" ? form.reason : null,
      lockerCode: form.type === "in_locker" ? form.lockerCode : null,
      // Cash on delivery: the portal's "delivered" means the amount to collect was collected.
      codCollectedFen: form.type === "delivered" && shipment.codAmountFen > 0 ? shipment.codAmountFen : null,
    },
    actorUserId: user.id,
    source: "PORTAL",
  });
  if (!outcome.ok) {
    if (outcome.error === "notFound") throw new Response(null, { status: 404, statusText: "Not Found" });
    const { t } = await getFixedT(request);
    const status = t(`portal.shipment.status.${(outcome.status ?? "cancelled").toLowerCase()}`);
    return data<ActionData>(
      { shipmentId, error: `portal.shipment.errors.notAllowed|${JSON.stringify({ status })}` },
      { status: 409 },
    );
  }
  return redirect(`${here}?recorded=${form.type}#s-${shipment.id}`);
}

export default function PortalStop() {
  const { t, i18n } = useTranslation();
  const { run, township, village, stop, shipments } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [params] = useSearchParams();
  const recorded = params.get("recorded");
  const eventLabel: Record<string, string> = {
    delivered: "delivered",
    failed: "failed",
    in_locker: "inLocker",
    returned: "returned",
  };
  return (
    <div className="flex flex-col gap-4">
      <nav className="text-sm">
        <Link to={`/logistics/runs/${run.id}#stop-${stop.id}`} className="text-stone-600 underline underline-offset-4">
          {t("portal.stop.back")} · {t("portal.run.title", { route: run.route, date: run.runDate })}
        </Link>
      </nav>
      <div className="flex flex-col gap-1">
        <span className="text-sm text-stone-600">
          {township} · {village}
        </span>
        <h1 className="text-2xl font-bold">{stop.cooperative.name}</h1>
        <span className="text-sm">{stop.cooperative.address}</span>
        {stop.cooperative.contactPhone ? (
          <a href={`tel:${stop.cooperative.contactPhone}`} className="text-leaf underline underline-offset-4">
            {stop.cooperative.contactName ?? ""} {t("portal.stop.call", { phone: stop.cooperative.contactPhone })}
          </a>
        ) : null}
        <TotalsLine totals={stop.totals} />
      </div>
      {params.get("collected") ? (
        <p role="status" className="rounded-lg bg-emerald-50 px-3 py-2 text-emerald-900 ring-1 ring-emerald-200">
          {t("portal.stop.collectedNotice")}
        </p>
      ) : null}
      {recorded && eventLabel[recorded] && !actionData ? (
        <p role="status" className="rounded-lg bg-emerald-50 px-3 py-2 text-emerald-900 ring-1 ring-emerald-200">
          {t("portal.shipment.recorded", { event: t(`portal.shipment.${eventLabel[recorded]}`) })}
        </p>
      ) : null}
      {stop.collectedAt ? (
        <p className="inline-flex min-h-12 items-center self-start rounded-full bg-emerald-100 px-4 font-semibold text-emerald-900">
          {t("portal.stop.collectedAt", { time: formatDateTime(stop.collectedAt, i18n.language) })}
        </p>
      ) : (
        <Form method="post">
          <CsrfInput />
          <input type="hidden" name="intent" value="collect" />
          <button
            type="submit"
            disabled={navigation.state === "submitting" && navigation.formData?.get("intent") === "collect"}
            className="min-h-12 w-full rounded-full bg-leaf px-6 text-lg font-semibold text-white disabled:opacity-60 sm:w-auto"
          >
            {t("portal.stop.collect")}
          </button>
        </Form>
      )}
      {shipments.length === 0 ? <p className="text-stone-600">{t("portal.stop.nothing")}</p> : null}
      <ul className="flex flex-col gap-3">
        {shipments.map((s) => (
          <ShipmentCard
            key={s.id}
            shipment={s}
            error={actionData && actionData.shipmentId === s.id ? actionData : null}
            busy={navigation.state === "submitting" && navigation.formData?.get("shipmentId") === s.id}
          />
        ))}
      </ul>
    </div>
  );
}
