import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AdminLayout } from "~/components/admin-layout";
import { CsrfInput } from "~/components/forms";
import { getFixedT } from "~/lib/i18n.server";
import { formatDateTime } from "~/lib/time";
import { listSessions, requireUser } from "~/modules/identity/session.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const { t } = await getFixedT(request);
  return {
    title: t("auth.accountTitle"),
    user: { name: user.name ?? "", identifier: user.phone ?? user.email ?? "" },
    sessions: (await listSessions(user.id, request)).map((s) => ({ ...s, createdAt: s.createdAt.toISOString() })),
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export default function Account() {
  const { t, i18n } = useTranslation();
  const { user, sessions } = useLoaderData<typeof loader>();
  return (
    <AdminLayout userName={user.name || user.identifier}>
      <h1 className="text-2xl font-bold">{t("auth.accountTitle")}</h1>
      <p className="mt-1 text-stone-600">
        {user.name} · {user.identifier}
      </p>
      <h2 className="mt-6 text-lg font-semibold">{t("auth.sessions")}</h2>
      <ul className="mt-2 space-y-2" data-testid="sessions">
        {sessions.map((s, i) => (
          <li key={i} className="rounded-xl bg-white px-3 py-2 text-sm ring-1 ring-stone-200">
            <span className="block truncate">{s.userAgent ?? "—"}</span>
            <span className="text-stone-600">
              {t("auth.signedInAt", { date: formatDateTime(s.createdAt, i18n.language) })}
              {s.current ? ` · ${t("auth.currentDevice")}` : ""}
            </span>
          </li>
        ))}
      </ul>
      <Form method="post" action="/logout" className="mt-6">
        <CsrfInput />
        <input type="hidden" name="everywhere" value="1" />
        <button type="submit" className="min-h-11 rounded-full border border-red-300 px-5 font-medium text-red-800">
          {t("auth.signOutEverywhere")}
        </button>
      </Form>
    </AdminLayout>
  );
}
