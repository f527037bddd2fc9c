import { asTx, db } from "~/db/index.server";
import { fieldError, isUniqueViolation, notFound, type Outcome } from "./outcome";
import { recordMovement } from "./stock.server";
import type { VariantInput } from "./variant-schema";

// A product's variants (what is bought): SKU unique per shop, price in fen, stock that
// only adjustments change after creation.

export async function listVariants({ shopId, productId }: { shopId: string; productId: string }) {
  return db().variant.findMany({
    where: { shopId, productId },
    orderBy: [{ status: "asc" }, { position: "asc" }, { createdAt: "asc" }],
    select: {
      id: true,
      sku: true,
      titleZh: true,
      titleEn: true,
      unit: true,
      priceFen: true,
      compareAtFen: true,
      stock: true,
      weightGrams: true,
      status: true,
    },
  });
}

/** A SKU's stem from a product slug: short slugs as they are (PEACH-BOX), long ones by initials (honey-peach-presale-2027 → HPP2027). */
function skuStem(productSlug: string): string {
  const words = productSlug
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .filter(Boolean);
  const whole = words.join("-");
  if (whole.length <= 12) return whole || "SKU";
  return words
    .map((word) => (/^\d+$/.test(word) ? word : word[0]))
    .join("")
    .slice(0, 20);
}

/** The next free SKU for a product: PEACH-BOX-1, PEACH-BOX-2 … */
export async function suggestSku({ shopId, productSlug }: { shopId: string; productSlug: string }): Promise<string> {
  const base = skuStem(productSlug);
  const taken = new Set(
    (await db().variant.findMany({ where: { shopId, sku: { startsWith: `${base}-` } }, select: { sku: true } })).map(
      (v) => v.sku,
    ),
  );
  for (let n = 1; ; n++) {
    if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
  }
}

async function skuHolder(shopId: string, sku: string) {
  return db().variant.findUnique({ where: { shopId_sku: { shopId, sku }, shopId }, select: { id: true } });
}

function variantColumns(input: VariantInput) {
  return {
    titleZh: input.titleZh,
    titleEn: input.titleEn,
    unit: input.unit,
    priceFen: input.price,
    compareAtFen: input.compareAt ?? null,
    weightGrams: input.weightGrams ?? null,
  };
}

/** Adds a variant to a product of the shop; its opening stock is the first stock movement ("initial"). */
export async function createVariant({
  shopId,
  productId,
  userId,
  input,
}: {
  shopId: string;
  productId: string;
  userId: string;
  input: VariantInput & { initialStock: number };
}): Promise<Outcome<{ variantId: string }>> {
  const product = await db().product.findFirst({ where: { id: productId, shopId }, select: { slug: true } });
  if (!product) return notFound;
  if (input.sku && (await skuHolder(shopId, input.sku))) return fieldError("sku", "catalog.errors.skuTaken");
  const sku = input.sku ?? (await suggestSku({ shopId, productSlug: product.slug }));
  try {
    const variantId = await db().$transaction(async (tx) => {
      const position = await tx.variant.count({ where: { shopId, productId } });
      const variant = await tx.variant.create({
        data: { shopId, productId, sku, position, stock: input.initialStock, ...variantColumns(input) },
        select: { id: true },
      });
      if (input.initialStock > 0) {
        await recordMovement(asTx(tx), {
          shopId,
          variantId: variant.id,
          userId,
          delta: input.initialStock,
          reason: "initial",
        });
      }
      return variant.id;
    });
    return { ok: true, variantId };
  } catch (error) {
    if (isUniqueViolation(error)) return fieldError("sku", "catalog.errors.skuTaken");
    throw error;
  }
}

/** Saves a variant's details (not its stock). A blank SKU keeps the current one. */
export async function updateVariant({
  shopId,
  productId,
  variantId,
  input,
}: {
  shopId: string;
  productId: string;
  variantId: string;
  input: VariantInput;
}): Promise<Outcome> {
  if (input.sku) {
    const holder = await skuHolder(shopId, input.sku);
    if (holder && holder.id !== variantId) return fieldError("sku", "catalog.errors.skuTaken");
  }
  try {
    const { count } = await db().variant.updateMany({
      where: { id: variantId, shopId, productId },
      data: { ...variantColumns(input), ...(input.sku ? { sku: input.sku } : {}) },
    });
    return count ? { ok: true } : notFound;
  } catch (error) {
    if (isUniqueViolation(error)) return fieldError("sku", "catalog.errors.skuTaken");
    throw error;
  }
}

/** Archives a variant (buyers no longer see it; its history stays) or brings it back. */
export async function setVariantStatus({
  shopId,
  productId,
  variantId,
  status,
}: {
  shopId: string;
  productId: string;
  variantId: string;
  status: "ACTIVE" | "ARCHIVED";
}): Promise<Outcome> {
  const { count } = await db().variant.updateMany({ where: { id: variantId, shopId, productId }, data: { status } });
  return count ? { ok: true } : notFound;
}
