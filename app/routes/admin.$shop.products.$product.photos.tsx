import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useParams, useSearchParams } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { CsrfInput, SubmitButton, TextField, useErrorText } from "~/components/forms";
import { Picture } from "~/components/picture";
import { pick } from "~/lib/i18n";
import { getFixedT } from "~/lib/i18n.server";
import { requireShopAccess } from "~/modules/identity/access.server";
import { requireCsrf } from "~/modules/identity/csrf.server";
import {
  deleteImage,
  findProductForPhotos,
  listProductPhotos,
  mediaUsage,
  movePhoto,
  updatePhotoAlt,
  type ProductPhoto,
} from "~/modules/media/images.server";
import { ACCEPTED_IMAGE_TYPES, MAX_FILES_PER_UPLOAD, megabytes } from "~/modules/media/limits";
import { chosenFiles, readPhotoForm } from "~/modules/media/upload-form.server";
import { storeUpload, uploadMaxBytes, type UploadRefusal } from "~/modules/media/upload.server";

const altSchema = z.object({
  intent: z.literal("alt"),
  imageId: z.string().min(1),
  altZh: z.string().trim().max(200, "media.photos.errors.altLong").optional(),
  altEn: z.string().trim().max(200, "media.photos.errors.altLong").optional(),
});
const moveSchema = z.object({ intent: z.literal("move"), imageId: z.string().min(1), direction: z.enum(["up", "down"]) });
const deleteSchema = z.object({ intent: z.literal("delete"), imageId: z.string().min(1) });

/** An upload refusal as the "key|{values}" text the form helpers translate. */
function errorText(refusal: Pick<UploadRefusal, "error" | "values">): string {
  return refusal.values ? `${refusal.error}|${JSON.stringify(refusal.values)}` : refusal.error;
}

function notFound(): never {
  throw new Response(null, { status: 404, statusText: "Not Found" });
}

