import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CsrfInput, FormError, SubmitButton, TextField } from "~/components/forms";
import { CountyCoordinators } from "~/components/platform/county-coordinators";
import { getFixedT } from "~/lib/i18n.server";
import { requireCsrf } from "~/modules/identity/csrf.server";
import { requirePlatformAdmin } from "~/modules/identity/session.server";
import { createCounty, listCounties } from "~/modules/platform/counties.server";
import {
  appointCoordinator,
  listCoordinatorsByCounty,
  removeCoordinator,
} from "~/modules/platform/coordinators.server";
import { coordinatorSchema } from "~/modules/platform/county-schema";
import { requestSource } from "~/modules/security/request-source.server";
import { countySchema } from "~/modules/platform/county-schema";
import { readForm } from "~/lib/request-bounds.server";

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePlatformAdmin(request);
  const { t, lng } = await getFixedT(request);
  const [counties, coordinators] = await Promise.all([listCounties(lng), listCoordinatorsByCounty()]);
  return { title: t("platform.counties.title"), counties, coordinators };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function action({ request }: ActionFunctionArgs) {
  const formData = await readForm(request);
  await requireCsrf(request, formData);
  const admin = await requirePlatformAdmin(request);
  const intent = formData.get("intent");
  if (intent === "appointCoordinator" || intent === "removeCoordinator") {
    const parsed = coordinatorSchema.safeParse(Object.fromEntries(formData));
    const county = String(formData.get("county") ?? "").slice(0, 6);
    const identifier = String(formData.get("identifier") ?? "").slice(0, 254);
    if (!parsed.success) {
      const error = parsed.error.issues[0]?.message ?? "coordinators.errors.identifierInvalid";
      return data({ coordinator: { county, identifier, error } }, { status: 400 });
    }
    const value = parsed.data;
    if (value.intent === "appointCoordinator") {
      const result = await appointCoordinator({
        countyCode: value.county,
        identifier: value.identifier,
        actorId: admin.id,
        source: requestSource(request),
      });
      if (!result.ok) return data({ coordinator: { county, identifier, error: result.error } }, { status: 400 });
      return redirect("/platform/counties?appointed=1");
    }
    const removed = await removeCoordinator({
      countyCode: value.county,
      userId: value.userId,
      actorId: admin.id,
      source: requestSource(request),
    });
    if (!removed)
      return data(
        { coordinator: { county, identifier: "", error: "coordinators.errors.notCoordinator" } },
        { status: 404 },
      );
    return redirect("/platform/counties?removed=1");
  }
  const submission = parseWithZod(formData, { schema: countySchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const result = await createCounty(submission.value);
  if (!result.ok) return data(submission.reply({ fieldErrors: { [result.field]: [result.error] } }), { status: 400 });
  return redirect("/platform/counties?added=1");
}

export default function Counties() {
  const { t, i18n } = useTranslation();
  const { counties, coordinators } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const coordinatorResult = actionData && "coordinator" in actionData ? actionData.coordinator : null;
  const lastResult = actionData && !("coordinator" in actionData) ? actionData : undefined;
  const navigation = useNavigation();
  const [params] = useSearchParams();
  const [form, fields] = useForm({
    id: "county",
    lastResult,
    constraint: getZodConstraint(countySchema),
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: countySchema }),
  });
  const en = i18n.language === "en";

  return (
    <div className="flex flex-col gap-5">
      <h1 className="text-2xl font-bold">{t("platform.counties.title")}</h1>
      {params.get("added") === "1" && !lastResult ? (
        <p role="status" className="rounded-lg bg-emerald-50 px-3 py-2 text-emerald-900 ring-1 ring-emerald-200">
          {t("platform.counties.added")}
        </p>
      ) : null}
      {(params.get("appointed") === "1" || params.get("removed") === "1") && !actionData ? (
        <p role="status" className="rounded-lg bg-emerald-50 px-3 py-2 text-emerald-900 ring-1 ring-emerald-200">
          {t(params.get("appointed") === "1" ? "coordinators.appointed" : "coordinators.removed")}
        </p>
      ) : null}
      {counties.length === 0 ? (
        <p className="rounded-2xl bg-white p-6 text-stone-600 ring-1 ring-stone-200">{t("platform.counties.empty")}</p>
      ) : (
        <ul className="grid gap-2 sm:grid-cols-2">
          {counties.map((county) => (
            <li
              key={county.id}
              className="rounded-xl bg-white p-3 ring-1 ring-stone-200"
              data-testid={`county-${county.code}`}
            >
              <span className="block font-medium">
                {en ? county.nameEn : county.nameZh}
                <span className="ml-2 text-sm font-normal text-stone-600">{en ? county.nameZh : county.nameEn}</span>
              </span>
              <span className="block text-sm text-stone-600">
                {en ? county.cityEn : county.cityZh} · {county.code} · {county.slug} ·{" "}
                {t("platform.counties.shops", { count: county.shopCount })}
              </span>
              <CountyCoordinators
                countyCode={county.code}
                countyName={en ? county.nameEn : county.nameZh}
                coordinators={coordinators[county.id] ?? []}
                error={coordinatorResult?.county === county.code ? coordinatorResult.error : undefined}
                identifier={coordinatorResult?.county === county.code ? coordinatorResult.identifier : undefined}
              />
            </li>
          ))}
        </ul>
      )}

      <section aria-labelledby="add-county" className="rounded-2xl bg-white p-4 ring-1 ring-stone-200">
        <h2 id="add-county" className="text-lg font-semibold">
          {t("platform.counties.addTitle")}
        </h2>
        <p className="mt-1 text-sm text-stone-600">{t("platform.counties.addIntro")}</p>
        <Form method="post" {...getFormProps(form)} className="mt-3 flex flex-col gap-4">
          <CsrfInput />
          <FormError errors={form.errors} />
          <div className="grid gap-4 sm:grid-cols-2">
            <TextField
              meta={fields.code}
              label={t("platform.counties.code")}
              hint={t("platform.counties.codeHint")}
              inputMode="numeric"
            />
            <TextField meta={fields.slug} label={t("platform.counties.slug")} hint={t("platform.counties.slugHint")} />
            <TextField meta={fields.nameZh} label={t("platform.counties.nameZh")} />
            <TextField meta={fields.nameEn} label={t("platform.counties.nameEn")} />
            <TextField meta={fields.cityZh} label={t("platform.counties.cityZh")} />
            <TextField meta={fields.cityEn} label={t("platform.counties.cityEn")} />
          </div>
          <SubmitButton pending={navigation.state === "submitting"}>{t("platform.counties.add")}</SubmitButton>
        </Form>
      </section>
    </div>
  );
}
