import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CsrfInput, FormError } from "~/components/forms";

// One county's coordinators on /platform/counties: the list, a remove button for each, and a
// small form to appoint an existing account. Plain forms: they work without JavaScript.

export interface CoordinatorItem {
  userId: string;
  name: string | null;
  contact: string;
}

export function CountyCoordinators({
  countyCode,
  countyName,
  coordinators,
  error,
  identifier,
}: {
  countyCode: string;
  countyName: string;
  coordinators: CoordinatorItem[];
  error?: string;
  identifier?: string;
}) {
  const { t } = useTranslation();
  const inputId = `coordinator-${countyCode}`;
  return (
    <div className="mt-3 border-t border-stone-100 pt-3" data-testid={`coordinators-${countyCode}`}>
      <h3 className="text-sm font-semibold">{t("coordinators.title")}</h3>
      {coordinators.length === 0 ? (
        <p className="mt-1 text-sm text-stone-600">{t("coordinators.none")}</p>
      ) : (
        <ul className="mt-1 flex flex-col gap-1">
          {coordinators.map((c) => (
            <li key={c.userId} className="flex flex-wrap items-center justify-between gap-2 text-sm">
              <span className="min-w-0 break-all">
                {c.name ? `${c.name} · ` : ""}
                {c.contact}
              </span>
              <Form method="post">
                <CsrfInput />
                <input type="hidden" name="intent" value="removeCoordinator" />
                <input type="hidden" name="county" value={countyCode} />
                <input type="hidden" name="userId" value={c.userId} />
                <button
                  type="submit"
                  aria-label={t("coordinators.removeLabel", { name: c.name ?? c.contact, county: countyName })}
                  className="min-h-11 rounded-full px-3 text-red-700 ring-1 ring-red-200 hover:bg-red-50"
                >
                  {t("coordinators.remove")}
                </button>
              </Form>
            </li>
          ))}
        </ul>
      )}
      <Form method="post" className="mt-2 flex flex-col gap-2">
        <CsrfInput />
        <input type="hidden" name="intent" value="appointCoordinator" />
        <input type="hidden" name="county" value={countyCode} />
        <FormError errors={error ? [error] : undefined} />
        <label htmlFor={inputId} className="text-sm font-medium text-stone-800">
          {t("coordinators.appointLabel")}
        </label>
        <div className="flex flex-wrap gap-2">
          <input
            id={inputId}
            name="identifier"
            required
            maxLength={254}
            defaultValue={identifier}
            aria-invalid={error ? true : undefined}
            className="min-h-11 min-w-0 flex-1 rounded-lg border border-stone-300 px-3"
          />
          <button
            type="submit"
            className="min-h-11 rounded-full bg-leaf px-4 font-semibold text-white shadow-sm hover:brightness-110"
          >
            {t("coordinators.appoint")}
          </button>
        </div>
      </Form>
    </div>
  );
}
