import {
  getFormProps,
  getInputProps,
  useForm,
  type SubmissionResult,
} from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import { Form, useFetcher } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import type { z } from "zod";
import {
  CERTIFICATION_KINDS,
  createShopSchema,
  MAX_CERTIFICATIONS,
  shopProfileSchema,
} from "~/modules/shops/profile-schema";
import { CsrfInput, FormError, SelectField, SubmitButton, TextAreaField, TextField } from "./forms";

// The cooperative's profile form, for creating a shop (with its slug) and for its settings.
// Works without JavaScript: adding and removing certification rows are submit buttons
// (Conform intents) that the server answers with the form redrawn.

export interface CountyOption {
  id: string;
  label: string;
}

type FormValues = z.input<typeof createShopSchema>;
export type ShopProfileDefaults = NonNullable<Parameters<typeof useForm<FormValues>>[0]["defaultValue"]>;

function Section({ title, intro, children }: { title: string; intro?: string; children: React.ReactNode }) {
  return (
    <fieldset className="flex flex-col gap-4 rounded-2xl bg-white p-4 ring-1 ring-stone-200">
      <legend className="float-left mb-1 w-full text-lg font-semibold">{title}</legend>
      {intro ? <p className="-mt-2 text-sm text-stone-600">{intro}</p> : null}
      {children}
    </fieldset>
  );
}

const pair = "grid gap-4 sm:grid-cols-2";

