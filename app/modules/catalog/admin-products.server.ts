import { db } from "~/db/index.server";
import { Prisma } from "~/generated/prisma/client";
import { pick } from "~/lib/i18n";
import { isoDateToDate } from "~/lib/time";
import { toPicture, type ImageWithRenditions } from "~/modules/media/picture";
import { pinyin } from "~/lib/pinyin.server";
import { indexShopProducts } from "~/modules/search/index.server";
import { slugifyLatin, SLUG_MAX, truncateSlug } from "~/modules/shops/slug-rules";
import { fieldError, isUniqueViolation, notFound, type Outcome } from "./outcome";
import type { ProductForm, ProductKindName, ProductStatusName } from "./product-schema";

// The admin's side of the catalog: the product list, and creating and editing products.
// Every query names the shop.

export const PRODUCT_PAGE_SIZE = 20;
/** The smallest product preset: list thumbnails are 64–80 px wide. */
const THUMB_PRESET = 320;

export interface ProductListQuery {
  shopId: string;
  lng: string;
  /** Matches the Chinese or English title, or a SKU, anywhere (case-insensitive). */
  q?: string;
  kind?: ProductKindName;
  status?: ProductStatusName;
  page?: number;
  pageSize?: number;
  now?: Date;
}

interface ProductListRow {
  id: string;
  slug: string;
  kind: ProductKindName;
  status: ProductStatusName;
  featured: boolean;
  presale: boolean;
  titleZh: string;
  titleEn: string | null;
  variantCount: number;
  minPriceFen: number | null;
  maxPriceFen: number | null;
  totalStock: number;
  placesLeft: number;
  image: ImageWithRenditions | null;
}

