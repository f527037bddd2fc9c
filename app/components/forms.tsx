import {
  getCollectionProps,
  getInputProps,
  getSelectProps,
  getTextareaProps,
  type FieldMetadata,
} from "@conform-to/react";

// The two pieces buyers' pages need live on their own, so those pages don't download the rest.
import { useErrorText } from "./form-basics";
export { CsrfInput, useErrorText } from "./form-basics";

export function TextField({
  meta,
  label,
  hint,
  type = "text",
  autoComplete,
  inputMode,
  className = "",
}: {
  meta: FieldMetadata<string>;
  label: string;
  hint?: string;
  type?: "text" | "password" | "email" | "tel" | "url" | "number" | "date" | "datetime-local" | "color";
  autoComplete?: string;
  inputMode?: "text" | "tel" | "email" | "numeric" | "decimal";
  className?: string;
}) {
  const { describedBy, below } = useFieldText(meta as FieldMetadata<unknown>, hint);
  return (
    <div className={`flex flex-col gap-1 ${className}`}>
      <label htmlFor={meta.id} className="text-sm font-medium text-stone-800">
        {label}
      </label>
      <input
        {...getInputProps(meta, { type, ariaDescribedBy: describedBy })}
        key={meta.key}
        autoComplete={autoComplete}
        inputMode={inputMode}
        className={control}
      />
      {below}
    </div>
  );
}

export function FormError({ errors }: { errors?: string[] }) {
  const errorText = useErrorText();
  if (!errors?.length) return null;
  return (
    <div role="alert" className="rounded-lg bg-red-50 px-3 py-2 text-sm text-red-800 ring-1 ring-red-200">
      {errors.map((e) => (
        <p key={e}>{errorText(e)}</p>
      ))}
    </div>
  );
}

export function SubmitButton({ children, pending }: { children: React.ReactNode; pending?: boolean }) {
  return (
    <button
      type="submit"
      disabled={pending}
      className="min-h-11 rounded-full bg-leaf px-5 font-semibold text-white shadow-sm hover:brightness-110 disabled:opacity-60"
    >
      {children}
    </button>
  );
}

// Form controls in the same style (label, hint, aria-invalid, an error with role="alert").

const control =
  "min-h-11 w-full rounded-lg border border-stone-300 bg-white px-3 text-base outline-none focus:border-leaf focus:ring-2 focus:ring-leaf/30 aria-[invalid=true]:border-red-600";

function useFieldText(meta: FieldMetadata<unknown>, hint?: string) {
  const errorText = useErrorText();
  const error = errorText(meta.errors?.[0]);
  const hintId = hint ? `${meta.id}-hint` : undefined;
  const describedBy = [hintId, error ? meta.errorId : undefined].filter(Boolean).join(" ") || undefined;
  const below = (
    <>
      {hint ? (
        <p id={hintId} className="text-xs text-stone-600">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={meta.errorId} className="text-sm text-red-700" role="alert">
          {error}
        </p>
      ) : null}
    </>
  );
  return { describedBy, below };
}

export function TextAreaField({
  meta,
  label,
  hint,
  rows = 4,
  className = "",
}: {
  meta: FieldMetadata<string | null | undefined>;
  label: string;
  hint?: string;
  rows?: number;
  className?: string;
}) {
  const { describedBy, below } = useFieldText(meta, hint);
  return (
    <div className={`flex flex-col gap-1 ${className}`}>
      <label htmlFor={meta.id} className="text-sm font-medium text-stone-800">
        {label}
      </label>
      <textarea
        {...getTextareaProps(meta, { ariaDescribedBy: describedBy })}
        key={meta.key}
        rows={rows}
        className={`${control} py-2`}
      />
      {below}
    </div>
  );
}

