import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { LanguageSwitch } from "./language-switch";

/** The platform's plain frame for sign-up, sign-in and account pages. */
export function AuthLayout({ title, intro, children }: { title: string; intro?: string; children: React.ReactNode }) {
  const { t } = useTranslation();
  return (
    <div className="flex min-h-screen flex-col">
      <header className="bg-leaf text-white">
        <div className="mx-auto flex max-w-6xl items-center justify-between gap-3 px-4 py-3">
          <Link to="/" className="text-lg font-bold">
            {t("app.name")}
          </Link>
          <LanguageSwitch className="text-white" />
        </div>
      </header>
      <main id="main" className="mx-auto w-full max-w-md flex-1 px-4 py-8">
        <h1 className="text-2xl font-bold">{title}</h1>
        {intro ? <p className="mt-1 text-stone-600">{intro}</p> : null}
        <div className="mt-6">{children}</div>
      </main>
    </div>
  );
}
