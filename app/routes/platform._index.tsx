import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { CsrfInput, FormError, useErrorText } from "~/components/forms";
import { getFixedT } from "~/lib/i18n.server";
import { formatDateTime } from "~/lib/time";
import { requireCsrf } from "~/modules/identity/csrf.server";
import { requirePlatformAdmin } from "~/modules/identity/session.server";
import { listShopsAwaitingReview } from "~/modules/platform/shops.cross-shop.server";
import { approveShop, sendBackShop } from "~/modules/shops/review.server";
import { readForm } from "~/lib/request-bounds.server";

const reviewSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("approve"), shopId: z.string().min(1).max(40) }),
  z.object({
    intent: z.literal("sendBack"),
    shopId: z.string().min(1).max(40),
    note: z
      .string({ required_error: "platform.errors.noteRequired" })
      .trim()
      .min(1, "platform.errors.noteRequired")
      .max(1000, `platform.errors.tooLong|${JSON.stringify({ max: 1000 })}`),
  }),
]);

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePlatformAdmin(request);
  const { t, lng } = await getFixedT(request);
  return { title: t("platform.review.title"), lng, shops: await listShopsAwaitingReview(lng) };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function action({ request }: ActionFunctionArgs) {
  const formData = await readForm(request);
  await requireCsrf(request, formData);
  await requirePlatformAdmin(request);
  const parsed = reviewSchema.safeParse({
    intent: formData.get("intent"),
    shopId: formData.get("shopId"),
    note: formData.get("note") ?? undefined,
  });
  if (!parsed.success) {
    const shopId = String(formData.get("shopId") ?? "");
    return data({ shopId, error: parsed.error.issues[0]?.message ?? "platform.errors.invalid" }, { status: 400 });
  }
  const input = parsed.data;
  const result =
    input.intent === "approve" ? await approveShop(input.shopId) : await sendBackShop(input.shopId, input.note);
  if (!result.ok) return data({ shopId: input.shopId, error: result.error }, { status: 409 });
  return redirect(`/platform?done=${input.intent}`);
}

export default function ReviewQueue() {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const { shops, lng } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [params] = useSearchParams();
  const done = params.get("done");
  const busy = navigation.state === "submitting";

  return (
    <div className="flex flex-col gap-5">
      <h1 className="text-2xl font-bold">{t("platform.review.title")}</h1>
      {(done === "approve" || done === "sendBack") && !actionData ? (
        <p role="status" className="rounded-lg bg-emerald-50 px-3 py-2 text-emerald-900 ring-1 ring-emerald-200">
          {t(`platform.review.done.${done}`)}
        </p>
      ) : null}
      {shops.length === 0 ? (
        <div className="rounded-2xl bg-white p-6 ring-1 ring-stone-200" data-testid="review-empty">
          <p className="font-medium">{t("platform.review.emptyTitle")}</p>
          <p className="mt-1 text-stone-600">{t("platform.review.emptyText")}</p>
        </div>
      ) : (
        <ul className="flex flex-col gap-4">
          {shops.map((shop) => {
            const error = actionData?.shopId === shop.id ? actionData.error : null;
            const noteError =
              error?.startsWith("platform.errors.noteRequired") || error?.startsWith("platform.errors.tooLong");
            return (
              <li
                key={shop.id}
                className="rounded-2xl bg-white p-4 ring-1 ring-stone-200"
                data-testid={`review-${shop.slug}`}
              >
                <h2 className="text-lg font-semibold">{shop.name}</h2>
                <p className="text-sm text-stone-600">
                  {[shop.city, shop.county, shop.place].filter(Boolean).join(" · ")}
                  {shop.submittedAt
                    ? ` · ${t("platform.review.submittedAt", { when: formatDateTime(shop.submittedAt, lng) })}`
                    : null}
                </p>
                {shop.tagline ? <p className="mt-2">{shop.tagline}</p> : null}
                <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
                  <dt className="text-stone-600">{t("platform.review.creditCode")}</dt>
                  <dd className="font-mono break-all">{shop.creditCode ?? "—"}</dd>
                  <dt className="text-stone-600">{t("platform.review.contact")}</dt>
                  <dd className="break-all">
                    {[shop.contactName, shop.contactPhone, shop.contactEmail].filter(Boolean).join(" · ") || "—"}
                  </dd>
                  <dt className="text-stone-600">{t("platform.review.products")}</dt>
                  <dd>{shop.activeProducts}</dd>
                  <dt className="text-stone-600">{t("platform.review.certifications")}</dt>
                  <dd>
                    {shop.certifications.length
                      ? shop.certifications
                          .map((c) => `${t(`cert.${c.kind}`)}：${c.name}${c.number ? `（${c.number}）` : ""}`)
                          .join("；")
                      : "—"}
                  </dd>
                </dl>
                {shop.story ? (
                  <p className="mt-3 line-clamp-4 text-sm whitespace-pre-line text-stone-700">{shop.story}</p>
                ) : null}
                <p className="mt-3 text-sm">
                  <Link to={`/admin/${shop.slug}`} className="text-leaf underline underline-offset-4">
                    {t("platform.review.openAdmin")}
                  </Link>
                </p>
                {error && !noteError ? (
                  <div className="mt-3">
                    <FormError errors={[error]} />
                  </div>
                ) : null}
                <div className="mt-4 flex flex-col gap-4 sm:flex-row sm:items-start">
                  <Form method="post">
                    <CsrfInput />
                    <input type="hidden" name="shopId" value={shop.id} />
                    <button
                      type="submit"
                      name="intent"
                      value="approve"
                      disabled={busy}
                      className="min-h-11 rounded-full bg-leaf px-5 font-semibold text-white disabled:opacity-60"
                    >
                      {t("platform.review.approve")}
                    </button>
                  </Form>
                  <Form method="post" className="flex flex-1 flex-col gap-2">
                    <CsrfInput />
                    <input type="hidden" name="shopId" value={shop.id} />
                    <label htmlFor={`note-${shop.id}`} className="text-sm font-medium">
                      {t("platform.review.note")}
                    </label>
                    <textarea
                      id={`note-${shop.id}`}
                      name="note"
                      rows={3}
                      maxLength={1000}
                      aria-invalid={noteError || undefined}
                      aria-describedby={noteError ? `note-${shop.id}-error` : undefined}
                      className="rounded-lg border border-stone-300 bg-white px-3 py-2 text-base aria-[invalid=true]:border-red-600"
                    />
                    {noteError ? (
                      <p id={`note-${shop.id}-error`} role="alert" className="text-sm text-red-700">
                        {errorText(error ?? undefined)}
                      </p>
                    ) : null}
                    <button
                      type="submit"
                      name="intent"
                      value="sendBack"
                      disabled={busy}
                      className="min-h-11 self-start rounded-full px-5 font-medium text-amber-900 ring-1 ring-amber-400 disabled:opacity-60"
                    >
                      {t("platform.review.sendBack")}
                    </button>
                  </Form>
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