/** `%term%` for ILIKE, with the term's own wildcards taken literally. */
function containsPattern(term: string) {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function listFilter({ shopId, q, kind, status }: ProductListQuery): Prisma.Sql {
  const conditions = [Prisma.sql`p."shopId" = ${shopId}`];
  if (status) conditions.push(Prisma.sql`p.status = CAST(${status} AS "ProductStatus")`);
  if (kind) conditions.push(Prisma.sql`p.kind = CAST(${kind} AS "ProductKind")`);
  const term = q?.trim();
  if (term) {
    const pattern = containsPattern(term);
    // The SKU match is one pass over the shop's variants (a semi-join), not a lookup per product.
    conditions.push(Prisma.sql`(p."titleZh" ILIKE ${pattern} OR p."titleEn" ILIKE ${pattern} OR p.id IN (
      SELECT sv."productId" FROM "Variant" sv WHERE sv."shopId" = ${shopId} AND sv.sku ILIKE ${pattern}))`);
  }
  return Prisma.join(conditions, " AND ");
}

/**
 * One page of a shop's products with what the list shows of each: two statements whatever
 * the page size (a count, and the page). The page's rows are chosen first, in the order of
 * the (shopId, status, kind, position) index (drafts first, then active, then archived);
 * only those rows then gather their first thumbnail and their active variants' count,
 * lowest price and stock through lateral joins.
 * Raw SQL passes the shop guard, so every table here is joined on the product's shopId.
 */
export async function listAdminProducts(query: ProductListQuery) {
  const pageSize = query.pageSize ?? PRODUCT_PAGE_SIZE;
  const where = listFilter(query);
  const [{ total }] = await db().$queryRaw<
    [{ total: number }]
  >`SELECT count(*)::int AS total FROM "Product" p WHERE ${where}`;
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(Math.max(1, Math.floor(query.page ?? 1)), pages);
  const rows =
    total === 0
      ? []
      : await db().$queryRaw<ProductListRow[]>`
  WITH page AS MATERIALIZED (
    SELECT p.id, p."shopId", p.slug, p.kind, p.status, p.position, p.featured, p.presale, p."titleZh", p."titleEn"
      FROM "Product" p
     WHERE ${where}
     ORDER BY p.status, p.kind, p.position, p.id
     LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}
  )
  SELECT p.id, p.slug, p.kind::text AS kind, p.status::text AS status, p.featured, p.presale, p."titleZh", p."titleEn",
         v."variantCount", v."minPriceFen", v."maxPriceFen", v."totalStock", s."placesLeft", i.image
    FROM page p
    LEFT JOIN LATERAL (
      SELECT count(*)::int AS "variantCount", min(v."priceFen")::int AS "minPriceFen", max(v."priceFen")::int AS "maxPriceFen",
             coalesce(sum(v.stock), 0)::int AS "totalStock"
        FROM "Variant" v
       WHERE v."productId" = p.id AND v."shopId" = p."shopId" AND v.status = 'ACTIVE'
    ) v ON true
    LEFT JOIN LATERAL (
      SELECT coalesce(sum(s.capacity - s.booked), 0)::int AS "placesLeft"
        FROM "ExperienceSlot" s
       WHERE p.kind = 'EXPERIENCE' AND s."productId" = p.id AND s."shopId" = p."shopId" AND s."startsAt" > ${query.now ?? new Date()}
    ) s ON true
    LEFT JOIN LATERAL (
      SELECT json_build_object(
               'width', img.width, 'height', img.height, 'dominantColor', img."dominantColor",
               'altZh', img."altZh", 'altEn', img."altEn",
               'renditions', coalesce((
                 SELECT json_agg(json_build_object('preset', r.preset, 'format', r.format, 'width', r.width, 'storageKey', r."storageKey"))
                   FROM "ImageRendition" r
                  WHERE r."imageId" = img.id AND r."shopId" = img."shopId" AND r.preset = ${THUMB_PRESET}), '[]'::json)
             ) AS image
        FROM "Image" img
       WHERE img."shopId" = p."shopId" AND img."productId" = p.id
       ORDER BY img.position
       LIMIT 1
    ) i ON true
   ORDER BY p.status, p.kind, p.position, p.id`;

  return {
    total,
    page,
    pages,
    pageSize,
    items: rows.map((row) => {
      const title = pick(query.lng, row.titleZh, row.titleEn);
      return {
        id: row.id,
        slug: row.slug,
        kind: row.kind,
        status: row.status,
        featured: row.featured,
        presale: row.presale,
        title,
        variantCount: row.variantCount,
        minPriceFen: row.minPriceFen,
        /** Whether the active variants cost different amounts (the list then says "from"). */
        pricesVary: row.minPriceFen !== null && row.maxPriceFen !== null && row.maxPriceFen > row.minPriceFen,
        /** Units in stock, or for an experience the places left in upcoming slots. */
        available: row.kind === "EXPERIENCE" ? row.placesLeft : row.totalStock,
        picture: row.image ? toPicture(row.image, query.lng, title) : null,
      };
    }),
  };
}

export type AdminProductList = Awaited<ReturnType<typeof listAdminProducts>>;

/**
 * The product an admin URL's :product names (its id), if this shop has it; null answers 404.
 * Pages under /admin/:shop/products/:product (photos too) resolve it with this.
 */
export async function findAdminProductRef({ shopId, productId }: { shopId: string; productId: string }) {
  const product = await db().product.findFirst({
    where: { id: productId, shopId },
    select: { id: true, slug: true, kind: true },
  });
  return product ? { ...product, kind: product.kind as ProductKindName } : null;
}

/** A product of this shop by id, with its first picture; null when the shop has no such product. */
export async function getAdminProduct({ shopId, productId, lng }: { shopId: string; productId: string; lng: string }) {
  const product = await db().product.findFirst({
    where: { id: productId, shopId },
    include: {
      images: {
        where: { shopId },
        orderBy: { position: "asc" },
        take: 1,
        include: { renditions: { where: { shopId, preset: THUMB_PRESET } } },
      },
    },
  });
  if (!product) return null;
  const { images, ...fields } = product;
  const title = pick(lng, fields.titleZh, fields.titleEn);
  return {
    ...fields,
    kind: fields.kind as ProductKindName,
    status: fields.status as ProductStatusName,
    title,
    picture: images[0] ? toPicture(images[0], lng, title) : null,
  };
}

export type AdminProduct = NonNullable<Awaited<ReturnType<typeof getAdminProduct>>>;

/** A product as the form's initial values (text, as the inputs hold it). */
export function productFormDefaults(product: AdminProduct) {
  const text = (value: string | number | null) => (value === null ? undefined : String(value));
  return {
    kind: product.kind,
    titleZh: product.titleZh,
    titleEn: text(product.titleEn),
    slug: product.slug,
    summaryZh: text(product.summaryZh),
    summaryEn: text(product.summaryEn),
    descriptionZh: text(product.descriptionZh),
    descriptionEn: text(product.descriptionEn),
    status: product.status,
    featured: product.featured,
    harvestMonths: product.harvestMonths.map(String),
    coldChain: product.coldChain,
    shelfLifeDays: text(product.shelfLifeDays),
    storageZh: text(product.storageZh),
    storageEn: text(product.storageEn),
    presale: product.presale,
    presaleYieldCap: text(product.presaleYieldCap),
    presaleShipBy: product.presaleShipBy?.toISOString().slice(0, 10),
    giName: text(product.giName),
    giAuthNumber: text(product.giAuthNumber),
    durationMinutes: text(product.durationMinutes),
    meetingPointZh: text(product.meetingPointZh),
    meetingPointEn: text(product.meetingPointEn),
    includedZh: text(product.includedZh),
    includedEn: text(product.includedEn),
  };
}

/** The Product columns a form fills. Columns of other kinds are cleared, so each kind's rules hold in the table too. */
function productColumns(form: ProductForm) {
  const common = {
    titleZh: form.titleZh,
    titleEn: form.titleEn,
    summaryZh: form.summaryZh,
    summaryEn: form.summaryEn,
    descriptionZh: form.descriptionZh,
    descriptionEn: form.descriptionEn,
    status: form.status,
    featured: form.featured,
    harvestMonths: [...new Set(form.harvestMonths)].sort((a, b) => a - b),
  };
  const cleared = {
    coldChain: false,
    shelfLifeDays: null,
    storageZh: null,
    storageEn: null,
    presale: false,
    presaleYieldCap: null,
    presaleShipBy: null,
    giName: null,
    giAuthNumber: null,
    durationMinutes: null,
    meetingPointZh: null,
    meetingPointEn: null,
    includedZh: null,
    includedEn: null,
  };
  switch (form.kind) {
    case "PRODUCE":
      return {
        ...common,
        ...cleared,
        coldChain: form.coldChain,
        shelfLifeDays: form.shelfLifeDays ?? null,
        storageZh: form.storageZh,
        storageEn: form.storageEn,
        presale: form.presale,
        presaleYieldCap: form.presale ? (form.presaleYieldCap ?? null) : null,
        presaleShipBy: form.presale && form.presaleShipBy ? isoDateToDate(form.presaleShipBy) : null,
        giName: form.giName,
        giAuthNumber: form.giAuthNumber,
      };
    case "SPECIALTY":
      return {
        ...common,
        ...cleared,
        shelfLifeDays: form.shelfLifeDays ?? null,
        storageZh: form.storageZh,
        storageEn: form.storageEn,
        giName: form.giName,
        giAuthNumber: form.giAuthNumber,
      };
    case "EXPERIENCE":
      return {
        ...common,
        ...cleared,
        durationMinutes: form.durationMinutes,
        meetingPointZh: form.meetingPointZh,
        meetingPointEn: form.meetingPointEn,
        includedZh: form.includedZh,
        includedEn: form.includedEn,
      };
  }
}

/**
 * The slug a product's titles suggest: from the English title, else the pinyin of the
 * Chinese one, a syllable to a word (碧螺春 500克 → bi-luo-chun-500), so no reader has
 * to guess where words break.
 */
export function slugFromTitles(titleZh: string, titleEn: string | null | undefined): string {
  const fromEn = titleEn ? slugifyLatin(titleEn) : "";
  if (fromEn) return fromEn;
  const syllables = pinyin(titleZh, { type: "array", toneType: "none", nonZh: "consecutive", v: true });
  return slugifyLatin(syllables.join(" ")) || "product";
}

/** `base` if no product of the shop has it, else base-2, base-3 … */
async function freeSlug(shopId: string, base: string): Promise<string> {
  const taken = new Set(
    (await db().product.findMany({ where: { shopId, slug: { startsWith: base } }, select: { slug: true } })).map(
      (p) => p.slug,
    ),
  );
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    const candidate = `${truncateSlug(base, SLUG_MAX - suffix.length)}${suffix}`;
    if (!taken.has(candidate)) return candidate;
  }
}

