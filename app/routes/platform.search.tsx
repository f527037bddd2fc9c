import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CheckboxField, CsrfInput, FormError, SubmitButton, TextField } from "~/components/forms";
import { getFixedT } from "~/lib/i18n.server";
import { readForm } from "~/lib/request-bounds.server";
import { requireCsrf } from "~/modules/identity/csrf.server";
import { requirePlatformAdmin } from "~/modules/identity/session.server";
import { deleteSynonymSchema, synonymSchema } from "~/modules/search/synonym-schema";
import { addSynonym, deleteSynonym, listSynonyms } from "~/modules/search/synonyms.server";

// /platform/search: the synonym groups search applies at query time (docs/decisions/022-search-words.md).
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePlatformAdmin(request);
  const { t } = await getFixedT(request);
  const synonyms = await listSynonyms();
  return {
    title: t("search.synonyms.title"),
    synonyms: synonyms.map((s) => ({ id: s.id, term: s.term, words: s.words, oneWay: s.oneWay })),
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function action({ request }: ActionFunctionArgs) {
  const formData = await readForm(request);
  await requireCsrf(request, formData);
  await requirePlatformAdmin(request);
  if (formData.get("intent") === "delete") {
    const parsed = deleteSynonymSchema.safeParse(Object.fromEntries(formData));
    if (!parsed.success || !(await deleteSynonym(parsed.data.id)))
      return data({ deleteError: "search.errors.notFound" }, { status: 404 });
    return redirect("/platform/search?deleted=1");
  }
  const submission = parseWithZod(formData, { schema: synonymSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  await addSynonym(submission.value);
  return redirect("/platform/search?added=1");
}

export default function SearchSynonyms() {
  const { t } = useTranslation();
  const { synonyms } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const deleteError = actionData && "deleteError" in actionData ? [actionData.deleteError] : undefined;
  const lastResult = actionData && !("deleteError" in actionData) ? actionData : undefined;
  const navigation = useNavigation();
  const [params] = useSearchParams();
  const [form, fields] = useForm({
    id: "synonym",
    lastResult,
    // "Add a synonym" on the queries page sends the query that found nothing (?words=).
    defaultValue: { words: params.get("words")?.slice(0, 200) ?? "" },
    constraint: getZodConstraint(synonymSchema),
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: synonymSchema }),
  });
  const notice = !actionData
    ? params.get("added") === "1"
      ? "added"
      : params.get("deleted") === "1"
        ? "deleted"
        : null
    : null;

  return (
    <div className="flex flex-col gap-5">
      <h1 className="text-2xl font-bold">{t("search.synonyms.title")}</h1>
      <p className="text-stone-700">{t("search.synonyms.intro")}</p>
      <p>
        <Link
          to="/platform/search/queries"
          className="inline-flex min-h-11 items-center font-medium underline underline-offset-4"
        >
          {t("search.queries.link")}
        </Link>
      </p>
      {notice ? (
        <p role="status" className="rounded-lg bg-emerald-50 px-3 py-2 text-emerald-900 ring-1 ring-emerald-200">
          {t(`search.synonyms.${notice}`)}
        </p>
      ) : null}
      <FormError errors={deleteError} />
      {synonyms.length === 0 ? (
        <p className="rounded-2xl bg-white p-6 text-stone-600 ring-1 ring-stone-200">{t("search.synonyms.empty")}</p>
      ) : (
        <div className="overflow-x-auto rounded-2xl bg-white ring-1 ring-stone-200">
          <table className="w-full text-left text-sm">
            <thead className="bg-stone-50 text-stone-700">
              <tr>
                <th scope="col" className="px-3 py-2">
                  {t("search.synonyms.term")}
                </th>
                <th scope="col" className="px-3 py-2">
                  {t("search.synonyms.words")}
                </th>
                <th scope="col" className="px-3 py-2">
                  {t("search.synonyms.kind")}
                </th>
                <th scope="col" className="px-3 py-2">
                  <span className="sr-only">{t("search.synonyms.delete")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {synonyms.map((s) => (
                <tr key={s.id} className="border-t border-stone-100" data-testid={`synonym-${s.id}`}>
                  <td className="px-3 py-2 font-medium">{s.term}</td>
                  <td className="px-3 py-2">{s.words.join("、")}</td>
                  <td className="px-3 py-2">{t(s.oneWay ? "search.synonyms.oneWayKind" : "search.synonyms.same")}</td>
                  <td className="px-3 py-2 text-right">
                    <Form method="post">
                      <CsrfInput />
                      <input type="hidden" name="intent" value="delete" />
                      <input type="hidden" name="id" value={s.id} />
                      <button
                        type="submit"
                        className="min-h-11 px-2 text-red-800 underline underline-offset-4"
                        aria-label={t("search.synonyms.deleteLabel", { term: s.term })}
                      >
                        {t("search.synonyms.delete")}
                      </button>
                    </Form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <section aria-labelledby="add-synonym" className="rounded-2xl bg-white p-4 ring-1 ring-stone-200">
        <h2 id="add-synonym" className="text-lg font-semibold">
          {t("search.synonyms.addTitle")}
        </h2>
        <Form method="post" {...getFormProps(form)} className="mt-3 flex flex-col gap-4">
          <CsrfInput />
          <input type="hidden" name="intent" value="add" />
          <FormError errors={form.errors} />
          <TextField
            meta={fields.words}
            label={t("search.synonyms.wordsLabel")}
            hint={t("search.synonyms.wordsHint")}
          />
          <CheckboxField meta={fields.oneWay} label={t("search.synonyms.oneWay")} />
          <SubmitButton pending={navigation.state === "submitting"}>{t("search.synonyms.add")}</SubmitButton>
        </Form>
      </section>
    </div>
  );
}
