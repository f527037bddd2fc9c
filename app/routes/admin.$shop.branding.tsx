import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import {
  data,
  redirect,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { BrandHeaderPreview } from "~/components/brand-header-preview";
import { CsrfInput, FormError, SubmitButton, TextField, useErrorText } from "~/components/forms";
import { Picture } from "~/components/picture";
import { clientAddress } from "~/lib/client-address.server";
import { getFixedT } from "~/lib/i18n.server";
import {
  getBranding,
  removeBrandImage,
  replaceBrandImage,
  saveBrandColours,
  type BrandImageRole,
} from "~/modules/branding/branding.server";
import { brandContrast, formatRatio, MIN_CONTRAST } from "~/modules/branding/contrast";
import { chosenColour, coloursSchema, domainSchema, HEX_COLOUR } from "~/modules/branding/schema";
import {
  checkShopDomainNow,
  getDomainStatus,
  setCustomDomain,
  type DomainStatus,
} from "~/modules/domains/domains.server";
import { requireShopAccess } from "~/modules/identity/access.server";
import { requireCsrf } from "~/modules/identity/csrf.server";
import { ACCEPTED_IMAGE_TYPES, megabytes } from "~/modules/media/limits";
import { chosenFiles, readPhotoForm } from "~/modules/media/upload-form.server";
import { uploadMaxBytes, type UploadRefusal } from "~/modules/media/upload.server";

const SAVED = ["colours", "domain", "domainChecked", "logo", "banner", "logoRemoved", "bannerRemoved"] as const;
const ROLE_OF = { logo: "LOGO", banner: "BANNER" } as const satisfies Record<string, BrandImageRole>;
type ImageSlot = keyof typeof ROLE_OF;

function errorText(refusal: Pick<UploadRefusal, "error" | "values">): string {
  return refusal.values ? `${refusal.error}|${JSON.stringify(refusal.values)}` : refusal.error;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { shop } = await requireShopAccess(request, params.shop, "shop:edit");
  const { t, lng } = await getFixedT(request);
  return {
    title: t("media.branding.title"),
    branding: await getBranding({ shopId: shop.id, lng }),
    domain: await getDomainStatus({ shopId: shop.id, lng }),
    maxMegabytes: megabytes(uploadMaxBytes()),
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

/** The page as its parents send it, plus a refused check's Retry-After (for a form posted without JavaScript). */
export const headers: HeadersFunction = ({ parentHeaders, actionHeaders }) => {
  const headers = new Headers(parentHeaders);
  const retryAfter = actionHeaders.get("Retry-After");
  if (retryAfter) headers.set("Retry-After", retryAfter);
  return headers;
};

export async function action({ request, params }: ActionFunctionArgs) {
  // Access first: a stranger's request body is never read into memory.
  const { shop, user } = await requireShopAccess(request, params.shop, "shop:edit");
  const form = await readPhotoForm(request);
  if (!form.ok) return data({ intent: "image" as const, slot: null, formError: errorText(form) }, { status: 400 });
  const { formData } = form;
  await requireCsrf(request, formData);
  const here = `/admin/${shop.slug}/branding`;
  const intent = String(formData.get("intent"));

  switch (intent) {
    case "colours": {
      const submission = parseWithZod(formData, { schema: coloursSchema });
      const submitted = {
        themePrimary: chosenColour(
          formData.get("themePrimary"),
          formData.get("themePrimaryPicker"),
          formData.get("themePrimaryWas"),
        ),
        themeAccent: chosenColour(
          formData.get("themeAccent"),
          formData.get("themeAccentPicker"),
          formData.get("themeAccentWas"),
        ),
      };
      if (submission.status !== "success")
        return data({ intent: "colours" as const, reply: submission.reply(), submitted }, { status: 400 });
      const { themePrimary, themeAccent } = submission.value;
      const result = await saveBrandColours({ shopId: shop.id, primary: themePrimary, accent: themeAccent });
      if (!result.ok) {
        return data(
          { intent: "colours" as const, reply: submission.reply({ formErrors: [result.error] }), submitted },
          { status: 400 },
        );
      }
      return redirect(`${here}?saved=colours`);
    }
    case "domain": {
      const submission = parseWithZod(formData, { schema: domainSchema });
      if (submission.status !== "success")
        return data({ intent: "domain" as const, reply: submission.reply() }, { status: 400 });
      const actor = { userId: user.id, ip: clientAddress(request), userAgent: request.headers.get("User-Agent") };
      const result = await setCustomDomain({ shopId: shop.id, domain: submission.value.customDomain, actor });
      if (!result.ok) {
        return data(
          { intent: "domain" as const, reply: submission.reply({ fieldErrors: { customDomain: [result.error] } }) },
          { status: 400 },
        );
      }
      return redirect(`${here}?saved=domain`);
    }
    case "checkDomain": {
      const actor = { userId: user.id, ip: clientAddress(request), userAgent: request.headers.get("User-Agent") };
      const checked = await checkShopDomainNow({ shopId: shop.id, actor });
      if (!checked.ok) {
        const minutes = Math.max(1, Math.ceil(checked.retryAfterSeconds / 60));
        return data(
          {
            intent: "checkDomain" as const,
            formError: `media.branding.domainStatus.tooManyChecks|${JSON.stringify({ count: minutes })}`,
          },
          { status: 429, headers: { "Retry-After": String(checked.retryAfterSeconds) } },
        );
      }
      return redirect(`${here}?saved=domainChecked#own-domain`);
    }
    case "logo":
    case "banner": {
      const [file] = chosenFiles(formData, intent);
      if (!file)
        return data(
          { intent: "image" as const, slot: intent, formError: "media.branding.errors.noneChosen" },
          { status: 400 },
        );
      const alt =
        intent === "logo"
          ? { zh: `${shop.nameZh} 标志`, en: `${shop.nameEn} logo` }
          : { zh: shop.nameZh, en: shop.nameEn };
      const result = await replaceBrandImage({ shopId: shop.id, role: ROLE_OF[intent], file, alt });
      if (!result.ok)
        return data({ intent: "image" as const, slot: intent, formError: errorText(result) }, { status: 400 });
      return redirect(`${here}?saved=${intent}`);
    }
    case "removeLogo":
    case "removeBanner": {
      const slot: ImageSlot = intent === "removeLogo" ? "logo" : "banner";
      await removeBrandImage({ shopId: shop.id, role: ROLE_OF[slot] });
      return redirect(`${here}?saved=${slot}Removed`);
    }
    default:
      throw new Response(null, { status: 400 });
  }
}

export default function Branding() {
  const { t } = useTranslation();
  const { branding } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [search] = useSearchParams();
  const saved = SAVED.find((s) => s === search.get("saved"));
  const submitted = actionData?.intent === "colours" ? actionData.submitted : undefined;
  // The colours as they stand in the form (the preview follows them while JS runs).
  const [primaryText, setPrimaryText] = useState(submitted?.themePrimary ?? branding.themePrimary);
  const [accentText, setAccentText] = useState(submitted?.themeAccent ?? branding.themeAccent);
  const primary = HEX_COLOUR.test(primaryText) ? primaryText : branding.themePrimary;
  const accent = HEX_COLOUR.test(accentText) ? accentText : branding.themeAccent;

  return (
    <div className="flex flex-col gap-5">
      <h1 className="text-2xl font-bold">{t("media.branding.title")}</h1>
      {saved && !actionData ? (
        <p role="status" className="rounded-lg bg-emerald-50 px-3 py-2 text-emerald-900 ring-1 ring-emerald-200">
          {t(`media.branding.saved.${saved}`)}
        </p>
      ) : null}
      {actionData?.intent === "image" && !actionData.slot ? <FormError errors={[actionData.formError]} /> : null}

      <section aria-labelledby="preview-heading" className="flex flex-col gap-2">
        <h2 id="preview-heading" className="text-lg font-semibold">
          {t("media.branding.previewTitle")}
        </h2>
        <BrandHeaderPreview
          name={branding.name}
          village={branding.village}
          county={branding.county}
          logo={branding.logo}
          primary={primary}
          accent={accent}
        />
        <p className="text-xs text-stone-600">{t("media.branding.previewHint")}</p>
      </section>

      <ColoursForm
        primaryText={primaryText}
        accentText={accentText}
        primary={primary}
        accent={accent}
        onPrimary={setPrimaryText}
        onAccent={setAccentText}
      />
      {/* A new picture remounts its form, which clears the chosen file. */}
      <BrandImageForm key={branding.logo?.src ?? "no-logo"} slot="logo" />
      <BrandImageForm key={branding.banner?.src ?? "no-banner"} slot="banner" />
      <DomainForm />
    </div>
  );
}

const cardClass = "flex flex-col gap-3 rounded-2xl bg-white p-4 ring-1 ring-stone-200";

function ColoursForm({
  primaryText,
  accentText,
  primary,
  accent,
  onPrimary,
  onAccent,
}: {
  primaryText: string;
  accentText: string;
  primary: string;
  accent: string;
  onPrimary: (value: string) => void;
  onAccent: (value: string) => void;
}) {
  const { t } = useTranslation();
  const { branding } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm<{ themePrimary: string; themeAccent: string }>({
    id: "colours",
    lastResult: actionData?.intent === "colours" ? actionData.reply : undefined,
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: coloursSchema }),
  });
  const ratios = brandContrast(primary, accent);
  return (
    <Form method="post" {...getFormProps(form)} className={cardClass}>
      <h2 className="text-lg font-semibold">{t("media.branding.coloursTitle")}</h2>
      <p className="text-sm text-stone-600">{t("media.branding.coloursHint", { min: MIN_CONTRAST })}</p>
      <CsrfInput />
      <input type="hidden" name="intent" value="colours" />
      <ColourField
        name="themePrimary"
        label={t("media.branding.primary")}
        text={primaryText}
        colour={primary}
        was={branding.themePrimary}
        onChange={onPrimary}
        errors={fields.themePrimary.errors}
        errorId={fields.themePrimary.errorId}
        check={t("media.branding.primaryCheck", { ratio: formatRatio(ratios.primary) })}
        passes={ratios.primary >= MIN_CONTRAST}
      />
      <ColourField
        name="themeAccent"
        label={t("media.branding.accent")}
        text={accentText}
        colour={accent}
        was={branding.themeAccent}
        onChange={onAccent}
        errors={fields.themeAccent.errors}
        errorId={fields.themeAccent.errorId}
        check={t("media.branding.accentCheck", { ratio: formatRatio(ratios.accent) })}
        passes={ratios.accent >= MIN_CONTRAST}
      />
      <FormError errors={form.errors} />
      <div>
        <SubmitButton pending={navigation.state === "submitting" && navigation.formData?.get("intent") === "colours"}>
          {t("media.branding.saveColours")}
        </SubmitButton>
      </div>
    </Form>
  );
}

function ColourField({
  name,
  label,
  text,
  colour,
  was,
  onChange,
  errors,
  errorId,
  check,
  passes,
}: {
  name: string;
  label: string;
  text: string;
  colour: string;
  was: string;
  onChange: (value: string) => void;
  errors?: string[];
  errorId: string;
  check: string;
  passes: boolean;
}) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const error = errorText(errors?.[0]);
  const id = `${name}-text`;
  return (
    <fieldset className="flex flex-col gap-1">
      <legend className="text-sm font-medium text-stone-800">{label}</legend>
      <input type="hidden" name={`${name}Was`} value={was} />
      <div className="flex items-center gap-2">
        <input
          type="color"
          name={`${name}Picker`}
          value={colour}
          onChange={(event) => onChange(event.currentTarget.value)}
          aria-label={t("media.branding.picker", { label })}
          className="h-11 w-14 shrink-0 cursor-pointer rounded-lg border border-stone-300 bg-white p-1"
        />
        <label htmlFor={id} className="sr-only">
          {t("media.branding.hex", { label })}
        </label>
        <input
          id={id}
          type="text"
          name={name}
          value={text}
          onChange={(event) => onChange(event.currentTarget.value.trim().toLowerCase())}
          inputMode="text"
          autoComplete="off"
          spellCheck={false}
          maxLength={7}
          pattern="#?[0-9a-fA-F]{6}"
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : `${name}-check`}
          className="min-h-11 w-32 rounded-lg border border-stone-300 bg-white px-3 font-mono text-base outline-none focus:border-leaf focus:ring-2 focus:ring-leaf/30 aria-[invalid=true]:border-red-600"
        />
      </div>
      <p id={`${name}-check`} className={`text-sm ${passes ? "text-emerald-800" : "text-red-700"}`}>
        {passes ? "✓" : "✗"} {check}
      </p>
      {error ? (
        <p id={errorId} className="text-sm text-red-700" role="alert">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}

function BrandImageForm({ slot }: { slot: ImageSlot }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const { branding, maxMegabytes } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const picture = branding[slot];
  const uploading = navigation.state === "submitting" && navigation.formData?.get("intent") === slot;
  const error = actionData?.intent === "image" && actionData.slot === slot ? actionData.formError : undefined;
  const inputId = `${slot}-file`;
  return (
    <section aria-labelledby={`${slot}-heading`} className={cardClass}>
      <h2 id={`${slot}-heading`} className="text-lg font-semibold">
        {t(`media.branding.${slot}Title`)}
      </h2>
      {picture ? (
        <Picture
          picture={picture}
          sizes={slot === "logo" ? "96px" : "(min-width: 1024px) 960px, 100vw"}
          className={
            slot === "logo"
              ? "size-24 rounded-xl bg-white object-cover ring-1 ring-stone-200"
              : "h-auto w-full rounded-xl"
          }
        />
      ) : (
        <p className="text-stone-700">{t(`media.branding.${slot}Empty`)}</p>
      )}
      <Form method="post" encType="multipart/form-data" className="flex flex-col gap-2" aria-busy={uploading}>
        <CsrfInput />
        <input type="hidden" name="intent" value={slot} />
        <label htmlFor={inputId} className="text-sm font-medium text-stone-800">
          {t(picture ? `media.branding.${slot}Replace` : `media.branding.${slot}Choose`)}
        </label>
        <input
          id={inputId}
          type="file"
          name={slot}
          accept={ACCEPTED_IMAGE_TYPES}
          aria-describedby={`${slot}-hint`}
          aria-invalid={error ? true : undefined}
          className="text-sm file:mr-3 file:min-h-11 file:rounded-full file:border-0 file:bg-stone-100 file:px-4 file:font-medium"
        />
        <p id={`${slot}-hint`} className="text-xs text-stone-600">
          {t(`media.branding.${slot}Hint`, { max: maxMegabytes })}
        </p>
        {error ? (
          <p className="text-sm text-red-700" role="alert">
            {errorText(error)}
          </p>
        ) : null}
        <div className="flex flex-wrap items-center gap-3">
          <SubmitButton pending={uploading}>
            {uploading ? t("media.photos.uploading") : t("media.branding.upload")}
          </SubmitButton>
          {uploading ? <progress className="h-2 w-32 accent-leaf" aria-label={t("media.photos.uploading")} /> : null}
        </div>
      </Form>
      {picture ? (
        <Form method="post">
          <CsrfInput />
          <input type="hidden" name="intent" value={slot === "logo" ? "removeLogo" : "removeBanner"} />
          <button
            type="submit"
            className="min-h-11 rounded-full px-4 text-sm font-medium text-red-700 ring-1 ring-red-200 hover:bg-red-50"
          >
            {t(`media.branding.${slot}Remove`)}
          </button>
        </Form>
      ) : null}
    </section>
  );
}

function DomainForm() {
  const { t } = useTranslation();
  const { domain } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: "domain",
    lastResult: actionData?.intent === "domain" ? actionData.reply : undefined,
    defaultValue: { customDomain: domain?.domain ?? "" },
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: domainSchema }),
  });
  return (
    <section id="own-domain" aria-labelledby="domain-heading" className={cardClass}>
      <h2 id="domain-heading" className="text-lg font-semibold">
        {t("media.branding.domainTitle")}
      </h2>
      <p className="text-sm text-stone-600">{t("media.branding.domainIntro")}</p>
      <Form method="post" {...getFormProps(form)} className="flex flex-col gap-3">
        <CsrfInput />
        <input type="hidden" name="intent" value="domain" />
        <TextField
          meta={fields.customDomain}
          label={t("media.branding.domain")}
          hint={t("media.branding.domainHint")}
          inputMode="text"
          autoComplete="off"
        />
        <FormError errors={form.errors} />
        <div>
          <SubmitButton pending={navigation.state === "submitting" && navigation.formData?.get("intent") === "domain"}>
            {t("media.branding.saveDomain")}
          </SubmitButton>
        </div>
      </Form>
      {domain ? (
        <DomainStatusPanel
          status={domain}
          checking={navigation.state === "submitting" && navigation.formData?.get("intent") === "checkDomain"}
        />
      ) : null}
    </section>
  );
}

