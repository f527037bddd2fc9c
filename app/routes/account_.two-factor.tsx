import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import {
  Form,
  Link,
  useActionData,
  useLoaderData,
  useNavigation,
  type ClientLoaderFunctionArgs,
} from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AdminLayout } from "~/components/admin-layout";
import { CsrfInput, FormError } from "~/components/forms";
import { getFixedT } from "~/lib/i18n.server";
import { loadStaffMessages } from "~/lib/i18n-client";
import { safeRedirect } from "~/lib/safe-redirect";
import { formatDateTime } from "~/lib/time";
import { requireCsrf } from "~/modules/identity/csrf.server";
import {
  checkSecondFactorLimit,
  recordSecondFactorFailure,
  tooManyCodesError,
} from "~/modules/identity/second-factor-limit.server";
import { currentSession, markSecondFactor, requireUser } from "~/modules/identity/session.server";
import {
  confirmEnrolment,
  disableTwoFactor,
  pendingEnrolment,
  regenerateRecoveryCodes,
  startEnrolment,
  twoFactorStatus,
} from "~/modules/identity/two-factor.server";
import { endOtherSessions } from "~/modules/identity/two-factor-sessions.server";
import { qrSvg } from "~/modules/trace/qr.server";
import { recordSecurityEvent } from "~/modules/security/security-log.server";
import { requestSource } from "~/modules/security/request-source.server";
import { readForm } from "~/lib/request-bounds.server";

// /account/two-factor: set up two-step verification (QR code of the otpauth:// address, the key
// to type by hand, confirmed by a first code), see the recovery codes once, make new ones, or
// turn it off with a code or the password. Platform admins are sent here until they have it.

const REQUIRED = ["platform", "money"] as const;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const { t } = await getFixedT(request);
  const search = new URL(request.url).searchParams;
  const status = await twoFactorStatus(user.id);
  const enrolment = status.enabled ? null : await pendingEnrolment(user);
  return {
    title: t("security.twoFactor.title"),
    userName: user.name ?? user.phone ?? user.email ?? "",
    isPlatformAdmin: user.isPlatformAdmin,
    status: {
      enabled: status.enabled,
      enabledAt: status.enabledAt?.toISOString() ?? null,
      recoveryCodesLeft: status.recoveryCodesLeft,
    },
    enrolment: enrolment ? { qr: await qrSvg(enrolment.uri), manualKey: enrolment.manualKey } : null,
    required: REQUIRED.find((r) => r === search.get("required")) ?? null,
    redirectTo: search.get("redirectTo") ? safeRedirect(search.get("redirectTo"), "/account") : null,
    disabled: search.get("disabled") === "1" && !status.enabled,
  };
}