export function ShopProfileForm({
  mode,
  counties,
  defaultValue,
  lastResult,
  submitLabel,
  pending,
}: {
  mode: "create" | "edit";
  counties: CountyOption[];
  defaultValue?: ShopProfileDefaults;
  lastResult?: SubmissionResult<string[]> | null;
  submitLabel: string;
  pending: boolean;
}) {
  const { t } = useTranslation();
  const schema = mode === "create" ? createShopSchema : shopProfileSchema;
  const [form, fields] = useForm<FormValues>({
    id: `shop-profile-${mode}`,
    lastResult,
    defaultValue,
    constraint: getZodConstraint(schema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
  });
  const slugSuggestion = useSlugSuggestion(mode === "create", (slug) =>
    form.update({ name: fields.slug.name, value: slug }),
  );
  const certifications = fields.certifications.getFieldList();

  return (
    <Form method="post" {...getFormProps(form)} onInput={slugSuggestion.onInput} className="flex flex-col gap-5">
      <CsrfInput />
      <FormError errors={form.errors} />

      <Section title={t("shopsetup.form.basics")}>
        <div className={pair}>
          <TextField
            meta={fields.nameZh}
            label={t("shopsetup.form.nameZh")}
            hint={t("shopsetup.form.nameZhHint")}
            autoComplete="organization"
          />
          <TextField meta={fields.nameEn} label={t("shopsetup.form.nameEn")} hint={t("shopsetup.form.optional")} />
        </div>
        {mode === "create" ? (
          <TextField
            meta={fields.slug}
            label={t("shopsetup.form.slug")}
            hint={t("shopsetup.form.slugHint")}
            autoComplete="off"
          />
        ) : null}
      </Section>

      <Section title={t("shopsetup.form.place")}>
        {counties.length ? (
          <SelectField
            meta={fields.countyId}
            label={t("shopsetup.form.county")}
            placeholder={t("shopsetup.form.choose")}
            options={counties.map((c) => ({ value: c.id, label: c.label }))}
          />
        ) : (
          <p role="alert" className="rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-200">
            {t("shopsetup.form.noCounties")}
          </p>
        )}
        <div className={pair}>
          <TextField meta={fields.townZh} label={t("shopsetup.form.townZh")} hint={t("shopsetup.form.optional")} />
          <TextField meta={fields.townEn} label={t("shopsetup.form.townEn")} hint={t("shopsetup.form.optional")} />
        </div>
        <div className={pair}>
          <TextField meta={fields.villageZh} label={t("shopsetup.form.villageZh")} />
          <TextField
            meta={fields.villageEn}
            label={t("shopsetup.form.villageEn")}
            hint={t("shopsetup.form.optional")}
          />
        </div>
      </Section>

      <Section title={t("shopsetup.form.about")} intro={t("shopsetup.form.aboutIntro")}>
        <div className={pair}>
          <TextField
            meta={fields.taglineZh}
            label={t("shopsetup.form.taglineZh")}
            hint={t("shopsetup.form.taglineHint")}
          />
          <TextField
            meta={fields.taglineEn}
            label={t("shopsetup.form.taglineEn")}
            hint={t("shopsetup.form.optional")}
          />
        </div>
        <TextAreaField meta={fields.storyZh} label={t("shopsetup.form.storyZh")} hint={t("shopsetup.form.storyHint")} />
        <TextAreaField meta={fields.storyEn} label={t("shopsetup.form.storyEn")} hint={t("shopsetup.form.optional")} />
      </Section>

      <Section title={t("shopsetup.form.contact")} intro={t("shopsetup.form.contactIntro")}>
        <TextField meta={fields.contactName} label={t("shopsetup.form.contactName")} autoComplete="name" />
        <div className={pair}>
          <TextField
            meta={fields.contactPhone}
            label={t("shopsetup.form.contactPhone")}
            hint={t("shopsetup.form.contactPhoneHint")}
            type="tel"
            inputMode="tel"
            autoComplete="tel"
          />
          <TextField
            meta={fields.contactEmail}
            label={t("shopsetup.form.contactEmail")}
            hint={t("shopsetup.form.optional")}
            type="email"
            autoComplete="email"
          />
        </div>
      </Section>

      <Section title={t("shopsetup.form.credentials")}>
        <TextField
          meta={fields.creditCode}
          label={t("shopsetup.form.creditCode")}
          hint={t("shopsetup.form.creditCodeHint")}
          autoComplete="off"
        />
        <div className="flex flex-col gap-3">
          <h3 className="font-medium">{t("shopsetup.form.certifications")}</h3>
          {certifications.length === 0 ? (
            <p className="text-sm text-stone-600">{t("shopsetup.form.noCertifications")}</p>
          ) : null}
          <ol className="flex flex-col gap-3">
            {certifications.map((certification, index) => {
              const row = certification.getFieldset();
              return (
                <li
                  key={certification.key}
                  className="flex flex-col gap-3 rounded-xl bg-stone-50 p-3 ring-1 ring-stone-200"
                >
                  <input {...getInputProps(row.id, { type: "hidden" })} key={row.id.key} />
                  <p className="text-sm font-medium text-stone-700">
                    {t("shopsetup.form.certificationN", { n: index + 1 })}
                  </p>
                  <SelectField
                    meta={row.kind}
                    label={t("shopsetup.form.certKind")}
                    placeholder={t("shopsetup.form.choose")}
                    options={CERTIFICATION_KINDS.map((kind) => ({ value: kind, label: t(`cert.${kind}`) }))}
                  />
                  <div className={pair}>
                    <TextField
                      meta={row.nameZh}
                      label={t("shopsetup.form.certNameZh")}
                      hint={t("shopsetup.form.certNameHint")}
                    />
                    <TextField
                      meta={row.nameEn}
                      label={t("shopsetup.form.certNameEn")}
                      hint={t("shopsetup.form.optional")}
                    />
                  </div>
                  <TextField
                    meta={row.number}
                    label={t("shopsetup.form.certNumber")}
                    hint={t("shopsetup.form.optional")}
                  />
                  <button
                    {...form.remove.getButtonProps({ name: fields.certifications.name, index })}
                    className="self-start rounded-full px-3 py-2 text-sm text-red-700 underline underline-offset-4"
                  >
                    {t("shopsetup.form.removeCertification")}
                  </button>
                </li>
              );
            })}
          </ol>
          {certifications.length < MAX_CERTIFICATIONS ? (
            <button
              {...form.insert.getButtonProps({ name: fields.certifications.name, defaultValue: {} })}
              className="min-h-11 self-start rounded-full px-4 font-medium text-leaf ring-1 ring-leaf"
            >
              {t("shopsetup.form.addCertification")}
            </button>
          ) : null}
          <FormError errors={fields.certifications.errors} />
        </div>
      </Section>

      <div className="flex flex-col gap-2 sm:flex-row sm:items-center">
        <SubmitButton pending={pending}>{submitLabel}</SubmitButton>
      </div>
    </Form>
  );
}

/**
 * With JavaScript, the slug follows the name as it is typed (asking the server, which knows
 * pinyin and which slugs are taken) until the person edits the slug themselves.
 */
function useSlugSuggestion(enabled: boolean, apply: (slug: string) => void) {
  const fetcher = useFetcher<{ slug: string }>();
  const edited = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout>>();
  const applyRef = useRef(apply);
  applyRef.current = apply;

  useEffect(() => {
    if (enabled && fetcher.data?.slug && !edited.current) applyRef.current(fetcher.data.slug);
  }, [enabled, fetcher.data]);
  useEffect(() => () => clearTimeout(timer.current), []);

  const onInput = (event: React.FormEvent<HTMLFormElement>) => {
    if (!enabled) return;
    const target = event.target as HTMLInputElement;
    if (target.name === "slug" && event.nativeEvent.isTrusted) {
      edited.current = target.value.trim() !== "";
      return;
    }
    if (target.name !== "nameZh" && target.name !== "nameEn") return;
    const form = target.form!;
    const zh = (form.elements.namedItem("nameZh") as HTMLInputElement | null)?.value.trim() ?? "";
    const en = (form.elements.namedItem("nameEn") as HTMLInputElement | null)?.value.trim() ?? "";
    clearTimeout(timer.current);
    if (!zh && !en) return;
    timer.current = setTimeout(() => fetcher.load(`/admin/new/slug?${new URLSearchParams({ zh, en })}`), 350);
  };
  return { onInput };
}
