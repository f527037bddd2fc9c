import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AuthLayout } from "~/components/auth-layout";

/** A one-time link that was used or has expired: say so, and offer a fresh start. */
export function SpentLink({ title, message }: { title: string; message: string }) {
  const { t } = useTranslation();
  return (
    <AuthLayout title={title}>
      <p role="alert" className="rounded-lg bg-amber-50 px-3 py-2 text-amber-900 ring-1 ring-amber-200">
        {message}
      </p>
      <Link to="/forgot-password" className="mt-4 inline-block text-leaf underline">
        {t("auth.forgotTitle")}
      </Link>
    </AuthLayout>
  );
}
