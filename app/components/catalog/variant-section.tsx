import { useForm, type FieldMetadata } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import { useTranslation } from "react-i18next";
import { SubmitButton } from "~/components/forms";
import { formatFen } from "~/lib/money";
import {
  COMMON_UNITS,
  STOCK_REASONS,
  stockAdjustSchema,
  variantCreateSchema,
  variantEditSchema,
} from "~/modules/catalog/variant-schema";
import { InputField, SelectField } from "~/components/forms";
import { IntentForm, resultFor, usePending, type FormReply } from "./intent-form";

export interface VariantView {
  id: string;
  sku: string;
  title: string;
  titleZh: string;
  titleEn: string | null;
  unit: string;
  priceFen: number;
  compareAtFen: number | null;
  /** The prices as typed in 元 ("168", "168.50"), for the edit form. */
  price: string;
  compareAt: string | null;
  weightGrams: number | null;
  stock: number;
  status: "ACTIVE" | "ARCHIVED";
}

type VariantFieldset = {
  titleZh: FieldMetadata<string>;
  titleEn: FieldMetadata<string | null>;
  sku: FieldMetadata<string | undefined>;
  unit: FieldMetadata<string>;
  price: FieldMetadata<string>;
  compareAt: FieldMetadata<string | undefined>;
  weightGrams: FieldMetadata<number | undefined>;
};

/** The fields a variant is made of, shared by the add and edit forms. */
function VariantFields({ fields }: { fields: VariantFieldset }) {
  const { t } = useTranslation();
  return (
    <>
      <InputField meta={fields.titleZh} label={t("catalog.variant.titleZh")} hint={t("catalog.variant.titleHint")} />
      <InputField meta={fields.titleEn} label={t("catalog.variant.titleEn")} />
      <InputField
        meta={fields.price}
        label={t("catalog.variant.price")}
        hint={t("catalog.variant.priceHint")}
        inputMode="decimal"
      />
      <InputField
        meta={fields.compareAt}
        label={t("catalog.variant.compareAt")}
        hint={t("catalog.variant.compareAtHint")}
        inputMode="decimal"
      />
      <InputField
        meta={fields.unit}
        label={t("catalog.variant.unit")}
        hint={t("catalog.variant.unitHint")}
        suggestions={COMMON_UNITS}
      />
      <InputField meta={fields.sku} label={t("catalog.variant.sku")} hint={t("catalog.variant.skuHint")} />
      <InputField
        meta={fields.weightGrams}
        label={t("catalog.variant.weightGrams")}
        type="number"
        inputMode="numeric"
      />
    </>
  );
}

const grid = "grid gap-3 sm:grid-cols-2";

function VariantCreateForm({
  reply,
  suggestedSku,
  tracksStock,
}: {
  reply: FormReply;
  suggestedSku: string;
  tracksStock: boolean;
}) {
  const { t } = useTranslation();
  const [form, fields] = useForm({
    id: "variant-new",
    lastResult: resultFor(reply, "variant-new"),
    defaultValue: { sku: suggestedSku, initialStock: "0" },
    constraint: getZodConstraint(variantCreateSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: variantCreateSchema }),
  });
  const pending = usePending(form.id);
  return (
    <IntentForm form={form} intent="variant-create" className={grid}>
      <VariantFields fields={fields} />
      {tracksStock ? (
        <InputField
          meta={fields.initialStock}
          label={t("catalog.variant.initialStock")}
          hint={t("catalog.variant.initialStockHint")}
          type="number"
          inputMode="numeric"
        />
      ) : null}
      <div className="sm:col-span-2">
        <SubmitButton pending={pending}>{t("catalog.variant.add")}</SubmitButton>
      </div>
    </IntentForm>
  );
}

function VariantEditForm({ variant, reply }: { variant: VariantView; reply: FormReply }) {
  const { t } = useTranslation();
  const id = `variant-${variant.id}`;
  const [form, fields] = useForm({
    id,
    lastResult: resultFor(reply, id),
    defaultValue: {
      titleZh: variant.titleZh,
      titleEn: variant.titleEn ?? undefined,
      sku: variant.sku,
      unit: variant.unit,
      price: variant.price,
      compareAt: variant.compareAt ?? undefined,
      weightGrams: variant.weightGrams === null ? undefined : String(variant.weightGrams),
    },
    constraint: getZodConstraint(variantEditSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: variantEditSchema }),
  });
  const pending = usePending(form.id);
  return (
    <IntentForm form={form} intent="variant-update" hidden={{ variantId: variant.id }} className={grid}>
      <VariantFields fields={fields} />
      <div className="sm:col-span-2">
        <SubmitButton pending={pending}>{t("catalog.variant.save")}</SubmitButton>
      </div>
    </IntentForm>
  );
}

function VariantStatusForm({ variant, reply }: { variant: VariantView; reply: FormReply }) {
  const { t } = useTranslation();
  const id = `variant-status-${variant.id}`;
  const [form] = useForm({ id, lastResult: resultFor(reply, id) });
  const archived = variant.status === "ARCHIVED";
  return (
    <IntentForm
      form={form}
      intent={archived ? "variant-restore" : "variant-archive"}
      hidden={{ variantId: variant.id }}
    >
      <button
        type="submit"
        className="min-h-11 rounded-full px-4 text-sm font-medium text-stone-700 ring-1 ring-stone-300 hover:bg-stone-100"
      >
        {t(archived ? "catalog.variant.restore" : "catalog.variant.archive")}
      </button>
    </IntentForm>
  );
}

