import { getFormProps, type FormMetadata, type SubmissionResult } from "@conform-to/react";
import { Form, useNavigation } from "@remix-run/react";
import { CsrfInput, FormError } from "~/components/forms";

/** An action's answer to a failed form: which form (its id) and Conform's result for it. */
export type FormReply = { form: string; result: SubmissionResult<string[]> } | undefined;

/** The last result for one form of a page that has many, or undefined. */
export function resultFor(reply: FormReply, formId: string) {
  return reply?.form === formId ? reply.result : undefined;
}

/** True while this form is being submitted. */
export function usePending(formId: string) {
  const navigation = useNavigation();
  return navigation.state === "submitting" && navigation.formData?.get("formId") === formId;
}

/**
 * One of the several forms of a page: posts to the page's action with an intent, the
 * form's id (so the answer finds its way back to it), the CSRF token and hidden ids.
 */
export function IntentForm({
  form,
  intent,
  hidden = {},
  className,
  children,
}: {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any form's metadata
  form: FormMetadata<any, string[]>;
  intent: string;
  hidden?: Record<string, string>;
  className?: string;
  children: React.ReactNode;
}) {
  return (
    <Form method="post" {...getFormProps(form)} className={className}>
      <CsrfInput />
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="formId" value={form.id} />
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <FormError errors={form.errors} />
      {children}
    </Form>
  );
}
