import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CsrfInput } from "~/components/forms";
import { formatDateTime } from "~/lib/time";
import type { PartnerListActionData, PartnerListData } from "~/modules/logistics/partner-admin-pages.server";
import { PartnerForm } from "./partner-form";
import { ShownOnce } from "./shown-once";

// The county's partners, the form to add one and the shipments waiting for a partner: the same
// page for the platform admin (/platform/logistics, every county, filtered) and a county's
// coordinator (/county/:code/logistics). `base` is where partner pages live.

export function PartnersPage({ base, countyFilter }: { base: string; countyFilter: boolean }) {
  const { t, i18n } = useTranslation();
  const data = useLoaderData<PartnerListData>();
  const action = useActionData<PartnerListActionData>();
  const en = i18n.language === "en";
  const lng = i18n.language;
  const countyName = (code: string) => {
    const c = data.counties.find((x) => x.code === code);
    return c ? (en ? c.nameEn : c.nameZh) : code;
  };
  return (
    <div className="flex flex-col gap-5">
      <div>
        <h1 className="text-2xl font-bold">{t("logisticsPartners.title")}</h1>
        <p className="mt-1 text-sm text-stone-600">{t("logisticsPartners.intro")}</p>
      </div>

      {countyFilter ? (
        <Form method="get" className="flex flex-wrap items-end gap-2">
          <label className="flex flex-col gap-1 text-sm font-medium">
            {t("logisticsPartners.filterCounty")}
            <select
              name="county"
              defaultValue={data.selectedCounty ?? ""}
              className="min-h-11 rounded-lg border border-stone-300 bg-white px-3"
            >
              <option value="">{t("logisticsPartners.allCounties")}</option>
              {data.counties.map((c) => (
                <option key={c.code} value={c.code}>
                  {en ? c.nameEn : c.nameZh} ({c.code})
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className="min-h-11 rounded-full px-4 font-medium ring-1 ring-stone-300">
            {t("logisticsPartners.filter")}
          </button>
        </Form>
      ) : null}

      {action?.intent === "created" ? (
        <section role="status" className="flex flex-col gap-3 rounded-2xl bg-emerald-50 p-4 ring-1 ring-emerald-200">
          <h2 className="text-lg font-semibold">{t("logisticsPartners.created.title", { name: action.name })}</h2>
          <p className="text-sm">{t("logisticsPartners.created.text")}</p>
          <ShownOnce label={t("logisticsPartners.created.apiKey")} value={action.apiKey} />
          <ShownOnce label={t("logisticsPartners.created.signingSecret")} value={action.signingSecret} />
          <Link to={`${base}/${action.partnerId}`} className="font-medium text-leaf underline">
            {t("logisticsPartners.created.open")}
          </Link>
        </section>
      ) : null}

      {data.partners.length === 0 ? (
        <div className="rounded-2xl bg-white p-6 ring-1 ring-stone-200">
          <h2 className="font-semibold">{t("logisticsPartners.emptyTitle")}</h2>
          <p className="mt-1 text-stone-600">{t("logisticsPartners.emptyText")}</p>
        </div>
      ) : (
        <ul className="flex flex-col gap-2">
          {data.partners.map((p) => (
            <li key={p.id} className="rounded-xl bg-white p-3 ring-1 ring-stone-200" data-testid={`partner-${p.id}`}>
              <div className="flex flex-wrap items-baseline justify-between gap-2">
                <span className="font-medium">
                  {en && p.nameEn ? p.nameEn : p.nameZh}
                  {!p.active ? (
                    <span className="ml-2 rounded bg-stone-200 px-1 text-xs">{t("logisticsPartners.inactive")}</span>
                  ) : null}
                </span>
                <Link
                  to={`${base}/${p.id}`}
                  className="inline-flex min-h-11 items-center font-medium text-leaf underline"
                >
                  {t("logisticsPartners.open")}
                </Link>
              </div>
              <p className="text-sm text-stone-700">
                {t(`logisticsPartners.kinds.${p.kind}`)}
                {countyFilter ? ` · ${en ? p.county.nameEn : p.county.nameZh}` : ""} ·{" "}
                {p.services.map((s) => t(`logisticsPartners.services.${s}`)).join("、")}
              </p>
              <p className="text-sm text-stone-600">
                {p.areas.length ? p.areas.join("、") : t("logisticsPartners.allCounty")} ·{" "}
                {t("logisticsPartners.keys", { count: p.activeKeys })}
              </p>
              <p className={`text-sm ${p.webhookDisabledAt ? "font-medium text-red-700" : "text-stone-600"}`}>
                {!p.webhookUrl
                  ? t("logisticsPartners.push.none")
                  : p.webhookDisabledAt
                    ? t("logisticsPartners.push.off", { since: formatDateTime(p.webhookDisabledAt, lng) })
                    : p.webhookFailingSince
                      ? t("logisticsPartners.push.failing", { since: formatDateTime(p.webhookFailingSince, lng) })
                      : t("logisticsPartners.push.on")}
              </p>
            </li>
          ))}
        </ul>
      )}

      <section aria-labelledby="add-partner" className="rounded-2xl bg-white p-4 ring-1 ring-stone-200">
        <h2 id="add-partner" className="mb-3 text-lg font-semibold">
          {t("logisticsPartners.form.addTitle")}
          {data.selectedCounty ? ` · ${countyName(data.selectedCounty)}` : ""}
        </h2>
        {data.selectedCounty && data.areas ? (
          <PartnerForm
            mode="create"
            county={data.selectedCounty}
            areas={data.areas}
            httpsOnly={data.httpsOnly}
            lastResult={action?.intent === "create" ? action.result : null}
          />
        ) : (
          <p className="text-sm text-stone-600">{t("logisticsPartners.form.chooseCounty")}</p>
        )}
      </section>

      <UnassignedList countyName={countyFilter ? countyName : null} />
    </div>
  );
}

function UnassignedList({ countyName }: { countyName: ((code: string) => string) | null }) {
  const { t, i18n } = useTranslation();
  const data = useLoaderData<PartnerListData>();
  const action = useActionData<PartnerListActionData>();
  const en = i18n.language === "en";
  return (
    <section aria-labelledby="unassigned" className="rounded-2xl bg-white p-4 ring-1 ring-stone-200">
      <h2 id="unassigned" className="text-lg font-semibold">
        {t("logisticsPartners.unassigned.title")} ({data.unassigned.length})
      </h2>
      <p className="mt-1 text-sm text-stone-600">{t("logisticsPartners.unassigned.intro")}</p>
      {action?.intent === "assigned" ? (
        <p role="status" className="mt-2 rounded-lg bg-emerald-50 px-3 py-2 text-emerald-900 ring-1 ring-emerald-200">
          {t("logisticsPartners.unassigned.assigned")}
        </p>
      ) : null}
      {action?.intent === "assign" && !action.shipment ? (
        <p role="alert" className="mt-2 rounded-lg bg-red-50 px-3 py-2 text-sm text-red-800 ring-1 ring-red-200">
          {t(action.error)}
        </p>
      ) : null}
      {data.unassigned.length === 0 ? (
        <p className="mt-3 text-stone-600">{t("logisticsPartners.unassigned.empty")}</p>
      ) : (
        <ul className="mt-3 flex flex-col gap-2">
          {data.unassigned.map((s) => {
            const partners = data.assignable.filter((p) => p.county === s.county);
            const error = action?.intent === "assign" && action.shipment === s.id ? action.error : null;
            return (
              <li key={s.id} className="rounded-xl p-3 ring-1 ring-stone-200" data-testid={`unassigned-${s.id}`}>
                <p className="font-medium">
                  {s.orderNumber} · {en ? s.shop.nameEn : s.shop.nameZh}
                </p>
                <p className="text-sm text-stone-700">
                  {countyName ? `${countyName(s.county)} · ` : ""}
                  {s.shop.townZh ? `${s.shop.townZh} ` : ""}
                  {s.shop.villageZh} · {t(`logisticsPartners.delivery.${s.delivery}`)}
                  {s.pickupPoint ? ` (${en ? s.pickupPoint.nameEn : s.pickupPoint.nameZh})` : ""} ·{" "}
                  {t("logisticsPartners.unassigned.parcels", {
                    count: s.parcelCount,
                    kg: (s.weightGrams / 1000).toFixed(1),
                  })}
                  {s.coldChain ? (
                    <span className="ml-2 rounded bg-sky-100 px-1 text-xs text-sky-900">
                      {t("logisticsPartners.unassigned.coldChain")}
                    </span>
                  ) : null}
                </p>
                {s.reason ? (
                  <p className="text-sm text-amber-800">
                    {t("logisticsPartners.unassigned.rejected", { reason: s.reason })}
                  </p>
                ) : null}
                {partners.length === 0 ? (
                  <p className="mt-1 text-sm text-stone-600">{t("logisticsPartners.unassigned.noPartner")}</p>
                ) : (
                  <Form method="post" className="mt-2 flex flex-wrap items-end gap-2">
                    <CsrfInput />
                    <input type="hidden" name="intent" value="assign" />
                    <input type="hidden" name="shipment" value={s.id} />
                    <label className="flex min-w-0 flex-1 flex-col gap-1 text-sm font-medium">
                      {t("logisticsPartners.unassigned.partner")}
                      <select
                        name="partner"
                        required
                        defaultValue=""
                        aria-invalid={error ? true : undefined}
                        className="min-h-11 w-full rounded-lg border border-stone-300 bg-white px-3"
                      >
                        <option value="">{t("logisticsPartners.unassigned.choose")}</option>
                        {partners.map((p) => (
                          <option key={p.id} value={p.id}>
                            {en && p.nameEn ? p.nameEn : p.nameZh} —{" "}
                            {p.services.map((x) => t(`logisticsPartners.services.${x}`)).join("、")}
                          </option>
                        ))}
                      </select>
                    </label>
                    <button type="submit" className="min-h-11 rounded-full bg-leaf px-4 font-semibold text-white">
                      {t("logisticsPartners.unassigned.assign")}
                    </button>
                    {error ? (
                      <p role="alert" className="w-full text-sm text-red-700">
                        {t(error)}
                      </p>
                    ) : null}
                  </Form>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