export function SelectField({
  meta,
  label,
  options,
  hint,
  placeholder,
  className = "",
}: {
  meta: FieldMetadata<string | undefined>;
  label: string;
  options: { value: string; label: string }[];
  hint?: string;
  /** A first, empty choice such as "choose a county". */
  placeholder?: string;
  className?: string;
}) {
  const { describedBy, below } = useFieldText(meta, hint);
  const props = getSelectProps(meta, { ariaDescribedBy: describedBy });
  // A single choice sent twice comes back as a list: redraw it with the first.
  const defaultValue = Array.isArray(props.defaultValue) ? props.defaultValue[0] : props.defaultValue;
  return (
    <div className={`flex flex-col gap-1 ${className}`}>
      <label htmlFor={meta.id} className="text-sm font-medium text-stone-800">
        {label}
      </label>
      <select {...props} defaultValue={defaultValue} key={meta.key} className={control}>
        {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      {below}
    </div>
  );
}

/** A text-like input TextField does not offer: a time picker, or free text with a suggestion list. */
export function InputField({
  meta,
  label,
  hint,
  type = "text",
  suggestions,
  inputMode,
  placeholder,
  className = "",
}: {
  meta: FieldMetadata<string | number | null | undefined>;
  label: string;
  hint?: string;
  type?: "text" | "time" | "number" | "date";
  suggestions?: readonly string[];
  inputMode?: "text" | "numeric" | "decimal";
  placeholder?: string;
  className?: string;
}) {
  const { describedBy, below } = useFieldText(meta, hint);
  const listId = suggestions ? `${meta.id}-suggestions` : undefined;
  return (
    <div className={`flex flex-col gap-1 ${className}`}>
      <label htmlFor={meta.id} className="text-sm font-medium text-stone-800">
        {label}
      </label>
      <input
        {...getInputProps(meta as FieldMetadata<string>, { type, ariaDescribedBy: describedBy })}
        key={meta.key}
        list={listId}
        inputMode={inputMode}
        placeholder={placeholder}
        className={control}
      />
      {suggestions ? (
        <datalist id={listId}>
          {suggestions.map((s) => (
            <option key={s} value={s} />
          ))}
        </datalist>
      ) : null}
      {below}
    </div>
  );
}

export function CheckboxField({ meta, label, hint }: { meta: FieldMetadata<boolean>; label: string; hint?: string }) {
  const { describedBy, below } = useFieldText(meta, hint);
  return (
    <div className="flex flex-col gap-1">
      <label className="flex min-h-11 items-center gap-3 text-base text-stone-800">
        <input
          {...getInputProps(meta, { type: "checkbox", ariaDescribedBy: describedBy })}
          key={meta.key}
          className="size-5 accent-leaf"
        />
        {label}
      </label>
      {below}
    </div>
  );
}

/** A group of checkboxes that send one value each (months, weekdays). */
export function CheckboxGroup({
  meta,
  legend,
  options,
  hint,
  columns = "grid-cols-3 sm:grid-cols-6",
}: {
  meta: FieldMetadata<number[] | string[]>;
  legend: string;
  options: { value: string; label: string }[];
  hint?: string;
  columns?: string;
}) {
  const { describedBy, below } = useFieldText(meta as FieldMetadata<unknown>, hint);
  const labels = new Map(options.map((o) => [o.value, o.label]));
  return (
    <fieldset
      className="flex flex-col gap-1"
      aria-describedby={describedBy}
      aria-invalid={meta.errors?.length ? true : undefined}
    >
      <legend className="mb-1 text-sm font-medium text-stone-800">{legend}</legend>
      <div className={`grid gap-1 ${columns}`}>
        {getCollectionProps(meta as FieldMetadata<string[]>, {
          type: "checkbox",
          options: options.map((o) => o.value),
        }).map((props) => (
          <label
            key={props.key}
            className="flex min-h-11 items-center gap-2 rounded-lg bg-white px-2 ring-1 ring-stone-200 has-[:checked]:bg-leaf/10 has-[:checked]:ring-leaf"
          >
            <input {...props} key={props.key} className="size-5 accent-leaf" />
            <span className="whitespace-nowrap text-sm">{labels.get(props.value)}</span>
          </label>
        ))}
      </div>
      {below}
    </fieldset>
  );
}
