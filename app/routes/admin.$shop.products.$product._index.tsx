import type { Submission } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useLocation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { ProductForm } from "~/components/catalog/product-form";
import { SlotSection } from "~/components/catalog/slot-section";
import { StockHistory } from "~/components/catalog/stock-history";
import { VariantSection } from "~/components/catalog/variant-section";
import { Picture } from "~/components/picture";
import { pick } from "~/lib/i18n";
import { getFixedT } from "~/lib/i18n.server";
import { shanghaiToday } from "~/lib/time";
import {
  findAdminProductRef,
  getAdminProduct,
  productFormDefaults,
  updateProduct,
} from "~/modules/catalog/admin-products.server";
import type { Outcome } from "~/modules/catalog/outcome";
import { productFormSchema } from "~/modules/catalog/product-schema";
import { slotBulkSchema, slotCapacitySchema, slotCreateSchema, slotDeleteSchema } from "~/modules/catalog/slot-schema";
import {
  createSlot,
  createSlotsInBulk,
  deleteSlot,
  listUpcomingSlots,
  updateSlotCapacity,
} from "~/modules/catalog/slots.server";
import { adjustStock, listStockHistory } from "~/modules/catalog/stock.server";
import {
  fenToYuanInput,
  stockAdjustSchema,
  variantCreateSchema,
  variantEditSchema,
} from "~/modules/catalog/variant-schema";
import {
  createVariant,
  listVariants,
  setVariantStatus,
  suggestSku,
  updateVariant,
} from "~/modules/catalog/variants.server";
import { requireShopAccess } from "~/modules/identity/access.server";
import { requireCsrf } from "~/modules/identity/csrf.server";
import { can } from "~/modules/identity/permissions";
import { readForm } from "~/lib/request-bounds.server";
import { parseDecimal } from "~/lib/decimal";

// /admin/:shop/products/:product (the product's id): the product form, its variants with
// stock adjustments and history, and for experiences the slots. Every form posts here
// with an `intent`; every member may look, changes need catalog:edit.

const notFoundResponse = () => new Response(null, { status: 404, statusText: "Not Found" });

