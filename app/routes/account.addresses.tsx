import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import {
  data,
  redirect,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { accountNav } from "~/components/account/account-nav";
import { AdminLayout } from "~/components/admin-layout";
import { CheckboxField, CsrfInput, FormError, SubmitButton, TextField } from "~/components/forms";
import { getFixedT } from "~/lib/i18n.server";
import { readForm } from "~/lib/request-bounds.server";
import { addressSchema } from "~/modules/account/address-schema";
import {
  deleteAddress,
  getAddress,
  listAddresses,
  saveAddress,
  setDefaultAddress,
} from "~/modules/account/addresses.server";
import { requireCsrf } from "~/modules/identity/csrf.server";
import { requireUser } from "~/modules/identity/session.server";

// 我的 › 收货地址 (issue #13): the buyer's saved addresses, offered at checkout. Editing works
// without JavaScript: ?edit=<id> fills the form with that address.

const PRIVATE = { "Cache-Control": "private, no-store" };
export const headers: HeadersFunction = () => PRIVATE;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const { t } = await getFixedT(request);
  const editId = new URL(request.url).searchParams.get("edit");
  const [addresses, editing] = await Promise.all([
    listAddresses(user.id),
    editId ? getAddress({ userId: user.id, id: editId.slice(0, 40) }) : null,
  ]);
  return data(
    {
      title: t("account.addresses.title"),
      userName: user.name || user.phone || user.email || "",
      addresses,
      editing,
      defaults: { recipientName: user.name ?? "", phone: user.phone ?? "" },
    },
    { headers: PRIVATE },
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const formData = await readForm(request);
  await requireCsrf(request, formData);
  const intent = formData.get("intent");
  const id = typeof formData.get("id") === "string" ? String(formData.get("id")).slice(0, 40) : "";
  if (intent === "delete" || intent === "default") {
    const done =
      intent === "delete"
        ? await deleteAddress({ userId: user.id, id })
        : await setDefaultAddress({ userId: user.id, id });
    if (!done) throw new Response(null, { status: 404, statusText: "Not Found" });
    return redirect("/account/addresses", { headers: PRIVATE });
  }
  const submission = parseWithZod(formData, { schema: addressSchema });
  if (submission.status !== "success") return data({ result: submission.reply() }, { status: 400, headers: PRIVATE });
  const saved = await saveAddress({ userId: user.id, id: id || null, input: submission.value });
  if (!saved.ok) {
    if ("notFound" in saved) throw new Response(null, { status: 404, statusText: "Not Found" });
    return data({ result: submission.reply({ formErrors: [saved.error] }) }, { status: 400, headers: PRIVATE });
  }
  return redirect("/account/addresses?saved=1", { headers: PRIVATE });
}

export default function AccountAddresses() {
  const { t } = useTranslation();
  const { userName, addresses, editing, defaults } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: editing ? `address-${editing.id}` : "address-new",
    lastResult: actionData?.result,
    constraint: getZodConstraint(addressSchema),
    shouldValidate: "onBlur",
    defaultValue: editing
      ? { ...editing, isDefault: editing.isDefault ? "on" : undefined }
      : { recipientName: defaults.recipientName, phone: defaults.phone },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: addressSchema }),
  });
  return (
    <AdminLayout userName={userName} title={t("account.title")} home="/account" nav={accountNav(t)}>
      <h1 className="text-2xl font-bold">{t("account.addresses.title")}</h1>
      <p className="mt-1 text-sm text-stone-600">{t("account.addresses.intro")}</p>
      {addresses.length === 0 ? (
        <p className="mt-4 rounded-xl bg-white p-4 text-sm text-stone-600 ring-1 ring-stone-200">
          {t("account.addresses.empty")}
        </p>
      ) : (
        <ul className="mt-4 grid gap-3 sm:grid-cols-2" data-testid="addresses">
          {addresses.map((a) => (
            <li key={a.id} className="rounded-xl bg-white p-4 text-sm ring-1 ring-stone-200" data-testid="address">
              <p className="flex flex-wrap items-baseline gap-2">
                <span className="font-semibold">{a.recipientName}</span>
                <span className="text-stone-600">{a.phone}</span>
                {a.isDefault ? (
                  <span className="rounded bg-emerald-100 px-1.5 py-0.5 text-xs font-medium text-emerald-800">
                    {t("account.addresses.default")}
                  </span>
                ) : null}
              </p>
              <p className="mt-1 [overflow-wrap:anywhere]">
                {a.region} {a.line}
              </p>
              <div className="mt-3 flex flex-wrap gap-2">
                <Link
                  to={`?edit=${a.id}`}
                  className="inline-flex min-h-10 items-center rounded-full border border-stone-300 px-3 font-medium"
                >
                  {t("account.addresses.edit")}
                </Link>
                {a.isDefault ? null : (
                  <Form method="post">
                    <CsrfInput />
                    <input type="hidden" name="id" value={a.id} />
                    <button
                      type="submit"
                      name="intent"
                      value="default"
                      className="min-h-10 rounded-full border border-stone-300 px-3 font-medium"
                    >
                      {t("account.addresses.makeDefault")}
                    </button>
                  </Form>
                )}
                <Form method="post">
                  <CsrfInput />
                  <input type="hidden" name="id" value={a.id} />
                  <button
                    type="submit"
                    name="intent"
                    value="delete"
                    className="min-h-10 rounded-full border border-red-300 px-3 font-medium text-red-800"
                    aria-label={t("account.addresses.deleteLabel", { name: a.recipientName, line: a.line })}
                  >
                    {t("account.addresses.delete")}
                  </button>
                </Form>
              </div>
            </li>
          ))}
        </ul>
      )}

      <section aria-labelledby="address-form-h" className="mt-8 max-w-md">
        <h2 id="address-form-h" className="text-lg font-semibold">
          {editing ? t("account.addresses.editTitle") : t("account.addresses.addTitle")}
        </h2>
        <Form method="post" {...getFormProps(form)} className="mt-3 flex flex-col gap-4" data-testid="address-form">
          <CsrfInput />
          <input type="hidden" name="intent" value="save" />
          {editing ? <input type="hidden" name="id" value={editing.id} /> : null}
          <FormError errors={form.errors} />
          <TextField meta={fields.recipientName} label={t("account.addresses.recipientName")} autoComplete="name" />
          <TextField
            meta={fields.phone}
            label={t("account.addresses.phone")}
            type="tel"
            inputMode="tel"
            autoComplete="tel-national"
          />
          <TextField
            meta={fields.region}
            label={t("checkout.shop.region")}
            hint={t("checkout.shop.regionHint")}
            autoComplete="address-level2"
          />
          <TextField
            meta={fields.line}
            label={t("checkout.shop.addressLine")}
            hint={t("checkout.shop.addressHint")}
            autoComplete="street-address"
          />
          <CheckboxField meta={fields.isDefault as never} label={t("account.addresses.makeDefaultField")} />
          <div className="flex flex-wrap items-center gap-3">
            <SubmitButton pending={navigation.state === "submitting"}>{t("account.addresses.save")}</SubmitButton>
            {editing ? (
              <Link to="/account/addresses" className="text-sm text-stone-600 underline underline-offset-4">
                {t("account.addresses.cancel")}
              </Link>
            ) : null}
          </div>
        </Form>
      </section>
    </AdminLayout>
  );
}
