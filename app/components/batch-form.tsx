import {
  getCollectionProps,
  getFormProps,
  getInputProps,
  getSelectProps,
  getTextareaProps,
  useForm,
  type FieldMetadata,
  type SubmissionResult,
} from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import { Form, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import {
  batchSchema,
  CERT_BASES,
  CERT_COMMITMENTS,
  EXTRA_INPUT_ROWS,
  INPUT_KINDS,
  MAX_INPUT_ROWS,
  type BatchFormDefaults,
} from "~/modules/trace/batch-schema";
import { CsrfInput, FormError, SubmitButton, TextField, useErrorText } from "./forms";

export interface LinkableProduct {
  id: string;
  title: string;
  status: string;
}

const inputClass =
  "min-h-11 w-full rounded-lg border border-stone-300 bg-white px-3 text-base outline-none focus:border-leaf focus:ring-2 focus:ring-leaf/30 aria-[invalid=true]:border-red-600 disabled:bg-stone-100";

/** The field's first error, translated, with the id that aria-describedby points at. */
function FieldError({ meta }: { meta: FieldMetadata<unknown> }) {
  const errorText = useErrorText();
  const error = errorText(meta.errors?.[0]);
  return error ? (
    <p id={meta.errorId} className="text-sm text-red-700" role="alert">
      {error}
    </p>
  ) : null;
}

function Labelled({
  meta,
  label,
  hint,
  children,
  className = "",
}: {
  meta: FieldMetadata<unknown>;
  label: string;
  hint?: string;
  children: React.ReactNode;
  className?: string;
}) {
  return (
    <div className={`flex flex-col gap-1 ${className}`}>
      <label htmlFor={meta.id} className="text-sm font-medium text-stone-800">
        {label}
      </label>
      {children}
      {hint ? <p className="text-xs text-stone-600">{hint}</p> : null}
      <FieldError meta={meta} />
    </div>
  );
}

function NumberField({
  meta,
  label,
  hint,
  className,
}: {
  meta: FieldMetadata<number | undefined>;
  label: string;
  hint?: string;
  className?: string;
}) {
  return (
    <Labelled meta={meta as FieldMetadata<unknown>} label={label} hint={hint} className={className}>
      <input
        {...getInputProps(meta, { type: "number" })}
        key={meta.key}
        inputMode="numeric"
        min={0}
        step={1}
        className={inputClass}
      />
    </Labelled>
  );
}

function TextAreaField({ meta, label }: { meta: FieldMetadata<string | undefined>; label: string }) {
  return (
    <Labelled meta={meta as FieldMetadata<unknown>} label={label}>
      <textarea {...getTextareaProps(meta)} key={meta.key} rows={3} className={`${inputClass} py-2`} />
    </Labelled>
  );
}

function Section({ title, intro, children }: { title: string; intro?: string; children: React.ReactNode }) {
  return (
    <fieldset className="rounded-2xl bg-white p-4 ring-1 ring-stone-200">
      <legend className="float-left mb-3 w-full text-lg font-semibold">{title}</legend>
      {intro ? <p className="clear-both -mt-1 mb-3 text-sm text-stone-600">{intro}</p> : null}
      <div className="clear-both grid gap-4 sm:grid-cols-2">{children}</div>
    </fieldset>
  );
}

/**
 * The whole batch record in one form: it works without JavaScript (spare input rows are
 * rendered up front; "add a row" is a Conform intent the server answers too).
 */
export function BatchForm({
  defaults,
  products,
  lastResult,
  canEdit,
  submitLabel,
}: {
  defaults: BatchFormDefaults;
  products: LinkableProduct[];
  lastResult?: SubmissionResult<string[]> | null;
  canEdit: boolean;
  submitLabel: string;
}) {
  const { t } = useTranslation();
  const navigation = useNavigation();
  const spare = Array.from({ length: EXTRA_INPUT_ROWS }, () => ({}));
  const [form, fields] = useForm({
    lastResult,
    defaultValue: { ...defaults, inputs: [...(defaults.inputs ?? []), ...spare] },
    constraint: getZodConstraint(batchSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: batchSchema }),
  });
  const inputRows = fields.inputs.getFieldList();
  const hasErrors = Object.values(form.allErrors).some((errors) => errors.length > 0);

  return (
    <Form method="post" {...getFormProps(form)} className="flex flex-col gap-5">
      <CsrfInput />
      <fieldset disabled={!canEdit} className="flex min-w-0 flex-col gap-5">
        <Section title={t("batches.sectionProduct")}>
          <TextField meta={fields.productNameZh} label={t("batches.productNameZh")} />
          <TextField meta={fields.productNameEn} label={t("batches.productNameEn")} />
          <TextField
            meta={fields.harvestDate}
            label={t("batches.harvestDate")}
            type="date"
            hint={t("batches.dateHint")}
          />
          <div className="grid grid-cols-[1fr_7rem] gap-3">
            <NumberField meta={fields.quantity} label={t("batches.quantity")} />
            <TextField meta={fields.quantityUnit} label={t("batches.quantityUnit")} hint={t("batches.unitHint")} />
          </div>
          <TextField meta={fields.originPlotZh} label={t("batches.originPlotZh")} />
          <TextField meta={fields.originPlotEn} label={t("batches.originPlotEn")} />
        </Section>

        <Section title={t("batches.sectionInputs")} intro={t("batches.inputsHint")}>
          <ol className="flex flex-col gap-3 sm:col-span-2" data-testid="input-rows">
            {inputRows.map((row, i) => {
              const input = row.getFieldset();
              return (
                <li key={row.key}>
                  <fieldset className="grid gap-3 rounded-xl bg-stone-50 p-3 ring-1 ring-stone-200 sm:grid-cols-[10rem_1fr_1fr]">
                    <legend className="sr-only">{t("batches.inputRow", { n: i + 1 })}</legend>
                    <Labelled meta={input.kind as FieldMetadata<unknown>} label={t("batches.inputKindLabel")}>
                      <select {...getSelectProps(input.kind)} key={input.kind.key} className={inputClass}>
                        <option value="">{t("batches.chooseKind")}</option>
                        {INPUT_KINDS.map((kind) => (
                          <option key={kind} value={kind}>
                            {t(`batches.inputKind.${kind}`)}
                          </option>
                        ))}
                      </select>
                    </Labelled>
                    <TextField meta={input.nameZh} label={t("batches.inputNameZh")} />
                    <TextField meta={input.nameEn} label={t("batches.inputNameEn")} />
                    <TextField
                      meta={input.appliedOn}
                      label={t("batches.appliedOn")}
                      type="date"
                      className="sm:col-start-2"
                    />
                    <NumberField meta={input.safetyIntervalDays} label={t("batches.safetyInterval")} />
                  </fieldset>
                </li>
              );
            })}
          </ol>
          {canEdit && inputRows.length < MAX_INPUT_ROWS ? (
            <div className="sm:col-span-2">
              <button
                {...form.insert.getButtonProps({ name: fields.inputs.name })}
                className="min-h-11 rounded-full border border-leaf px-4 text-sm font-medium text-leaf"
              >
                + {t("batches.addRow")}
              </button>
            </div>
          ) : null}
        </Section>

        <Section title={t("batches.sectionTest")}>
          <TextAreaField meta={fields.testReportZh} label={t("batches.testReportZh")} />
          <TextAreaField meta={fields.testReportEn} label={t("batches.testReportEn")} />
          <TextField meta={fields.testedAt} label={t("batches.testedAt")} type="date" />
          <TextField meta={fields.testedBy} label={t("batches.testedBy")} />
        </Section>

        <Section title={t("batches.sectionCert")} intro={t("batches.certIntro")}>
          <TextField meta={fields.certProducer} label={t("batches.certProducer")} />
          <TextField
            meta={fields.certContactPhone}
            label={t("batches.certContactPhone")}
            type="tel"
            inputMode="tel"
            autoComplete="tel"
          />
          <TextField meta={fields.certOrigin} label={t("batches.certOrigin")} />
          <TextField meta={fields.certIssuedOn} label={t("batches.certIssuedOn")} type="date" />
          <fieldset
            className="flex flex-col gap-2 sm:col-span-2"
            aria-invalid={fields.certCommitments.errors?.length ? true : undefined}
            aria-describedby={fields.certCommitments.errors?.length ? fields.certCommitments.errorId : undefined}
          >
            <legend className="mb-1 text-sm font-medium text-stone-800">{t("batches.certCommitments")}</legend>
            {getCollectionProps(fields.certCommitments, { type: "checkbox", options: [...CERT_COMMITMENTS] }).map(
              ({ key, ...props }) => (
                <label key={key} htmlFor={props.id} className="flex min-h-11 items-center gap-3 rounded-lg px-1">
                  <input {...props} className="size-5 accent-leaf" />
                  <span>{t(`batches.commitment.${props.value}`)}</span>
                </label>
              ),
            )}
            <FieldError meta={fields.certCommitments as FieldMetadata<unknown>} />
          </fieldset>
          <Labelled meta={fields.certBasis as FieldMetadata<unknown>} label={t("batches.certBasis")}>
            <select {...getSelectProps(fields.certBasis)} key={fields.certBasis.key} className={inputClass}>
              <option value="">{t("batches.basisNone")}</option>
              {CERT_BASES.map((basis) => (
                <option key={basis} value={basis}>
                  {t(`batches.basis.${basis}`)}
                </option>
              ))}
            </select>
          </Labelled>
        </Section>

        <Section title={t("batches.sectionProducts")} intro={products.length ? t("batches.productsHint") : undefined}>
          {products.length ? (
            <fieldset
              className="flex flex-col gap-1 sm:col-span-2"
              aria-invalid={fields.products.errors?.length ? true : undefined}
              aria-describedby={fields.products.errors?.length ? fields.products.errorId : undefined}
            >
              <legend className="sr-only">{t("batches.sectionProducts")}</legend>
              {getCollectionProps(fields.products, { type: "checkbox", options: products.map((p) => p.id) }).map(
                ({ key, ...props }, i) => (
                  <label key={key} htmlFor={props.id} className="flex min-h-11 items-center gap-3 rounded-lg px-1">
                    <input {...props} className="size-5 accent-leaf" />
                    <span>
                      {products[i]!.title}
                      {products[i]!.status === "ARCHIVED" ? (
                        <span className="ml-2 text-sm text-stone-500">{t("batches.archived")}</span>
                      ) : null}
                    </span>
                  </label>
                ),
              )}
              <FieldError meta={fields.products as FieldMetadata<unknown>} />
            </fieldset>
          ) : (
            <p className="text-stone-600 sm:col-span-2" data-testid="no-products">
              {t("batches.noProducts")}
            </p>
          )}
        </Section>
      </fieldset>

      {hasErrors ? <FormError errors={["batches.errors.fixErrors"]} /> : null}
      {canEdit ? (
        <div>
          <SubmitButton pending={navigation.state === "submitting"}>{submitLabel}</SubmitButton>
        </div>
      ) : null}
    </Form>
  );
}
