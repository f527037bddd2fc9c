import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CsrfInput, FormError, SubmitButton, TextField } from "~/components/forms";
import { formatDateTime } from "~/lib/time";
import type { PartnerPageActionData, PartnerPageData } from "~/modules/logistics/partner-admin-pages.server";
import { apiKeySchema } from "~/modules/logistics/partner-schema";
import { PartnerForm } from "./partner-form";
import { ShownOnce } from "./shown-once";

// One partner: its keys, signing secret, push endpoint and details. Shared by
// /platform/logistics/:partner and /county/:code/logistics/:partner; `base` is the list page.

const button = "min-h-11 rounded-full px-4 font-medium ring-1 ring-stone-300 hover:bg-stone-100";

export function PartnerPageView({ base }: { base: string }) {
  const { t, i18n } = useTranslation();
  const { partner, areas, httpsOnly } = useLoaderData<PartnerPageData>();
  const action = useActionData<PartnerPageActionData>();
  const lng = i18n.language;
  const en = lng === "en";
  const activeKeys = partner.apiKeys.filter((k) => !k.revokedAt).length;
  return (
    <div className="flex flex-col gap-5">
      <div>
        <Link to={base} className="text-sm text-leaf underline">
          ← {t("logisticsPartners.page.back")}
        </Link>
        <h1 className="mt-1 text-2xl font-bold">
          {en && partner.nameEn ? partner.nameEn : partner.nameZh}
          {!partner.active ? (
            <span className="ml-2 rounded bg-stone-200 px-1 align-middle text-sm">
              {t("logisticsPartners.inactive")}
            </span>
          ) : null}
        </h1>
        <p className="text-sm text-stone-600">
          {t(`logisticsPartners.kinds.${partner.kind}`)} · {t("logisticsPartners.page.county")}{" "}
          {en ? partner.county.nameEn : partner.county.nameZh} ({partner.county.code}) ·{" "}
          {t("logisticsPartners.keys", { count: activeKeys })}
        </p>
      </div>

      {action?.intent === "done" ? (
        <p role="status" className="rounded-lg bg-emerald-50 px-3 py-2 text-emerald-900 ring-1 ring-emerald-200">
          {t(`logisticsPartners.done.${action.done}`)}
        </p>
      ) : null}
      {action?.intent === "error" ? (
        <p role="alert" className="rounded-lg bg-red-50 px-3 py-2 text-red-800 ring-1 ring-red-200">
          {t(action.error)}
        </p>
      ) : null}

      <EndpointSection base={base} />

      <section aria-labelledby="keys" className="flex flex-col gap-3 rounded-2xl bg-white p-4 ring-1 ring-stone-200">
        <h2 id="keys" className="text-lg font-semibold">
          {t("logisticsPartners.keys.title")}
        </h2>
        <p className="text-sm text-stone-600">{t("logisticsPartners.keys.intro")}</p>
        {action?.intent === "keyCreated" ? (
          <div role="status" className="rounded-lg bg-emerald-50 p-3 ring-1 ring-emerald-200">
            <ShownOnce label={action.prefix} value={action.key} hint={t("logisticsPartners.keys.shownOnce")} />
          </div>
        ) : null}
        {partner.apiKeys.length === 0 ? (
          <p className="text-stone-600">{t("logisticsPartners.keys.empty")}</p>
        ) : (
          <ul className="flex flex-col gap-2">
            {partner.apiKeys.map((k) => (
              <li key={k.id} className="rounded-xl p-3 ring-1 ring-stone-200" data-testid={`key-${k.id}`}>
                <p className="font-mono text-sm">
                  {k.prefix}… <span className="font-sans">{k.label}</span>
                </p>
                <p className="text-sm text-stone-600">
                  {t("logisticsPartners.keys.created")} {formatDateTime(k.createdAt, lng)} ·{" "}
                  {t("logisticsPartners.keys.lastUsed")}{" "}
                  {k.lastUsedAt ? formatDateTime(k.lastUsedAt, lng) : t("logisticsPartners.keys.never")}
                </p>
                {k.revokedAt ? (
                  <p className="text-sm font-medium text-red-700">
                    {t("logisticsPartners.keys.revoked", { when: formatDateTime(k.revokedAt, lng) })}
                  </p>
                ) : (
                  // A confirmation that works without JavaScript: the box must be ticked.
                  <details className="mt-1">
                    <summary className="inline-flex min-h-11 cursor-pointer items-center text-sm font-medium text-red-700">
                      {t("logisticsPartners.keys.revoke")}
                    </summary>
                    <Form method="post" className="mt-2 flex flex-col gap-2">
                      <CsrfInput />
                      <input type="hidden" name="intent" value="revokeKey" />
                      <input type="hidden" name="key" value={k.id} />
                      <p className="text-sm">{t("logisticsPartners.keys.revokeConfirm")}</p>
                      <label className="flex min-h-11 items-center gap-2 text-sm">
                        <input type="checkbox" required name="confirm" value="yes" className="size-5" />
                        {t("logisticsPartners.keys.revokeCheck", { prefix: k.prefix })}
                      </label>
                      <div>
                        <button
                          type="submit"
                          className="min-h-11 rounded-full bg-red-700 px-4 font-semibold text-white"
                        >
                          {t("logisticsPartners.keys.revoke")}
                        </button>
                      </div>
                    </Form>
                  </details>
                )}
              </li>
            ))}
          </ul>
        )}
        <NewKeyForm />
      </section>

      <section aria-labelledby="secret" className="flex flex-col gap-3 rounded-2xl bg-white p-4 ring-1 ring-stone-200">
        <h2 id="secret" className="text-lg font-semibold">
          {t("logisticsPartners.secret.title")}
        </h2>
        <p className="text-sm text-stone-600">{t("logisticsPartners.secret.intro")}</p>
        {action?.intent === "secretRotated" ? (
          <div role="status" className="flex flex-col gap-2 rounded-lg bg-emerald-50 p-3 ring-1 ring-emerald-200">
            <ShownOnce
              label={t("logisticsPartners.secret.title")}
              value={action.secret}
              hint={t("logisticsPartners.secret.shownOnce")}
            />
            <p className="text-sm">{t("logisticsPartners.secret.overlap", { hours: action.overlapHours })}</p>
          </div>
        ) : null}
        <p className="text-sm">{t("logisticsPartners.secret.active", { count: partner.signingSecrets.length })}</p>
        {partner.signingSecrets
          .filter((s) => s.retiresAt)
          .slice(0, 1)
          .map((s) => (
            <p key={s.id} className="text-sm text-stone-700">
              {t("logisticsPartners.secret.retires", { when: formatDateTime(s.retiresAt!, lng) })}
            </p>
          ))}
        <Form method="post" className="flex flex-col gap-2">
          <CsrfInput />
          <input type="hidden" name="intent" value="rotateSecret" />
          <p className="text-sm text-stone-600">{t("logisticsPartners.secret.rotateHint")}</p>
          <div>
            <button type="submit" className={button}>
              {t("logisticsPartners.secret.rotate")}
            </button>
          </div>
        </Form>
      </section>

      <section aria-labelledby="edit" className="rounded-2xl bg-white p-4 ring-1 ring-stone-200">
        <h2 id="edit" className="mb-3 text-lg font-semibold">
          {t("logisticsPartners.form.editTitle")}
        </h2>
        <PartnerForm
          mode="edit"
          areas={areas}
          httpsOnly={httpsOnly}
          defaults={partner}
          lastResult={action?.intent === "edit" ? action.result : null}
        />
      </section>

      <section className="flex flex-col gap-2 rounded-2xl bg-white p-4 ring-1 ring-stone-200">
        <Form method="post">
          <CsrfInput />
          <input type="hidden" name="intent" value={partner.active ? "deactivate" : "activate"} />
          <button type="submit" className={button}>
            {t(partner.active ? "logisticsPartners.page.deactivate" : "logisticsPartners.page.activate")}
          </button>
        </Form>
        <p className="text-sm text-stone-600">{t("logisticsPartners.page.deactivateHint")}</p>
      </section>
    </div>
  );
}