/** Success messages after a redirect (?saved=…), by what was saved. */
const SAVED = [
  "created",
  "product",
  "variantCreated",
  "variant",
  "variantArchived",
  "variantRestored",
  "stock",
  "slot",
  "slots",
  "slotCapacity",
  "slotDeleted",
] as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const access = await requireShopAccess(request, params.shop, "shop:view");
  const { t, lng } = await getFixedT(request);
  const shopId = access.shop.id;
  const product = await getAdminProduct({ shopId, productId: params.product ?? "", lng });
  if (!product) throw notFoundResponse();
  const canEdit = can(access.role, "catalog:edit");
  const isExperience = product.kind === "EXPERIENCE";
  const variants = await listVariants({ shopId, productId: product.id });
  const [history, slots, suggestedSku] = await Promise.all([
    isExperience ? [] : listStockHistory({ shopId, variantIds: variants.map((v) => v.id) }),
    isExperience ? listUpcomingSlots({ shopId, productId: product.id }) : null,
    canEdit ? suggestSku({ shopId, productSlug: product.slug }) : "",
  ]);
  const search = new URL(request.url).searchParams;
  const saved = SAVED.find((s) => s === search.get("saved")) ?? null;
  return {
    title: `${product.title} · ${t("catalog.list.title")}`,
    shopSlug: access.shop.slug,
    canEdit,
    product: {
      id: product.id,
      kind: product.kind,
      status: product.status,
      slug: product.slug,
      title: product.title,
      picture: product.picture,
    },
    formDefaults: productFormDefaults(product),
    variants: variants.map((v) => ({
      ...v,
      title: pick(lng, v.titleZh, v.titleEn),
      price: fenToYuanInput(v.priceFen),
      compareAt: v.compareAtFen === null ? null : fenToYuanInput(v.compareAtFen),
    })),
    history,
    slots,
    suggestedSku,
    today: shanghaiToday(),
    saved: saved
      ? {
          key: saved,
          created: parseDecimal(search.get("created")) ?? 0,
          existed: parseDecimal(search.get("existed")) ?? 0,
        }
      : null,
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

// ─── Actions ───────────────────────────────────────────────────────────────

interface IntentContext {
  formData: FormData;
  formId: string;
  shopId: string;
  productId: string;
  userId: string;
  /** Where a successful save redirects: the page itself with ?saved=…#section. */
  done: (saved: (typeof SAVED)[number], anchor: string, extra?: Record<string, number>) => Response;
}

/** 400 with the form's field errors, so the page shows them next to the fields. */
function invalid(formId: string, submission: Submission<unknown, string[]>, fieldErrors?: Record<string, string[]>) {
  return data({ form: formId, result: submission.reply(fieldErrors ? { fieldErrors } : undefined) }, { status: 400 });
}

/** Parses one form; answers 400 when it does not validate, else runs `save`. */
async function withForm<S extends z.ZodTypeAny>(
  context: IntentContext,
  schema: S,
  save: (value: z.output<S>) => Promise<{ outcome: Outcome<object>; onSuccess: () => Response }>,
) {
  const submission = parseWithZod(context.formData, { schema });
  if (submission.status !== "success") return invalid(context.formId, submission);
  const { outcome, onSuccess } = await save(submission.value);
  if (outcome.ok) return onSuccess();
  if ("notFound" in outcome) throw notFoundResponse();
  return invalid(context.formId, submission, { [outcome.field]: [outcome.error] });
}

const INTENTS: Record<string, (context: IntentContext) => Promise<Response | ReturnType<typeof invalid>>> = {
  product: (c) =>
    withForm(c, productFormSchema, async (form) => ({
      outcome: await updateProduct({ shopId: c.shopId, productId: c.productId, form }),
      onSuccess: () => c.done("product", "product"),
    })),
  "variant-create": (c) =>
    withForm(c, variantCreateSchema, async (input) => ({
      outcome: await createVariant({ shopId: c.shopId, productId: c.productId, userId: c.userId, input }),
      onSuccess: () => c.done("variantCreated", "variants"),
    })),
  "variant-update": (c) =>
    withForm(c, variantEditSchema, async (input) => ({
      outcome: await updateVariant({ shopId: c.shopId, productId: c.productId, variantId: input.variantId, input }),
      onSuccess: () => c.done("variant", "variants"),
    })),
  "variant-archive": (c) =>
    withForm(c, z.object({ variantId: z.string().min(1) }), async ({ variantId }) => ({
      outcome: await setVariantStatus({ shopId: c.shopId, productId: c.productId, variantId, status: "ARCHIVED" }),
      onSuccess: () => c.done("variantArchived", "variants"),
    })),
  "variant-restore": (c) =>
    withForm(c, z.object({ variantId: z.string().min(1) }), async ({ variantId }) => ({
      outcome: await setVariantStatus({ shopId: c.shopId, productId: c.productId, variantId, status: "ACTIVE" }),
      onSuccess: () => c.done("variantRestored", "variants"),
    })),
  "stock-adjust": (c) =>
    withForm(c, stockAdjustSchema, async (input) => ({
      outcome: await adjustStock({ shopId: c.shopId, productId: c.productId, userId: c.userId, ...input }),
      onSuccess: () => c.done("stock", "variants"),
    })),
  "slot-create": (c) =>
    withForm(c, slotCreateSchema, async (input) => ({
      outcome: await createSlot({ shopId: c.shopId, productId: c.productId, ...input }),
      onSuccess: () => c.done("slot", "slots"),
    })),
  "slot-bulk": (c) =>
    withForm(c, slotBulkSchema, async (input) => {
      const outcome = await createSlotsInBulk({ shopId: c.shopId, productId: c.productId, ...input });
      return {
        outcome,
        onSuccess: () =>
          c.done("slots", "slots", outcome.ok ? { created: outcome.created, existed: outcome.existed } : {}),
      };
    }),
  "slot-capacity": (c) =>
    withForm(c, slotCapacitySchema, async (input) => ({
      outcome: await updateSlotCapacity({ shopId: c.shopId, productId: c.productId, ...input }),
      onSuccess: () => c.done("slotCapacity", "slots"),
    })),
  "slot-delete": (c) =>
    withForm(c, slotDeleteSchema, async (input) => ({
      outcome: await deleteSlot({ shopId: c.shopId, productId: c.productId, ...input }),
      onSuccess: () => c.done("slotDeleted", "slots"),
    })),
};

export async function action({ request, params }: ActionFunctionArgs) {
  const formData = await readForm(request);
  await requireCsrf(request, formData);
  const access = await requireShopAccess(request, params.shop, "catalog:edit");
  const product = await findAdminProductRef({ shopId: access.shop.id, productId: params.product ?? "" });
  if (!product) throw notFoundResponse();
  const handle = INTENTS[String(formData.get("intent"))];
  if (!handle) throw new Response(null, { status: 400, statusText: "Unknown intent" });
  const page = `/admin/${access.shop.slug}/products/${product.id}`;
  return handle({
    formData,
    formId: String(formData.get("formId") ?? ""),
    shopId: access.shop.id,
    productId: product.id,
    userId: access.user.id,
    done: (saved, anchor, extra = {}) => {
      const search = new URLSearchParams({
        saved,
        ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, String(v)])),
      });
      return redirect(`${page}?${search}#${anchor}`);
    },
  });
}

