import { Form, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CsrfInput, FormError, useErrorText } from "~/components/forms";
import { MAX_PARCELS } from "~/modules/logistics/pack-form";

// The cooperative's "mark packed" form (issue #10): parcels, weight, cold chain. Works without
// JavaScript; the server answers bad input with the field's translated error and changes nothing.

export interface PackFormReply {
  form: "pack";
  formError?: string;
  fieldErrors?: Record<string, string[] | null | undefined>;
  values?: { parcels?: string; weight?: string; coldChain?: boolean };
}

const input =
  "min-h-11 rounded-lg border border-stone-300 px-3 text-base aria-[invalid=true]:border-red-600 aria-[invalid=true]:ring-1 aria-[invalid=true]:ring-red-600";

export function PackForm({
  defaults,
  reply,
}: {
  defaults: { parcelCount: number; weightKg: string; coldChain: boolean; shipsGoods: boolean };
  reply?: PackFormReply;
}) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const navigation = useNavigation();
  const parcelsError = errorText(reply?.fieldErrors?.parcels?.[0] ?? undefined);
  const weightError = errorText(reply?.fieldErrors?.weight?.[0] ?? undefined);
  return (
    <section className="rounded-2xl bg-white p-4 ring-1 ring-stone-200" aria-labelledby="pack-heading" id="pack">
      <h2 id="pack-heading" className="text-lg font-semibold">
        {t("packing.title")}
      </h2>
      <p className="mt-1 text-sm text-stone-700">{defaults.shipsGoods ? t("packing.hint") : t("packing.noGoods")}</p>
      <Form method="post" className="mt-3 flex flex-col gap-3" data-testid="pack-form" noValidate>
        <CsrfInput />
        <input type="hidden" name="intent" value="pack" />
        <FormError errors={reply?.formError ? [reply.formError] : undefined} />
        {defaults.shipsGoods ? (
          <>
            <div className="flex flex-wrap gap-3">
              <div className="flex flex-col gap-1">
                <label htmlFor="pack-parcels" className="text-sm font-medium">
                  {t("packing.parcels")}
                </label>
                <input
                  id="pack-parcels"
                  name="parcels"
                  type="number"
                  inputMode="numeric"
                  min={1}
                  max={MAX_PARCELS}
                  step={1}
                  required
                  defaultValue={reply?.values?.parcels ?? String(defaults.parcelCount)}
                  aria-invalid={parcelsError ? true : undefined}
                  aria-describedby={parcelsError ? "pack-parcels-error" : "pack-parcels-hint"}
                  className={`${input} w-24`}
                />
                <p id="pack-parcels-hint" className="text-xs text-stone-600">
                  {t("packing.parcelsHint")}
                </p>
                {parcelsError ? (
                  <p id="pack-parcels-error" role="alert" className="text-sm text-red-700">
                    {parcelsError}
                  </p>
                ) : null}
              </div>
              <div className="flex flex-col gap-1">
                <label htmlFor="pack-weight" className="text-sm font-medium">
                  {t("packing.weight")}
                </label>
                <input
                  id="pack-weight"
                  name="weight"
                  inputMode="decimal"
                  required
                  defaultValue={reply?.values?.weight ?? defaults.weightKg}
                  aria-invalid={weightError ? true : undefined}
                  aria-describedby={weightError ? "pack-weight-error" : "pack-weight-hint"}
                  className={`${input} w-32`}
                />
                <p id="pack-weight-hint" className="text-xs text-stone-600">
                  {t("packing.weightHint")}
                </p>
                {weightError ? (
                  <p id="pack-weight-error" role="alert" className="text-sm text-red-700">
                    {weightError}
                  </p>
                ) : null}
              </div>
            </div>
            <div className="flex items-start gap-2">
              <input
                id="pack-cold"
                name="coldChain"
                type="checkbox"
                defaultChecked={reply?.values?.coldChain ?? defaults.coldChain}
                aria-describedby="pack-cold-hint"
                className="mt-1 size-5"
              />
              <div>
                <label htmlFor="pack-cold" className="text-sm font-medium">
                  {t("packing.coldChain")}
                </label>
                <p id="pack-cold-hint" className="text-xs text-stone-600">
                  {t("packing.coldChainHint")}
                </p>
              </div>
            </div>
          </>
        ) : null}
        <div>
          <button
            type="submit"
            disabled={navigation.state !== "idle"}
            aria-describedby="pack-hint"
            className="min-h-11 rounded-full bg-leaf px-5 font-semibold text-white disabled:opacity-60"
          >
            {t("orders.action.pack")}
          </button>
          <span id="pack-hint" className="sr-only">
            {t("orders.actionHint.pack")}
          </span>
        </div>
      </Form>
    </section>
  );
}