function EndpointSection({ base }: { base: string }) {
  const { t, i18n } = useTranslation();
  const { partner } = useLoaderData<PartnerPageData>();
  const lng = i18n.language;
  if (partner.webhookDisabledAt)
    return (
      <section role="alert" className="flex flex-col gap-2 rounded-2xl bg-red-50 p-4 ring-1 ring-red-300">
        <h2 className="text-lg font-semibold text-red-900">{t("logisticsPartners.endpoint.offTitle")}</h2>
        <p className="break-all text-sm text-red-900">
          {t("logisticsPartners.endpoint.offText", {
            url: partner.webhookUrl ?? "",
            since: formatDateTime(partner.webhookDisabledAt, lng),
          })}
        </p>
        <Form method="post">
          <CsrfInput />
          <input type="hidden" name="intent" value="reenableWebhook" />
          <button type="submit" className="min-h-11 rounded-full bg-red-700 px-4 font-semibold text-white">
            {t("logisticsPartners.endpoint.reenable")}
          </button>
        </Form>
        <DeliveriesLink base={base} />
      </section>
    );
  return (
    <section aria-labelledby="endpoint" className="flex flex-col gap-2 rounded-2xl bg-white p-4 ring-1 ring-stone-200">
      <h2 id="endpoint" className="text-lg font-semibold">
        {t("logisticsPartners.endpoint.title")}
      </h2>
      <p className="break-all text-sm">
        {partner.webhookUrl
          ? t("logisticsPartners.endpoint.on", { url: partner.webhookUrl })
          : t("logisticsPartners.endpoint.none")}
      </p>
      {partner.webhookFailingSince ? (
        <p className="text-sm font-medium text-amber-800">
          {t("logisticsPartners.endpoint.failing", { since: formatDateTime(partner.webhookFailingSince, lng) })}
        </p>
      ) : null}
      <DeliveriesLink base={base} />
    </section>
  );
}

/** The partner's pushed deliveries, and its staff's invitations (`base` is the list page). */
function DeliveriesLink({ base }: { base: string }) {
  const { t } = useTranslation();
  const { partner } = useLoaderData<PartnerPageData>();
  return (
    <p className="flex flex-wrap gap-4">
      <Link to={`${base}/${partner.id}/deliveries`} className="text-sm font-medium text-leaf underline">
        {t("logisticsPartners.page.deliveries")}
      </Link>
      <Link to={`/platform/logistics/${partner.id}/staff`} className="text-sm font-medium text-leaf underline">
        {t("logisticsPartners.page.staff")}
      </Link>
    </p>
  );
}

function NewKeyForm() {
  const { t } = useTranslation();
  const action = useActionData<PartnerPageActionData>();
  const [form, fields] = useForm({
    id: "new-key",
    lastResult: action?.intent === "createKey" ? action.result : null,
    constraint: getZodConstraint(apiKeySchema),
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: apiKeySchema }),
  });
  return (
    <Form method="post" {...getFormProps(form)} className="flex flex-col gap-2 border-t border-stone-200 pt-3">
      <CsrfInput />
      <input type="hidden" name="intent" value="createKey" />
      <FormError errors={form.errors} />
      <TextField meta={fields.label} label={t("logisticsPartners.keys.label")} />
      <div>
        <SubmitButton>{t("logisticsPartners.keys.create")}</SubmitButton>
      </div>
    </Form>
  );
}