function StockAdjustForm({ variant, reply }: { variant: VariantView; reply: FormReply }) {
  const { t } = useTranslation();
  const id = `stock-${variant.id}`;
  const [form, fields] = useForm({
    id,
    lastResult: resultFor(reply, id),
    defaultValue: { reason: "received" },
    constraint: getZodConstraint(stockAdjustSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: stockAdjustSchema }),
  });
  const pending = usePending(form.id);
  return (
    <IntentForm
      form={form}
      intent="stock-adjust"
      hidden={{ variantId: variant.id }}
      className="grid gap-3 sm:grid-cols-3"
    >
      <InputField
        meta={fields.delta}
        label={t("catalog.stock.delta")}
        hint={t("catalog.stock.deltaHint")}
        type="number"
      />
      <SelectField
        meta={fields.reason}
        label={t("catalog.stock.reason")}
        options={STOCK_REASONS.map((r) => ({ value: r, label: t(`catalog.stock.reasons.${r}`) }))}
      />
      <InputField meta={fields.note} label={t("catalog.stock.note")} hint={t("catalog.stock.noteHint")} />
      <div className="sm:col-span-3">
        <SubmitButton pending={pending}>{t("catalog.stock.adjust")}</SubmitButton>
      </div>
    </IntentForm>
  );
}

/** A product's variants, each with its edit, stock and archive forms, and the form to add one. */
export function VariantSection({
  variants,
  reply,
  canEdit,
  suggestedSku,
  tracksStock,
}: {
  variants: VariantView[];
  reply: FormReply;
  canEdit: boolean;
  suggestedSku: string;
  /** Experiences sell places on slots, so their tickets have no stock. */
  tracksStock: boolean;
}) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  return (
    <section id="variants" aria-labelledby="variants-title" className="flex flex-col gap-3">
      <h2 id="variants-title" className="text-xl font-semibold">
        {t("catalog.variant.title")}
      </h2>
      {variants.length === 0 ? (
        <p className="rounded-2xl bg-white p-4 text-stone-700 ring-1 ring-stone-200" data-testid="no-variants">
          {t(canEdit ? "catalog.variant.empty" : "catalog.variant.emptyReadOnly")}
        </p>
      ) : (
        <ul className="flex flex-col gap-3">
          {variants.map((variant) => (
            <li
              key={variant.id}
              className={`rounded-2xl bg-white p-4 ring-1 ring-stone-200 ${variant.status === "ARCHIVED" ? "opacity-75" : ""}`}
              data-testid="variant"
            >
              <div className="flex flex-wrap items-baseline justify-between gap-2">
                <p className="font-semibold">
                  {variant.title} <span className="text-sm font-normal text-stone-600">· {variant.sku}</span>
                </p>
                {variant.status === "ARCHIVED" ? (
                  <span className="rounded bg-stone-200 px-1.5 py-0.5 text-xs">{t("catalog.variant.archived")}</span>
                ) : null}
              </div>
              <p className="mt-1 text-sm text-stone-700">
                <span className="text-lg font-semibold text-red-700">{formatFen(variant.priceFen, lng)}</span>
                {" / "}
                {variant.unit}
                {variant.compareAtFen !== null ? (
                  <s className="ms-2 text-stone-500">{formatFen(variant.compareAtFen, lng)}</s>
                ) : null}
                {variant.weightGrams !== null
                  ? ` · ${t("catalog.variant.weight", { grams: variant.weightGrams })}`
                  : null}
                {tracksStock ? (
                  <>
                    {" · "}
                    <strong data-testid="variant-stock">{t("catalog.variant.stock", { count: variant.stock })}</strong>
                  </>
                ) : null}
              </p>
              {canEdit ? (
                <div className="mt-3 flex flex-col gap-2">
                  {tracksStock && variant.status === "ACTIVE" ? (
                    <details className="rounded-xl bg-stone-50 p-3" open={reply?.form === `stock-${variant.id}`}>
                      <summary className="cursor-pointer font-medium">{t("catalog.stock.adjustTitle")}</summary>
                      <div className="mt-3">
                        <StockAdjustForm variant={variant} reply={reply} />
                      </div>
                    </details>
                  ) : null}
                  <details className="rounded-xl bg-stone-50 p-3" open={reply?.form === `variant-${variant.id}`}>
                    <summary className="cursor-pointer font-medium">{t("catalog.variant.edit")}</summary>
                    <div className="mt-3">
                      <VariantEditForm variant={variant} reply={reply} />
                    </div>
                  </details>
                  <VariantStatusForm variant={variant} reply={reply} />
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {canEdit ? (
        <details
          className="rounded-2xl bg-white p-4 ring-1 ring-stone-200"
          open={variants.length === 0 || reply?.form === "variant-new"}
        >
          <summary className="cursor-pointer font-semibold text-leaf">+ {t("catalog.variant.addTitle")}</summary>
          <div className="mt-3">
            <VariantCreateForm reply={reply} suggestedSku={suggestedSku} tracksStock={tracksStock} />
          </div>
        </details>
      ) : null}
    </section>
  );
}
