import { useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import { useTranslation } from "react-i18next";
import { SubmitButton } from "~/components/forms";
import {
  MONTHS,
  PRODUCT_STATUSES,
  productFormSchema,
  type ProductForm as ProductFormValue,
  type ProductKindName,
} from "~/modules/catalog/product-schema";
import { CheckboxField, CheckboxGroup, InputField, SelectField, TextAreaField } from "~/components/forms";
import { shortMonthNames } from "~/lib/time";
import { IntentForm, resultFor, usePending, type FormReply } from "./intent-form";

export type ProductFormDefaults = Record<string, string | string[] | boolean | undefined>;

function monthLabels(lng: string) {
  const names = shortMonthNames(lng);
  return MONTHS.map((m) => ({ value: String(m), label: names[m - 1]! }));
}

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <fieldset className="grid gap-4 rounded-2xl bg-white p-4 ring-1 ring-stone-200 sm:grid-cols-2">
      <legend className="px-1 text-base font-semibold">{title}</legend>
      {children}
    </fieldset>
  );
}

/**
 * The product form; which fields it shows depends on the kind. Read-only roles see it
 * disabled. Posts intent "product" to the page it is on.
 */
export function ProductForm({
  kind,
  defaultValue,
  reply,
  readOnly = false,
  submitLabel,
  slugPrefix,
}: {
  kind: ProductKindName;
  defaultValue: ProductFormDefaults;
  reply: FormReply;
  readOnly?: boolean;
  submitLabel: string;
  /** Shown before the slug field, e.g. "/s/yangshan-peach/p/". */
  slugPrefix: string;
}) {
  const { t, i18n } = useTranslation();
  const [form, fields] = useForm<ProductFormValue>({
    id: "product",
    lastResult: resultFor(reply, "product"),
    defaultValue,
    constraint: getZodConstraint(productFormSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: productFormSchema }),
  });
  const months = monthLabels(i18n.language);
  const submitting = usePending(form.id);

  const storage = (
    <>
      <InputField
        meta={fields.shelfLifeDays}
        label={t("catalog.product.shelfLifeDays")}
        type="number"
        inputMode="numeric"
      />
      <InputField
        meta={fields.storageZh}
        label={t("catalog.product.storageZh")}
        hint={t("catalog.product.storageHint")}
      />
      <InputField meta={fields.storageEn} label={t("catalog.product.storageEn")} />
    </>
  );
  const geographicIndication = (
    <>
      <InputField meta={fields.giName} label={t("catalog.product.giName")} hint={t("catalog.product.giHint")} />
      <InputField meta={fields.giAuthNumber} label={t("catalog.product.giAuthNumber")} />
    </>
  );
  const season = (required: boolean) => (
    <div className="sm:col-span-2">
      <CheckboxGroup
        meta={fields.harvestMonths}
        legend={t(required ? "catalog.product.harvestMonths" : "catalog.product.seasonMonths")}
        hint={t(required ? "catalog.product.harvestMonthsHint" : "catalog.product.seasonMonthsHint")}
        options={months}
      />
    </div>
  );

  return (
    <IntentForm form={form} intent="product" hidden={{ kind }} className="flex flex-col gap-5">
      <fieldset disabled={readOnly} className="flex flex-col gap-5">
        <Section title={t("catalog.product.basics")}>
          <InputField meta={fields.titleZh} label={t("catalog.product.titleZh")} />
          <InputField meta={fields.titleEn} label={t("catalog.product.titleEn")} />
          <InputField
            meta={fields.slug}
            label={t("catalog.product.slug")}
            hint={t("catalog.product.slugHint", { prefix: slugPrefix })}
            className="sm:col-span-2"
          />
          <TextAreaField meta={fields.summaryZh} label={t("catalog.product.summaryZh")} rows={3} />
          <TextAreaField meta={fields.summaryEn} label={t("catalog.product.summaryEn")} rows={3} />
          <TextAreaField
            meta={fields.descriptionZh}
            label={t("catalog.product.descriptionZh")}
            hint={t("catalog.product.descriptionHint")}
            rows={6}
          />
          <TextAreaField meta={fields.descriptionEn} label={t("catalog.product.descriptionEn")} rows={6} />
        </Section>

        <Section title={t("catalog.product.publishing")}>
          <SelectField
            meta={fields.status}
            label={t("catalog.product.status")}
            hint={t("catalog.product.statusHint")}
            options={PRODUCT_STATUSES.map((s) => ({ value: s, label: t(`catalog.status.${s}`) }))}
          />
          <CheckboxField
            meta={fields.featured}
            label={t("catalog.product.featured")}
            hint={t("catalog.product.featuredHint")}
          />
        </Section>

        {kind === "PRODUCE" ? (
          <>
            <Section title={t("catalog.product.produceDetails")}>
              {season(true)}
              <CheckboxField
                meta={fields.coldChain}
                label={t("catalog.product.coldChain")}
                hint={t("catalog.product.coldChainHint")}
              />
              {storage}
            </Section>
            <Section title={t("catalog.product.presaleSection")}>
              <div className="sm:col-span-2">
                <CheckboxField
                  meta={fields.presale}
                  label={t("catalog.product.presale")}
                  hint={t("catalog.product.presaleHint")}
                />
              </div>
              <InputField
                meta={fields.presaleYieldCap}
                label={t("catalog.product.presaleYieldCap")}
                hint={t("catalog.product.presaleYieldCapHint")}
                type="number"
                inputMode="numeric"
              />
              <InputField meta={fields.presaleShipBy} label={t("catalog.product.presaleShipBy")} type="date" />
            </Section>
            <Section title={t("catalog.product.giSection")}>{geographicIndication}</Section>
          </>
        ) : null}

        {kind === "SPECIALTY" ? (
          <Section title={t("catalog.product.specialtyDetails")}>
            {geographicIndication}
            {storage}
            {season(false)}
          </Section>
        ) : null}

        {kind === "EXPERIENCE" ? (
          <Section title={t("catalog.product.experienceDetails")}>
            <InputField
              meta={fields.durationMinutes}
              label={t("catalog.product.durationMinutes")}
              hint={t("catalog.product.durationHint")}
              type="number"
              inputMode="numeric"
            />
            <div className="hidden sm:block" />
            <InputField meta={fields.meetingPointZh} label={t("catalog.product.meetingPointZh")} />
            <InputField meta={fields.meetingPointEn} label={t("catalog.product.meetingPointEn")} />
            <TextAreaField
              meta={fields.includedZh}
              label={t("catalog.product.includedZh")}
              hint={t("catalog.product.includedHint")}
              rows={3}
            />
            <TextAreaField meta={fields.includedEn} label={t("catalog.product.includedEn")} rows={3} />
            {season(false)}
          </Section>
        ) : null}

        {readOnly ? null : (
          <div>
            <SubmitButton pending={submitting}>{submitLabel}</SubmitButton>
          </div>
        )}
      </fieldset>
    </IntentForm>
  );
}
