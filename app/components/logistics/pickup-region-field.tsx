import type { FieldMetadata } from "@conform-to/react";
import { useTranslation } from "react-i18next";
import { TextField } from "~/components/forms";

// Checkout (issue #10): the buyer names their city or district, and the pickup points and lockers
// of logistics partners' networks there are offered beside the county's own. Without JavaScript
// the button sends the form for review (nothing is placed) and the page comes back with the list.

export function PickupRegionField({ meta, region }: { meta: FieldMetadata<string>; region: string | null }) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="pickup-region-heading" className="rounded-2xl bg-white p-4 ring-1 ring-stone-200">
      <h2 id="pickup-region-heading" className="text-lg font-semibold">
        {t("checkout.pickupRegion.heading")}
      </h2>
      <div className="mt-3 flex flex-col gap-2">
        <TextField meta={meta} label={t("checkout.pickupRegion.label")} hint={t("checkout.pickupRegion.hint")} />
        <button
          type="submit"
          name="intent"
          value="review"
          formNoValidate
          className="min-h-11 self-start rounded-lg bg-white px-4 font-medium text-leaf ring-1 ring-leaf"
        >
          {t("checkout.pickupRegion.show")}
        </button>
        {region ? (
          <p role="status" className="text-sm text-stone-700">
            {t("checkout.pickupRegion.showing", { region })}
          </p>
        ) : null}
      </div>
    </section>
  );
}
