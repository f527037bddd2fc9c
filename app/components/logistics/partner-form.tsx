import { getCollectionProps, getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import { Form, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import {
  CheckboxGroup,
  CsrfInput,
  FormError,
  SelectField,
  SubmitButton,
  TextField,
  useErrorText,
} from "~/components/forms";
import { PARTNER_KINDS, PARTNER_SERVICES } from "~/modules/logistics/partner-kinds";
import { newPartnerSchema, partnerSchema } from "~/modules/logistics/partner-schema";

export interface PartnerDefaults {
  nameZh: string;
  nameEn: string | null;
  kind: string;
  services: string[];
  areas: string[];
  contactName: string | null;
  contactPhone: string | null;
  webhookUrl: string | null;
}

/**
 * Create or edit a partner (the platform admin's and the coordinator's pages). The areas are the
 * county's own townships and villages; "all of the county" stores none.
 */
export function PartnerForm({
  mode,
  county,
  areas,
  defaults,
  lastResult,
  httpsOnly,
}: {
  mode: "create" | "edit";
  /** The county a new partner belongs to (its code). */
  county?: string;
  areas: { towns: string[]; villages: string[] };
  defaults?: PartnerDefaults;
  lastResult?: SubmissionResult<string[]> | null;
  httpsOnly: boolean;
}) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const navigation = useNavigation();
  const schema = mode === "create" ? newPartnerSchema({ httpsOnly }) : partnerSchema({ httpsOnly });
  const [form, fields] = useForm({
    id: `partner-${mode}`,
    lastResult,
    constraint: getZodConstraint(schema),
    shouldValidate: "onBlur",
    defaultValue: defaults
      ? {
          nameZh: defaults.nameZh,
          kind: defaults.kind,
          services: defaults.services,
          areas: defaults.areas,
          nameEn: defaults.nameEn ?? "",
          contactName: defaults.contactName ?? "",
          contactPhone: defaults.contactPhone ?? "",
          webhookUrl: defaults.webhookUrl ?? "",
          coverage: defaults.areas.length ? "some" : "all",
        }
      : { kind: "COUNTY_CENTRE", services: ["HOME", "PICKUP_POINT", "LOCKER"], coverage: "all" },
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
  });
  const areaOptions = [...areas.towns, ...areas.villages.filter((v) => !areas.towns.includes(v))];
  const coverageError = errorText(fields.coverage.errors?.[0]);
  const areasError = errorText(fields.areas.errors?.[0]);
  return (
    <Form method="post" {...getFormProps(form)} className="flex flex-col gap-4">
      <CsrfInput />
      <input type="hidden" name="intent" value={mode === "create" ? "create" : "edit"} />
      {county ? <input type="hidden" name="county" value={county} /> : null}
      <FormError errors={form.errors} />
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField meta={fields.nameZh} label={t("logisticsPartners.form.nameZh")} />
        <TextField meta={fields.nameEn} label={t("logisticsPartners.form.nameEn")} />
        <SelectField
          meta={fields.kind}
          label={t("logisticsPartners.form.kind")}
          options={PARTNER_KINDS.map((k) => ({ value: k, label: t(`logisticsPartners.kinds.${k}`) }))}
        />
      </div>
      <CheckboxGroup
        meta={fields.services}
        legend={t("logisticsPartners.form.services")}
        options={PARTNER_SERVICES.map((s) => ({ value: s, label: t(`logisticsPartners.services.${s}`) }))}
        columns="grid-cols-1 sm:grid-cols-4"
      />
      <fieldset className="flex flex-col gap-2" aria-invalid={coverageError || areasError ? true : undefined}>
        <legend className="mb-1 text-sm font-medium text-stone-800">{t("logisticsPartners.form.coverage")}</legend>
        {getCollectionProps(fields.coverage, { type: "radio", options: ["all", "some"] }).map((props) => (
          <label key={props.key} className="flex min-h-11 items-center gap-2">
            <input {...props} key={props.key} className="size-5 accent-leaf" />
            <span>
              {t(props.value === "all" ? "logisticsPartners.form.coverageAll" : "logisticsPartners.form.coverageSome")}
            </span>
          </label>
        ))}
        {coverageError ? (
          <p className="text-sm text-red-700" role="alert">
            {coverageError}
          </p>
        ) : null}
        {areaOptions.length === 0 ? (
          <p className="text-sm text-stone-600">{t("logisticsPartners.form.noAreas")}</p>
        ) : (
          <div className="grid grid-cols-1 gap-1 sm:grid-cols-3">
            {getCollectionProps(fields.areas, { type: "checkbox", options: areaOptions }).map((props) => (
              <label
                key={props.key}
                className="flex min-h-11 items-center gap-2 rounded-lg bg-white px-2 ring-1 ring-stone-200 has-[:checked]:bg-leaf/10"
              >
                <input {...props} key={props.key} className="size-5 accent-leaf" />
                <span className="text-sm">
                  {props.value}{" "}
                  <span className="text-stone-500">
                    {areas.towns.includes(props.value)
                      ? t("logisticsPartners.form.towns")
                      : t("logisticsPartners.form.villages")}
                  </span>
                </span>
              </label>
            ))}
          </div>
        )}
        {areasError ? (
          <p className="text-sm text-red-700" role="alert">
            {areasError}
          </p>
        ) : null}
      </fieldset>
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField meta={fields.contactName} label={t("logisticsPartners.form.contactName")} />
        <TextField meta={fields.contactPhone} label={t("logisticsPartners.form.contactPhone")} type="tel" />
        <TextField
          meta={fields.webhookUrl}
          label={t("logisticsPartners.form.webhookUrl")}
          hint={t(httpsOnly ? "logisticsPartners.form.webhookHintHttps" : "logisticsPartners.form.webhookHint")}
          type="url"
          className="sm:col-span-2"
        />
      </div>
      <div>
        <SubmitButton pending={navigation.state === "submitting"}>
          {t(mode === "create" ? "logisticsPartners.form.add" : "logisticsPartners.form.save")}
        </SubmitButton>
      </div>
    </Form>
  );
}
