import { useTranslation } from "react-i18next";

const input = "min-h-11 rounded-lg border border-stone-300 bg-white px-3 text-base";

/**
 * The amount and reference of money moving between the platform and a cooperative, in either
 * direction (a payout to the shop, a payment from it): the same two fields with their errors.
 */
export function AmountReferenceFields({
  defaultAmount,
  error,
}: {
  defaultAmount: string;
  error: (name: "amount" | "reference") => string | undefined;
}) {
  const { t } = useTranslation();
  return (
    <div className="flex flex-wrap gap-3">
      <label className="flex flex-col gap-1 text-sm font-medium">
        {t("money.platform.amount")}
        <input
          name="amount"
          inputMode="decimal"
          defaultValue={defaultAmount}
          className={`${input} w-40`}
          aria-invalid={error("amount") ? true : undefined}
        />
        {error("amount") ? (
          <span role="alert" className="font-normal text-red-700">
            {error("amount")}
          </span>
        ) : null}
      </label>
      <label className="flex min-w-0 flex-[1_1_12rem] flex-col gap-1 text-sm font-medium">
        {t("money.platform.reference")}
        <input
          name="reference"
          maxLength={100}
          className={`${input} w-full`}
          aria-invalid={error("reference") ? true : undefined}
        />
        {error("reference") ? (
          <span role="alert" className="font-normal text-red-700">
            {error("reference")}
          </span>
        ) : null}
      </label>
    </div>
  );
}