async function slugTaken(shopId: string, slug: string, exceptId?: string) {
  const holder = await db().product.findUnique({
    where: { shopId_slug: { shopId, slug }, shopId },
    select: { id: true },
  });
  return Boolean(holder && holder.id !== exceptId);
}

/** Creates a product at the end of the shop's order. A blank slug is suggested from the titles. */
export async function createProduct({
  shopId,
  form,
}: {
  shopId: string;
  form: ProductForm;
}): Promise<Outcome<{ productId: string }>> {
  if (form.slug && (await slugTaken(shopId, form.slug))) return fieldError("slug", "catalog.errors.slugTaken");
  const slug = form.slug ?? (await freeSlug(shopId, slugFromTitles(form.titleZh, form.titleEn)));
  const last = await db().product.aggregate({ where: { shopId }, _max: { position: true } });
  try {
    const product = await db().product.create({
      data: { shopId, slug, kind: form.kind, position: (last._max.position ?? -1) + 1, ...productColumns(form) },
      select: { id: true },
    });
    await indexShopProducts(db(), { shopId });
    return { ok: true, productId: product.id };
  } catch (error) {
    if (isUniqueViolation(error)) return fieldError("slug", "catalog.errors.slugTaken");
    throw error;
  }
}

/** Saves the form over a product of the shop. Its kind never changes; a blank slug keeps the current one. */
export async function updateProduct({
  shopId,
  productId,
  form,
}: {
  shopId: string;
  productId: string;
  form: ProductForm;
}): Promise<Outcome> {
  const product = await db().product.findFirst({
    where: { id: productId, shopId },
    select: { kind: true, slug: true },
  });
  if (!product) return notFound;
  if (product.kind !== form.kind) return fieldError("kind", "catalog.errors.kindChange");
  const slug = form.slug ?? product.slug;
  if (slug !== product.slug && (await slugTaken(shopId, slug, productId)))
    return fieldError("slug", "catalog.errors.slugTaken");
  try {
    await db().product.update({
      where: { shopId_id: { shopId, id: productId } },
      data: { slug, ...productColumns(form) },
    });
    await indexShopProducts(db(), { shopId });
    return { ok: true };
  } catch (error) {
    if (isUniqueViolation(error)) return fieldError("slug", "catalog.errors.slugTaken");
    throw error;
  }
}