async function requirePhotosAccess(request: Request, params: LoaderFunctionArgs["params"]) {
  const { shop } = await requireShopAccess(request, params.shop, "media:upload");
  const product = await findProductForPhotos({ shopId: shop.id, productId: params.product ?? "" });
  if (!product) notFound();
  return { shop, product };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { shop, product } = await requirePhotosAccess(request, params);
  const { t, lng } = await getFixedT(request);
  const [photos, usage] = await Promise.all([
    listProductPhotos({ shopId: shop.id, productId: product.id, lng }),
    mediaUsage(shop.id),
  ]);
  const productTitle = pick(lng, product.titleZh, product.titleEn);
  return {
    title: t("media.photos.title", { product: productTitle }),
    productTitle,
    productId: product.id,
    photos,
    usage: { used: megabytes(usage.usedBytes), limit: megabytes(usage.quotaBytes) },
    maxMegabytes: megabytes(uploadMaxBytes()),
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function action({ request, params }: ActionFunctionArgs) {
  // Access first: a stranger's request body is never read into memory.
  const { shop, product } = await requirePhotosAccess(request, params);
  const form = await readPhotoForm(request);
  if (!form.ok) return data({ intent: "upload" as const, formError: errorText(form) }, { status: 400 });
  const { formData } = form;
  await requireCsrf(request, formData);
  const scope = { shopId: shop.id, productId: product.id };
  const here = `/admin/${shop.slug}/products/${product.id}/photos`;

  switch (formData.get("intent")) {
    case "upload": {
      const files = chosenFiles(formData, "photos");
      if (!files.length) return data({ intent: "upload" as const, formError: "media.photos.errors.noneChosen" }, { status: 400 });
      const uploaded: string[] = [];
      const refused: { name: string; reason: string }[] = [];
      for (const file of files) {
        const result = await storeUpload({ ...scope, role: "PRODUCT", file });
        if (result.ok) uploaded.push(file.name);
        else refused.push({ name: file.name, reason: errorText(result) });
      }
      return data({ intent: "upload" as const, uploaded, refused }, { status: uploaded.length ? 200 : 400 });
    }
    case "alt": {
      const submission = parseWithZod(formData, { schema: altSchema });
      if (submission.status !== "success") {
        return data({ intent: "alt" as const, imageId: String(formData.get("imageId")), reply: submission.reply() }, { status: 400 });
      }
      const { imageId, altZh = "", altEn = "" } = submission.value;
      if (!(await updatePhotoAlt({ ...scope, imageId, altZh, altEn }))) notFound();
      return redirect(`${here}?saved=alt#photo-${imageId}`);
    }
    case "move": {
      const submission = parseWithZod(formData, { schema: moveSchema });
      if (submission.status !== "success") throw new Response(null, { status: 400 });
      if (!(await movePhoto({ ...scope, ...submission.value }))) notFound();
      return redirect(`${here}#photo-${submission.value.imageId}`);
    }
    case "delete": {
      const submission = parseWithZod(formData, { schema: deleteSchema });
      if (submission.status !== "success") throw new Response(null, { status: 400 });
      if (!(await deleteImage({ ...scope, imageId: submission.value.imageId }))) notFound();
      return redirect(`${here}?saved=deleted`);
    }
    default:
      throw new Response(null, { status: 400 });
  }
}

export default function ProductPhotos() {
  const { t } = useTranslation();
  const { productTitle, productId, photos, usage } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [search] = useSearchParams();
  const saved = search.get("saved");
  const { shop } = useParams();
  return (
    <div className="flex flex-col gap-5">
      <div>
        <Link to={`/admin/${shop}/products/${productId}`} className="text-sm text-leaf underline underline-offset-4">
          ← {t("media.photos.backToProduct")}
        </Link>
        <h1 className="mt-1 text-2xl font-bold">{t("media.photos.title", { product: productTitle })}</h1>
        <p className="mt-1 text-sm text-stone-600">{t("media.usage", usage)}</p>
      </div>
      {saved && !actionData ? (
        <p role="status" className="rounded-lg bg-emerald-50 px-3 py-2 text-emerald-900 ring-1 ring-emerald-200">
          {t(saved === "deleted" ? "media.photos.deleted" : "media.photos.altSaved")}
        </p>
      ) : null}
      <UploadForm />
      <section aria-labelledby="photos-heading" className="flex flex-col gap-3">
        <h2 id="photos-heading" className="text-lg font-semibold">
          {t("media.photos.listTitle", { n: photos.length })}
        </h2>
        {photos.length === 0 ? (
          <p className="rounded-2xl bg-white p-5 text-stone-700 ring-1 ring-stone-200" data-testid="no-photos">
            {t("media.photos.empty")}
          </p>
        ) : (
          <ol className="flex flex-col gap-3">
            {photos.map((photo, index) => (
              <PhotoCard key={photo.id} photo={photo} index={index} count={photos.length} />
            ))}
          </ol>
        )}
      </section>
    </div>
  );
}

function UploadForm() {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const { maxMegabytes } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [chosen, setChosen] = useState<{ count: number; bytes: number } | null>(null);
  const uploading = navigation.state === "submitting" && navigation.formData?.get("intent") === "upload";
  const result = actionData?.intent === "upload" ? actionData : undefined;
  const formRef = useRef<HTMLFormElement>(null);
  // Once the files are sent and answered, clear the choice so they are not sent twice.
  useEffect(() => {
    if (result && "uploaded" in result) {
      formRef.current?.reset();
      setChosen(null);
    }
  }, [result]);
  return (
    <Form
      ref={formRef}
      method="post"
      encType="multipart/form-data"
      className="flex flex-col gap-3 rounded-2xl bg-white p-4 ring-1 ring-stone-200"
      aria-busy={uploading}
    >
      <CsrfInput />
      <input type="hidden" name="intent" value="upload" />
      <label htmlFor="photos" className="font-medium text-stone-800">
        {t("media.photos.choose")}
      </label>
      <input
        id="photos"
        type="file"
        name="photos"
        accept={ACCEPTED_IMAGE_TYPES}
        multiple
        aria-describedby="photos-hint"
        onChange={(event) => {
          const files = [...(event.currentTarget.files ?? [])];
          setChosen(files.length ? { count: files.length, bytes: files.reduce((sum, f) => sum + f.size, 0) } : null);
        }}
        className="text-sm file:mr-3 file:min-h-11 file:rounded-full file:border-0 file:bg-stone-100 file:px-4 file:font-medium"
      />
      <p id="photos-hint" className="text-xs text-stone-600">
        {t("media.photos.hint", { max: maxMegabytes, files: MAX_FILES_PER_UPLOAD })}
      </p>
      {chosen ? (
        <p className="text-sm text-stone-700">{t("media.photos.chosen", { count: chosen.count, size: megabytes(chosen.bytes) })}</p>
      ) : null}
      <div className="flex flex-wrap items-center gap-3">
        <SubmitButton pending={uploading}>{uploading ? t("media.photos.uploading") : t("media.photos.upload")}</SubmitButton>
        {uploading ? <progress className="h-2 w-32 accent-leaf" aria-label={t("media.photos.uploading")} /> : null}
      </div>
      {result && "formError" in result ? (
        <p role="alert" className="rounded-lg bg-red-50 px-3 py-2 text-sm text-red-800 ring-1 ring-red-200">
          {errorText(result.formError)}
        </p>
      ) : null}
      {result && "uploaded" in result ? (
        <div
          role={result.refused.length ? "alert" : "status"}
          className={`rounded-lg px-3 py-2 text-sm ring-1 ${
            result.refused.length ? "bg-amber-50 text-amber-950 ring-amber-200" : "bg-emerald-50 text-emerald-900 ring-emerald-200"
          }`}
          data-testid="upload-result"
        >
          <p className="font-medium">
            {t("media.photos.resultUploaded", { count: result.uploaded.length })}
            {result.refused.length ? ` ${t("media.photos.resultRefused", { count: result.refused.length })}` : ""}
          </p>
          {result.refused.length ? (
            <ul className="mt-1 list-disc pl-5">
              {result.refused.map((r, i) => (
                <li key={`${r.name}-${i}`} className="break-words">
                  {t("media.photos.refusedLine", { name: r.name || t("media.photos.unnamed"), reason: errorText(r.reason) })}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
    </Form>
  );
}

function PhotoCard({ photo, index, count }: { photo: ProductPhoto; index: number; count: number }) {
  const { t } = useTranslation();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const lastResult = actionData?.intent === "alt" && actionData.imageId === photo.id ? actionData.reply : undefined;
  const [form, fields] = useForm({
    id: `alt-${photo.id}`,
    lastResult,
    defaultValue: { altZh: photo.altZh, altEn: photo.altEn },
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: altSchema }),
  });
  const busy = navigation.state === "submitting" && navigation.formData?.get("imageId") === photo.id;
  const buttonClass =
    "min-h-11 rounded-full px-4 text-sm font-medium ring-1 ring-stone-300 hover:bg-stone-100 disabled:opacity-40";
  return (
    <li id={`photo-${photo.id}`} className="flex flex-col gap-3 rounded-2xl bg-white p-3 ring-1 ring-stone-200 sm:flex-row" data-testid="photo">
      <div className="w-full shrink-0 sm:w-40">
        <Picture picture={photo.picture} sizes="(min-width: 640px) 160px, 100vw" className="h-auto w-full rounded-xl object-cover" />
        <p className="mt-1 text-xs text-stone-600">
          {index === 0 ? t("media.photos.cover") : t("media.photos.position", { n: index + 1 })} · {photo.width}×{photo.height}
        </p>
      </div>
      <div className="flex min-w-0 flex-1 flex-col gap-3">
        <Form method="post" preventScrollReset {...getFormProps(form)} className="flex flex-col gap-2">
          <CsrfInput />
          <input type="hidden" name="intent" value="alt" />
          <input type="hidden" name="imageId" value={photo.id} />
          <TextField meta={fields.altZh} label={t("media.photos.altZh")} />
          <TextField meta={fields.altEn} label={t("media.photos.altEn")} />
          <div>
            <button type="submit" disabled={busy} className={buttonClass}>
              {t("media.photos.saveAlt")}
            </button>
          </div>
        </Form>
        <div className="flex flex-wrap gap-2">
          <Form method="post" preventScrollReset className="flex gap-2">
            <CsrfInput />
            <input type="hidden" name="intent" value="move" />
            <input type="hidden" name="imageId" value={photo.id} />
            <button type="submit" name="direction" value="up" disabled={index === 0 || busy} className={buttonClass}>
              ↑ {t("media.photos.moveUp")}
            </button>
            <button type="submit" name="direction" value="down" disabled={index === count - 1 || busy} className={buttonClass}>
              ↓ {t("media.photos.moveDown")}
            </button>
          </Form>
          <Form
            method="post"
            onSubmit={(event) => {
              if (!window.confirm(t("media.photos.confirmDelete"))) event.preventDefault();
            }}
          >
            <CsrfInput />
            <input type="hidden" name="intent" value="delete" />
            <input type="hidden" name="imageId" value={photo.id} />
            <button type="submit" disabled={busy} className={`${buttonClass} text-red-700 ring-red-200 hover:bg-red-50`}>
              {t("media.photos.delete")}
            </button>
          </Form>
        </div>
      </div>
    </li>
  );
}
