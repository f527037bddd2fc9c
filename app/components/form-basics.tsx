import { useRouteLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";

// What every form needs, kept apart from the field components in ./forms (which pull in
// Conform): buyers' pages import only this (docs/decisions/014-client-javascript.md).

/**
 * The hidden CSRF field every mutating form carries (see modules/identity/csrf.server.ts);
 * empty on pages that may be cached for everyone, whose forms the browser vouches for.
 */
export function CsrfInput() {
  const root = useRouteLoaderData<{ csrf: string | null }>("root");
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
