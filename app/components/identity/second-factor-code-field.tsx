import { useTranslation } from "react-i18next";

/** The one field of the two-step pages: a code from the authenticator app, or a recovery code. */
export function SecondFactorCodeField({ invalid }: { invalid: boolean }) {
  const { t } = useTranslation();
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor="code" className="text-sm font-medium text-stone-800">
        {t("security.signIn.code")}
      </label>
      <input
        id="code"
        name="code"
        required
        autoFocus
        autoComplete="one-time-code"
        maxLength={40}
        aria-describedby="code-hint"
        aria-invalid={invalid ? true : undefined}
        className="min-h-11 w-full rounded-lg border border-stone-300 bg-white px-3 text-base tracking-widest outline-none focus:border-leaf focus:ring-2 focus:ring-leaf/30"
      />
      <p id="code-hint" className="text-xs text-stone-600">
        {t("security.signIn.codeHint")}
      </p>
    </div>
  );
}
