import { getFormProps, getInputProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import { Form, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { lookupSchema } from "~/modules/orders/lookup-schema";
import { CsrfInput, FormError, SubmitButton, TextField } from "./forms";

/**
 * Order number + mobile → the order's page (POST to `action`). On an order's own page the
 * number is fixed and only the mobile is asked for.
 */
export function OrderLookupForm({
  lastResult,
  number,
  action,
}: {
  lastResult: SubmissionResult<string[]> | undefined;
  /** The order number when it is already known (the order's own page). */
  number?: string;
  action?: string;
}) {
  const { t } = useTranslation();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: "order-lookup",
    lastResult,
    defaultValue: { number: number ?? "" },
    constraint: getZodConstraint(lookupSchema),
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: lookupSchema }),
  });
  return (
    <Form method="post" action={action} {...getFormProps(form)} className="mt-4 flex flex-col gap-4" data-testid="order-lookup">
      <CsrfInput />
      <input type="hidden" name="intent" value="lookup" />
      <FormError errors={form.errors} />
      {number ? (
        <input {...getInputProps(fields.number, { type: "hidden" })} key={fields.number.key} />
      ) : (
        <TextField meta={fields.number} label={t("checkout.lookup.number")} hint={t("checkout.lookup.numberHint")} inputMode="numeric" />
      )}
      <TextField
        meta={fields.phone}
        label={t("checkout.lookup.phone")}
        type="tel"
        inputMode="tel"
        autoComplete="tel-national"
      />
      <SubmitButton pending={navigation.state === "submitting"}>{t("checkout.lookup.submit")}</SubmitButton>
    </Form>
  );
}