const STATE_STYLE = {
  verified: "bg-emerald-50 text-emerald-900 ring-emerald-200",
  failing: "bg-amber-50 text-amber-950 ring-amber-300",
  pending: "bg-sky-50 text-sky-950 ring-sky-200",
} as const;

/** Where the domain stands, the record to add, and a button to check it now (all without JavaScript). */
function DomainStatusPanel({ status, checking }: { status: DomainStatus; checking: boolean }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const actionData = useActionData<typeof action>();
  const refused = actionData?.intent === "checkDomain" ? actionData.formError : undefined;
  const s = "media.branding.domainStatus";
  const error = status.error ? t(`${s}.errors.${status.error}`, { name: status.record.name }) : null;
  return (
    <div
      className="flex flex-col gap-3 border-t border-stone-200 pt-3"
      data-testid="domain-status"
      data-state={status.state}
    >
      <div
        role="status"
        className={`flex flex-col gap-1 rounded-lg px-3 py-2 text-sm ring-1 ${STATE_STYLE[status.state]}`}
      >
        <p className="font-semibold">{t(`${s}.${status.state}Title`, { domain: status.domain })}</p>
        {status.state === "verified" ? (
          <p>{t(`${s}.verifiedText`, { domain: status.domain, at: status.verifiedAt })}</p>
        ) : null}
        {status.state === "failing" ? (
          <p>
            {t(`${s}.failingText`, { since: status.failingSince, count: status.checksLeft, domain: status.domain })}
          </p>
        ) : null}
        {status.state === "pending" ? <p>{t(`${s}.pendingText`, { domain: status.domain })}</p> : null}
        {error ? <p>{t(`${s}.lastError`, { error })}</p> : null}
        <p className="text-xs opacity-80">
          {status.checkedAt ? t(`${s}.checkedAt`, { at: status.checkedAt }) : t(`${s}.neverChecked`)}{" "}
          {t(`${s}.every`, { count: status.everyMinutes })}
        </p>
      </div>

      <div className="flex flex-col gap-2">
        <h3 className="text-base font-semibold">{t(`${s}.recordTitle`)}</h3>
        <p className="text-sm text-stone-700">{t(`${s}.recordHint`)}</p>
        <dl className="grid grid-cols-1 gap-x-3 gap-y-1 rounded-lg bg-stone-50 p-3 text-sm ring-1 ring-stone-200 sm:grid-cols-[auto_1fr]">
          <dt className="font-medium text-stone-700">{t(`${s}.recordType`)}</dt>
          <dd className="font-mono">{status.record.type}</dd>
          <dt className="font-medium text-stone-700">{t(`${s}.recordName`)}</dt>
          <dd className="font-mono break-all select-all" data-testid="record-name">
            {status.record.name}
          </dd>
          <dt className="font-medium text-stone-700">{t(`${s}.recordValue`)}</dt>
          <dd className="font-mono break-all select-all" data-testid="record-value">
            {status.record.value}
          </dd>
        </dl>
        <p className="text-sm text-stone-700">{t(`${s}.pointHint`, { host: status.platformHost })}</p>
      </div>

      <Form method="post" className="flex flex-col gap-2">
        <CsrfInput />
        <input type="hidden" name="intent" value="checkDomain" />
        {refused ? (
          <p className="text-sm text-red-700" role="alert" data-testid="check-refused">
            {errorText(refused)}
          </p>
        ) : null}
        <SubmitButton pending={checking}>{t(`${s}.checkNow`)}</SubmitButton>
      </Form>
    </div>
  );
}
