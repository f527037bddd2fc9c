import { getInputProps, type FieldMetadata } from "@conform-to/react";
import { useRouteLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";

/** The hidden CSRF field every mutating form carries (see modules/identity/csrf.server.ts). */
export function CsrfInput() {
  const root = useRouteLoaderData<{ csrf: string }>("root");
  return <input type="hidden" name="csrf" value={root?.csrf ?? ""} />;
}

/** Errors are i18n keys, optionally "key|{json values}". */
export function useErrorText() {
  const { t } = useTranslation();
  return (error: string | undefined): string | undefined => {
    if (!error) return undefined;
    const [key, values] = error.split("|");
    return String(t(key!, values ? (JSON.parse(values) as Record<string, unknown>) : {}));
  };
}

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
  const errorText = useErrorText();
  const error = errorText(meta.errors?.[0]);
  const hintId = hint ? `${meta.id}-hint` : undefined;
  return (
    <div className={`flex flex-col gap-1 ${className}`}>
      <label htmlFor={meta.id} className="text-sm font-medium text-stone-800">
        {label}
      </label>
      <input
        {...getInputProps(meta, { type, ariaDescribedBy: [hintId, error ? meta.errorId : undefined].filter(Boolean).join(" ") || undefined })}
        key={meta.key}
        autoComplete={autoComplete}
        inputMode={inputMode}
        className="min-h-11 rounded-lg border border-stone-300 bg-white px-3 text-base outline-none focus:border-leaf focus:ring-2 focus:ring-leaf/30 aria-[invalid=true]:border-red-600"
      />
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