// ─── Page ──────────────────────────────────────────────────────────────────

export default function ProductPage() {
  const { t } = useTranslation();
  const { shopSlug, canEdit, product, formDefaults, variants, history, slots, suggestedSku, today, saved } =
    useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  // A new location after each save: remount the forms so that they start empty again.
  const { key } = useLocation();
  const base = `/admin/${shopSlug}/products`;
  const isExperience = product.kind === "EXPERIENCE";

  return (
    <div className="flex flex-col gap-6" key={key}>
      <div className="flex flex-col gap-2">
        <nav className="text-sm">
          <Link to={base} className="text-stone-600 underline underline-offset-4">
            ← {t("catalog.backToList")}
          </Link>
        </nav>
        <h1 className="text-2xl font-bold">{product.title}</h1>
        <p className="flex flex-wrap gap-2 text-sm">
          <span className="rounded bg-stone-100 px-1.5 py-0.5">{t(`kind.${product.kind}`)}</span>
          <span className="rounded bg-stone-100 px-1.5 py-0.5">{t(`catalog.status.${product.status}`)}</span>
          {product.status === "ACTIVE" ? (
            <Link to={`/s/${shopSlug}/p/${product.slug}`} className="text-leaf underline">
              {t("catalog.viewInShop")}
            </Link>
          ) : null}
        </p>
        <nav aria-label={t("catalog.sections")} className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
          <a href="#product" className="text-leaf underline">
            {t("catalog.product.details")}
          </a>
          <a href="#variants" className="text-leaf underline">
            {t("catalog.variant.title")}
          </a>
          {isExperience ? (
            <a href="#slots" className="text-leaf underline">
              {t("catalog.slots.title")}
            </a>
          ) : (
            <a href="#stock-history" className="text-leaf underline">
              {t("catalog.stock.historyTitle")}
            </a>
          )}
        </nav>
      </div>

      {saved && !reply ? (
        <p
          role="status"
          className="rounded-lg bg-emerald-50 px-3 py-2 text-emerald-900 ring-1 ring-emerald-200"
          data-testid="saved"
        >
          {t(`catalog.saved.${saved.key}`, { created: saved.created, existed: saved.existed })}
        </p>
      ) : null}

      <section
        aria-labelledby="photos-title"
        className="flex items-center gap-3 rounded-2xl bg-white p-3 ring-1 ring-stone-200"
      >
        {product.picture ? (
          <Picture picture={product.picture} sizes="80px" className="size-20 shrink-0 rounded-xl object-cover" />
        ) : (
          <span
            aria-hidden
            className="grid size-20 shrink-0 place-items-center rounded-xl bg-stone-100 text-xs text-stone-500"
          >
            {t("catalog.list.noPhoto")}
          </span>
        )}
        <div className="min-w-0">
          <h2 id="photos-title" className="font-semibold">
            {t("catalog.photos.title")}
          </h2>
          <p className="text-sm text-stone-600">{t(product.picture ? "catalog.photos.hint" : "catalog.photos.none")}</p>
          <Link
            to={`${base}/${product.id}/photos`}
            className="mt-1 inline-flex min-h-11 items-center font-medium text-leaf underline"
          >
            {t("catalog.photos.manage")}
          </Link>
        </div>
      </section>

      {/* No id here: the form inside is <form id="product"> (the #product anchor lands on it), and
          a second element with that id would take its fields away from it (their form="product"). */}
      <section aria-labelledby="product-title" className="flex flex-col gap-3">
        <h2 id="product-title" className="text-xl font-semibold">
          {t("catalog.product.details")}
        </h2>
        <ProductForm
          kind={product.kind}
          defaultValue={formDefaults}
          reply={reply}
          readOnly={!canEdit}
          submitLabel={t("catalog.product.save")}
          slugPrefix={`/s/${shopSlug}/p/`}
        />
      </section>

      <VariantSection
        variants={variants}
        reply={reply}
        canEdit={canEdit}
        suggestedSku={suggestedSku}
        tracksStock={!isExperience}
      />

      {slots ? (
        <SlotSection slots={slots.slots} total={slots.total} reply={reply} canEdit={canEdit} today={today} />
      ) : (
        <StockHistory movements={history} />
      )}
    </div>
  );
}