export async function clientLoader({ serverLoader }: ClientLoaderFunctionArgs) {
  const [loaded] = await Promise.all([serverLoader<typeof loader>(), loadStaffMessages()]);
  return loaded;
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

type Reply =
  | { form: "confirm" | "regenerate" | "disable"; error: string }
  | { form: "codes"; recoveryCodes: string[]; redirectTo: string; enabledNow: boolean };

export async function action({ request }: ActionFunctionArgs) {
  const formData = await readForm(request);
  await requireCsrf(request, formData);
  const user = await requireUser(request);
  const source = requestSource(request);
  const url = new URL(request.url);
  const back = safeRedirect(url.searchParams.get("redirectTo"), "/account");
  const intent = formData.get("intent");
  const code = String(formData.get("code") ?? "").slice(0, 64);

  if (intent === "start") {
    await startEnrolment(user);
    return redirect(`${url.pathname}${url.search}`);
  }
  if (intent !== "confirm" && intent !== "regenerate" && intent !== "disable") {
    return data<Reply>({ form: "confirm", error: "security.errors.codeRequired" }, { status: 400 });
  }
  const password = intent === "disable" ? String(formData.get("password") ?? "").slice(0, 128) : "";
  if (!code.trim() && !password)
    return data<Reply>({ form: intent, error: "security.errors.codeRequired" }, { status: 400 });

  const limit = await checkSecondFactorLimit({ userId: user.id, ip: source.ip });
  if (!limit.ok) {
    return data<Reply>(
      {
        form: intent,
        error: tooManyCodesError(limit.retryAfterSeconds),
      },
      { status: 429, headers: { "Retry-After": String(limit.retryAfterSeconds) } },
    );
  }
  const failed = async (error: string) => {
    await recordSecondFactorFailure({ userId: user.id, ip: source.ip });
    return data<Reply>({ form: intent, error }, { status: 400 });
  };

  switch (intent) {
    case "confirm": {
      const result = await confirmEnrolment(user.id, code);
      if (!result.ok) return failed(result.error);
      // This session proved the code; every other one (perhaps someone who knew the password) ends.
      await markSecondFactor(request);
      const session = await currentSession(request);
      await endOtherSessions(user.id, session?.id ?? null);
      await recordSecurityEvent({ type: "totp_enabled", userId: user.id, ...source });
      return data<Reply>({ form: "codes", recoveryCodes: result.recoveryCodes, redirectTo: back, enabledNow: true });
    }
    case "regenerate": {
      const result = await regenerateRecoveryCodes(user.id, code);
      if (!result.ok) return failed("security.errors.codeWrong");
      await markSecondFactor(request);
      await recordSecurityEvent({
        type: "totp_enabled",
        userId: user.id,
        ...source,
        detail: { recoveryCodes: "regenerated" },
      });
      return data<Reply>({ form: "codes", recoveryCodes: result.recoveryCodes, redirectTo: back, enabledNow: false });
    }
    case "disable": {
      const result = await disableTwoFactor(user.id, code.trim() ? { code } : { password });
      if (!result.ok) {
        if (result.error === "security.errors.requiredForAdmins")
          return data<Reply>({ form: intent, error: result.error }, { status: 403 });
        return failed(result.error);
      }
      await recordSecurityEvent({
        type: "totp_disabled",
        userId: user.id,
        ...source,
        detail: { proof: result.method },
      });
      return redirect("/account/two-factor?disabled=1");
    }
  }
}

const card = "rounded-2xl bg-white p-4 ring-1 ring-stone-200";
const input =
  "min-h-11 w-full rounded-lg border border-stone-300 bg-white px-3 text-base outline-none focus:border-leaf focus:ring-2 focus:ring-leaf/30";
const button = "min-h-11 rounded-full bg-leaf px-5 font-semibold text-white disabled:opacity-60";

function CodeInput({ id, label, hint, invalid }: { id: string; label: string; hint?: string; invalid?: boolean }) {
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium text-stone-800">
        {label}
      </label>
      <input
        id={id}
        name="code"
        autoComplete="one-time-code"
        maxLength={40}
        aria-describedby={hint ? `${id}-hint` : undefined}
        aria-invalid={invalid ? true : undefined}
        className={`${input} tracking-widest`}
      />
      {hint ? (
        <p id={`${id}-hint`} className="text-xs text-stone-600">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

export default function TwoFactorSettings() {
  const { t, i18n } = useTranslation();
  const { userName, status, enrolment, required, isPlatformAdmin, redirectTo, disabled } =
    useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>() as Reply | undefined;
  const busy = useNavigation().state !== "idle";
  const errorOf = (form: string) => (reply && "error" in reply && reply.form === form ? [reply.error] : undefined);

  if (reply?.form === "codes") {
    return (
      <AdminLayout userName={userName}>
        {reply.enabledNow ? (
          <p
            role="status"
            className="mb-3 rounded-lg bg-emerald-50 px-3 py-2 text-emerald-900 ring-1 ring-emerald-200"
            data-testid="two-factor-enabled"
          >
            {t("security.twoFactor.enabled")}
          </p>
        ) : null}
        <h1 className="text-2xl font-bold">{t("security.twoFactor.recoveryTitle")}</h1>
        <p className="mt-1 text-stone-700">{t("security.twoFactor.recoveryIntro")}</p>
        <ol className="mt-4 grid grid-cols-1 gap-2 font-mono text-base sm:grid-cols-2" data-testid="recovery-codes">
          {reply.recoveryCodes.map((code) => (
            <li key={code} className="rounded-lg bg-white px-3 py-2 ring-1 ring-stone-200">
              {code}
            </li>
          ))}
        </ol>
        <Link to={reply.redirectTo} className={`${button} mt-6 inline-flex items-center`}>
          {t("security.twoFactor.continue")}
        </Link>
      </AdminLayout>
    );
  }

  return (
    <AdminLayout userName={userName}>
      <h1 className="text-2xl font-bold">{t("security.twoFactor.title")}</h1>
      <p className="mt-1 text-stone-700">{t("security.twoFactor.intro")}</p>
      {required ? (
        <p
          role="alert"
          className="mt-3 rounded-lg bg-amber-50 px-3 py-2 text-amber-900 ring-1 ring-amber-200"
          data-testid="two-factor-required"
        >
          {t(required === "platform" ? "security.twoFactor.requiredPlatform" : "security.twoFactor.requiredMoney")}
        </p>
      ) : null}
      {disabled ? (
        <p role="status" className="mt-3 rounded-lg bg-stone-100 px-3 py-2 text-stone-800">
          {t("security.twoFactor.disabled")}
        </p>
      ) : null}
      <p className="mt-3 font-medium" data-testid="two-factor-status">
        {status.enabled
          ? t("security.twoFactor.statusOn", { date: formatDateTime(status.enabledAt!, i18n.language) })
          : t("security.twoFactor.statusOff")}
      </p>

      {status.enabled ? (
        <div className="mt-4 flex flex-col gap-4">
          <p className="text-sm text-stone-700">
            {t("security.twoFactor.recoveryLeft", { count: status.recoveryCodesLeft })}
          </p>
          {redirectTo ? (
            <Link to={redirectTo} className={`${button} inline-flex w-fit items-center`}>
              {t("security.twoFactor.continue")}
            </Link>
          ) : null}
          <section className={card} aria-labelledby="regenerate-heading">
            <h2 id="regenerate-heading" className="text-lg font-semibold">
              {t("security.twoFactor.regenerateTitle")}
            </h2>
            <p className="mt-1 text-sm text-stone-700">{t("security.twoFactor.regenerateIntro")}</p>
            <Form method="post" className="mt-3 flex flex-col gap-3">
              <CsrfInput />
              <input type="hidden" name="intent" value="regenerate" />
              <FormError errors={errorOf("regenerate")} />
              <CodeInput
                id="regenerate-code"
                label={t("security.twoFactor.code")}
                invalid={Boolean(errorOf("regenerate"))}
              />
              <button type="submit" disabled={busy} className={`${button} w-fit`}>
                {t("security.twoFactor.regenerate")}
              </button>
            </Form>
          </section>
          <section className={card} aria-labelledby="disable-heading">
            <h2 id="disable-heading" className="text-lg font-semibold">
              {t("security.twoFactor.disableTitle")}
            </h2>
            {isPlatformAdmin ? (
              <p className="mt-1 text-sm text-stone-700">{t("security.twoFactor.adminsCannotDisable")}</p>
            ) : (
              <Form method="post" className="mt-3 flex flex-col gap-3">
                <p className="text-sm text-stone-700">{t("security.twoFactor.disableIntro")}</p>
                <CsrfInput />
                <input type="hidden" name="intent" value="disable" />
                <FormError errors={errorOf("disable")} />
                <CodeInput id="disable-code" label={t("security.twoFactor.code")} />
                <div className="flex flex-col gap-1">
                  <label htmlFor="disable-password" className="text-sm font-medium text-stone-800">
                    {t("security.twoFactor.password")}
                  </label>
                  <input
                    id="disable-password"
                    name="password"
                    type="password"
                    autoComplete="current-password"
                    className={input}
                  />
                </div>
                <button
                  type="submit"
                  disabled={busy}
                  className="min-h-11 w-fit rounded-full border border-red-300 px-5 font-medium text-red-800"
                >
                  {t("security.twoFactor.disable")}
                </button>
              </Form>
            )}
          </section>
        </div>
      ) : enrolment ? (
        <section className={`${card} mt-4 flex flex-col gap-3`} aria-labelledby="enrol-heading">
          <h2 id="enrol-heading" className="text-lg font-semibold">
            {t("security.twoFactor.step1")}
          </h2>
          <div
            role="img"
            aria-label={t("security.twoFactor.qrAlt")}
            className="w-56 max-w-full self-center [&>svg]:h-auto [&>svg]:w-full"
            data-testid="two-factor-qr"
            dangerouslySetInnerHTML={{ __html: enrolment.qr }}
          />
          <p className="text-sm text-stone-700">{t("security.twoFactor.manualKey")}</p>
          <code
            className="block break-all rounded-lg bg-stone-100 px-3 py-2 font-mono text-base"
            data-testid="two-factor-key"
          >
            {enrolment.manualKey}
          </code>
          <Form method="post" className="flex flex-col gap-3">
            <h2 className="text-lg font-semibold">{t("security.twoFactor.step2")}</h2>
            <CsrfInput />
            <input type="hidden" name="intent" value="confirm" />
            <FormError errors={errorOf("confirm")} />
            <CodeInput
              id="confirm-code"
              label={t("security.twoFactor.code")}
              hint={t("security.twoFactor.codeHint")}
              invalid={Boolean(errorOf("confirm"))}
            />
            <button type="submit" disabled={busy} className={`${button} w-fit`}>
              {t("security.twoFactor.confirm")}
            </button>
          </Form>
        </section>
      ) : (
        <Form method="post" className="mt-4">
          {!required ? <p className="mb-3 text-sm text-stone-700">{t("security.twoFactor.offered")}</p> : null}
          <CsrfInput />
          <input type="hidden" name="intent" value="start" />
          <button type="submit" disabled={busy} className={button}>
            {t("security.twoFactor.start")}
          </button>
        </Form>
      )}
    </AdminLayout>
  );
}
