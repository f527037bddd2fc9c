import { unscopedDb } from "~/db/index.server";
import { pick } from "~/lib/i18n";
import { requestContext } from "~/lib/request-context.server";
import { cartCookie, serializeFor, sessionCookie } from "~/modules/identity/cookies.server";
import { getUserId } from "~/modules/identity/session.server";
import { hashToken, newToken } from "~/modules/identity/tokens.server";
import { toPicture } from "~/modules/media/picture";
import type { PictureData } from "~/modules/media/presets";

// One cart across shops (issue #4). A cart is named by its id in every query; its lines
// carry their shopId. A guest's cart id is the sha256 of the token in its cookie; a
// signed-in buyer's cart id is derived from the user id, so no lookup is needed to find it.

const CART_DAYS = 90;
export { cartCookie };

/** Who is shopping: a signed-in user, or a guest with (or still without) a cart cookie. */
export interface Visitor {
  userId: string | null;
  guestToken: string | null;
}

type Db = ReturnType<typeof unscopedDb>;
type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

export type CartError = { ok: false; field: "variantId" | "slotId" | "quantity" | "lineId"; error: string };
export type CartNotFound = { ok: false; notFound: true };

async function readGuestToken(request: Request): Promise<string | null> {
  const value = await cartCookie.parse(request.headers.get("Cookie"));
  return typeof value === "string" && value.length >= 32 ? value : null;
}

export async function visitorOf(request: Request): Promise<Visitor> {
  return { userId: await getUserId(request), guestToken: await readGuestToken(request) };
}

const userCartId = (userId: string) => `user:${userId}`;

/** The visitor's cart id, or null for a guest who has never added anything. */
export function cartIdOf(visitor: Visitor): string | null {
  if (visitor.userId) return userCartId(visitor.userId);
  return visitor.guestToken ? hashToken(visitor.guestToken) : null;
}

/**
 * The visitor's "buy now" cart (issue #13): 立即购买 checks out one line without touching the
 * cart. It is a cart of its own beside the visitor's, named from the same id (so only that
 * visitor reaches it) and never attached to the user row (Cart.userId is the main cart's).
 */
export function buyNowCartIdOf(visitor: Visitor): string | null {
  const base = cartIdOf(visitor);
  return base ? `now:${base}` : null;
}

/** Error keys carry their values as "key|{json}" (see useErrorText in ~/components/forms). */
function error(field: CartError["field"], key: string, values?: Record<string, unknown>): CartError {
  return { ok: false, field, error: values ? `cart.errors.${key}|${JSON.stringify(values)}` : `cart.errors.${key}` };
}

/** Serialises every change to one cart (two tabs adding the same thing make one line). */
async function lockCart(tx: Tx, cartId: string) {
  await tx.$queryRaw`SELECT id FROM "Cart" WHERE id = ${cartId} FOR UPDATE`;
}

const placesLeft = (slot: { capacity: number; booked: number }) => Math.max(0, slot.capacity - slot.booked);

/**
 * How many of this variant (and slot) one line may hold: the variant's stock, or for an
 * experience the places left in the slot less what the cart's other lines for it hold.
 */
async function lineBound(
  tx: Tx,
  {
    cartId,
    kind,
    stock,
    slot,
    excludeLineId,
  }: {
    cartId: string;
    kind: string;
    stock: number;
    slot: { id: string; capacity: number; booked: number } | null;
    excludeLineId?: string;
  },
): Promise<number> {
  if (kind !== "EXPERIENCE") return Math.max(0, stock);
  if (!slot) return 0;
  const others = await tx.cartLine.aggregate({
    where: { cartId, slotId: slot.id, ...(excludeLineId ? { id: { not: excludeLineId } } : {}) },
    _sum: { quantity: true },
  });
  return Math.max(0, placesLeft(slot) - (others._sum.quantity ?? 0));
}

const variantForCart = {
  id: true,
  shopId: true,
  unit: true,
  priceFen: true,
  stock: true,
  status: true,
  product: { select: { id: true, kind: true, status: true } },
  shop: { select: { status: true } },
} as const;

/**
 * Adds a variant (and for an experience, a future slot of it) to the visitor's cart,
 * creating the cart on first use. Adding the same thing again raises the quantity, within
 * stock or places left. `setCookie` is set when a guest's cart cookie was just created.
 */
export async function addToCart({
  visitor,
  request,
  shopId = null,
  variantId,
  slotId,
  quantity,
  buyNow = false,
  now = new Date(),
}: {
  visitor: Visitor;
  request: Request;
  /** The shop of the product page the variant was chosen on, when the form sent it. */
  shopId?: string | null;
  variantId: string;
  slotId?: string | null;
  quantity: number;
  /** 立即购买: the visitor's buy-now cart becomes this one line; the cart is left alone. */
  buyNow?: boolean;
  now?: Date;
}): Promise<{ ok: true; count: number; setCookie: string | null } | CartError> {
  const prisma = unscopedDb();
  // By its key (shopId, id) (decision 028); a product page rendered before the form carried its
  // shop sends the variant alone, found without an index of its own.
  const variant = await prisma.variant.findFirst({
    where: shopId ? { shopId, id: variantId } : { id: variantId },
    select: variantForCart,
  });
  if (
    !variant ||
    variant.status !== "ACTIVE" ||
    variant.product.status !== "ACTIVE" ||
    variant.shop.status !== "LIVE"
  ) {
    return error("variantId", "unavailable");
  }
  const experience = variant.product.kind === "EXPERIENCE";
  let slot: { id: string; capacity: number; booked: number; startsAt: Date } | null = null;
  if (experience) {
    slot = slotId
      ? await prisma.experienceSlot.findFirst({
          where: { id: slotId, shopId: variant.shopId, productId: variant.product.id },
          select: { id: true, capacity: true, booked: true, startsAt: true },
        })
      : null;
    if (!slot) return error("slotId", "slotRequired");
    if (slot.startsAt <= now) return error("slotId", "slotPast");
    if (placesLeft(slot) <= 0) return error("slotId", "slotFull");
  } else if (variant.stock <= 0) {
    return error("variantId", "soldOut");
  }

  let setCookie: string | null = null;
  let cartId = cartIdOf(visitor);
  if (!cartId) {
    const token = newToken();
    cartId = hashToken(token);
    setCookie = await serializeFor(request, cartCookie, token, CART_DAYS * 86_400);
  }
  const id = buyNow ? `now:${cartId}` : cartId;
  const lineSlotId = slot?.id ?? null;

  return prisma.$transaction(async (tx) => {
    await tx.cart.upsert({ where: { id }, create: { id, userId: buyNow ? null : visitor.userId }, update: {} });
    await lockCart(tx, id);
    if (buyNow) await tx.cartLine.deleteMany({ where: { cartId: id } });
    // NULL slot ids are distinct to the unique index, so look the line up instead of upserting.
    const existing = await tx.cartLine.findFirst({
      where: { cartId: id, variantId, slotId: lineSlotId },
      select: { id: true, quantity: true },
    });
    const bound = await lineBound(tx, {
      cartId: id,
      kind: variant.product.kind,
      stock: variant.stock,
      slot,
      excludeLineId: existing?.id,
    });
    const inCart = existing?.quantity ?? 0;
    if (inCart + quantity > bound) {
      const values = { available: bound, unit: variant.unit, ...(inCart ? { inCart } : {}) };
      return error("quantity", `${experience ? "notEnoughPlaces" : "notEnoughStock"}${inCart ? "InCart" : ""}`, values);
    }
    if (existing) {
      // The buyer has just seen the current price on the product page.
      await tx.cartLine.update({
        where: { cartId_id: { cartId: id, id: existing.id } },
        data: { quantity: inCart + quantity, seenPriceFen: variant.priceFen },
      });
    } else {
      await tx.cartLine.create({
        data: {
          cartId: id,
          shopId: variant.shopId,
          productId: variant.product.id,
          variantId,
          slotId: lineSlotId,
          quantity,
          seenPriceFen: variant.priceFen,
        },
      });
    }
    await tx.cart.update({ where: { id }, data: { updatedAt: now } });
    return { ok: true as const, count: await tx.cartLine.count({ where: { cartId: id } }), setCookie };
  });
}

/** Sets a line's quantity (0 removes it), within stock or places left. */
export async function setQuantity({
  cartId,
  lineId,
  quantity,
}: {
  cartId: string | null;
  lineId: string;
  quantity: number;
}): Promise<{ ok: true } | CartError | CartNotFound> {
  if (!cartId) return { ok: false, notFound: true };
  if (quantity <= 0) return removeLine({ cartId, lineId });
  const prisma = unscopedDb();
  // Read outside the transaction: its related rows would be fetched in parallel, and one
  // transaction is one connection.
  const line = await prisma.cartLine.findFirst({
    where: { id: lineId, cartId },
    select: {
      id: true,
      variant: { select: { stock: true, unit: true } },
      product: { select: { kind: true } },
      slot: { select: { id: true, capacity: true, booked: true } },
    },
  });
  if (!line) return { ok: false, notFound: true };
  return prisma.$transaction(async (tx) => {
    await lockCart(tx, cartId);
    const bound = await lineBound(tx, {
      cartId,
      kind: line.product.kind,
      stock: line.variant.stock,
      slot: line.slot,
      excludeLineId: line.id,
    });
    if (quantity > bound) {
      const key =
        line.product.kind === "EXPERIENCE"
          ? bound
            ? "notEnoughPlaces"
            : "slotFull"
          : bound
            ? "notEnoughStock"
            : "soldOut";
      return error("quantity", key, { available: bound, unit: line.variant.unit });
    }
    const { count } = await tx.cartLine.updateMany({ where: { id: line.id, cartId }, data: { quantity } });
    return count ? { ok: true as const } : { ok: false as const, notFound: true as const };
  });
}

export async function removeLine({
  cartId,
  lineId,
}: {
  cartId: string | null;
  lineId: string;
}): Promise<{ ok: true } | CartNotFound> {
  if (!cartId) return { ok: false, notFound: true };
  const { count } = await unscopedDb().cartLine.deleteMany({ where: { id: lineId, cartId } });
  return count ? { ok: true } : { ok: false, notFound: true };
}

/** The buyer accepts the current prices: lines flagged PRICE_CHANGED are no longer flagged. */
export async function confirmPrices({ cartId }: { cartId: string | null }): Promise<number> {
  if (!cartId) return 0;
  return unscopedDb().$executeRaw`
    UPDATE "CartLine" AS l SET "seenPriceFen" = v."priceFen", "updatedAt" = now()
    FROM "Variant" AS v
    WHERE l."cartId" = ${cartId} AND v.id = l."variantId" AND v."shopId" = l."shopId" AND l."seenPriceFen" <> v."priceFen"`;
}

export type LineFlag =
  | { kind: "PRICE_CHANGED"; from: number; to: number }
  | { kind: "SOLD_OUT" }
  | { kind: "NOT_ENOUGH_STOCK"; available: number }
  | { kind: "SLOT_FULL" }
  | { kind: "SLOT_PAST" }
  | { kind: "UNAVAILABLE" };

export interface CartLineView {
  id: string;
  productSlug: string;
  title: string;
  variantTitle: string;
  unit: string;
  slotStartsAt: string | null;
  picture: PictureData | null;
  quantity: number;
  /** The most the line may hold now (stock or places left), for the quantity input. */
  max: number;
  unitPriceFen: number;
  lineTotalFen: number;
  flags: LineFlag[];
}

export interface CartShopView {
  shopId: string;
  slug: string;
  name: string;
  themePrimary: string;
  lines: CartLineView[];
  subtotalFen: number;
}

export interface CartView {
  shops: CartShopView[];
  totalFen: number;
  lineCount: number;
  hasPriceChanges: boolean;
  hasFlags: boolean;
}

const EMPTY: CartView = { shops: [], totalFen: 0, lineCount: 0, hasPriceChanges: false, hasFlags: false };

/**
 * The cart grouped by shop, in one query. Every line stays, whatever happened to it since;
 * what changed is listed in its flags. Totals use current prices.
 */
export async function viewCart({
  cartId,
  lng,
  now = new Date(),
}: {
  cartId: string | null;
  lng: string;
  now?: Date;
}): Promise<CartView> {
  if (!cartId) return EMPTY;
  const lines = await unscopedDb().cartLine.findMany({
    where: { cartId },
    orderBy: { createdAt: "asc" },
    select: {
      id: true,
      quantity: true,
      seenPriceFen: true,
      slotId: true,
      shop: { select: { id: true, slug: true, status: true, nameZh: true, nameEn: true, themePrimary: true } },
      product: {
        select: {
          slug: true,
          kind: true,
          status: true,
          titleZh: true,
          titleEn: true,
          images: { where: { role: "PRODUCT" }, orderBy: { position: "asc" }, take: 1, include: { renditions: true } },
        },
      },
      variant: { select: { titleZh: true, titleEn: true, unit: true, priceFen: true, stock: true, status: true } },
      slot: { select: { startsAt: true, capacity: true, booked: true } },
    },
  });

  // Places a slot has left are shared by the cart's lines for it (adults and children).
  const heldBySlot = new Map<string, number>();
  for (const l of lines) if (l.slotId) heldBySlot.set(l.slotId, (heldBySlot.get(l.slotId) ?? 0) + l.quantity);

  const shops = new Map<string, CartShopView>();
  let hasPriceChanges = false;
  let hasFlags = false;
  for (const l of lines) {
    const flags: LineFlag[] = [];
    const unitPriceFen = l.variant.priceFen;
    if (l.seenPriceFen !== unitPriceFen) flags.push({ kind: "PRICE_CHANGED", from: l.seenPriceFen, to: unitPriceFen });
    let max: number;
    if (l.product.status !== "ACTIVE" || l.variant.status !== "ACTIVE" || l.shop.status !== "LIVE") {
      flags.push({ kind: "UNAVAILABLE" });
      max = 0;
    } else if (l.product.kind === "EXPERIENCE") {
      const left = l.slot ? placesLeft(l.slot) : 0;
      max = Math.max(0, left - ((heldBySlot.get(l.slotId ?? "") ?? 0) - l.quantity));
      if (!l.slot || l.slot.startsAt <= now) flags.push({ kind: "SLOT_PAST" });
      else if (left === 0) flags.push({ kind: "SLOT_FULL" });
      else if (l.quantity > max) flags.push({ kind: "NOT_ENOUGH_STOCK", available: max });
    } else {
      max = Math.max(0, l.variant.stock);
      if (max === 0) flags.push({ kind: "SOLD_OUT" });
      else if (l.quantity > max) flags.push({ kind: "NOT_ENOUGH_STOCK", available: max });
    }
    hasPriceChanges ||= flags.some((f) => f.kind === "PRICE_CHANGED");
    hasFlags ||= flags.length > 0;

    const title = pick(lng, l.product.titleZh, l.product.titleEn);
    const image = l.product.images[0];
    const line: CartLineView = {
      id: l.id,
      productSlug: l.product.slug,
      title,
      variantTitle: pick(lng, l.variant.titleZh, l.variant.titleEn),
      unit: l.variant.unit,
      slotStartsAt: l.slot?.startsAt.toISOString() ?? null,
      picture: image ? toPicture(image, lng, title) : null,
      quantity: l.quantity,
      max,
      unitPriceFen,
      lineTotalFen: unitPriceFen * l.quantity,
      flags,
    };
    let group = shops.get(l.shop.id);
    if (!group) {
      group = {
        shopId: l.shop.id,
        slug: l.shop.slug,
        name: pick(lng, l.shop.nameZh, l.shop.nameEn),
        themePrimary: l.shop.themePrimary,
        lines: [],
        subtotalFen: 0,
      };
      shops.set(l.shop.id, group);
    }
    group.lines.push(line);
    group.subtotalFen += line.lineTotalFen;
  }
  const groups = [...shops.values()];
  return {
    shops: groups,
    totalFen: groups.reduce((sum, g) => sum + g.subtotalFen, 0),
    lineCount: lines.length,
    hasPriceChanges,
    hasFlags,
  };
}

/**
 * The number of lines in the visitor's cart, for the header. No query at all for a visitor
 * with neither a cart cookie nor a session cookie; one for a guest; one for a signed-in user.
 */
export async function cartCount(request: Request): Promise<number> {
  // Read once per request: the shared page cache may have asked already (decision 033).
  const facts = requestContext.getStore();
  if (facts?.cartCount !== undefined && request.method === "GET") return facts.cartCount;
  const cookies = request.headers.get("Cookie");
  if (!cookies) return 0;
  const sid = await sessionCookie.parse(cookies);
  if (typeof sid === "string" && sid.length > 20) {
    const session = await unscopedDb().session.findUnique({
      where: { id: hashToken(sid) },
      select: { expiresAt: true, user: { select: { cart: { select: { _count: { select: { lines: true } } } } } } },
    });
    if (session && session.expiresAt > new Date()) return session.user.cart?._count.lines ?? 0;
  }
  const guestToken = await readGuestToken(request);
  return guestToken ? unscopedDb().cartLine.count({ where: { cartId: hashToken(guestToken) } }) : 0;
}

/**
 * At sign-in: moves the guest cart's lines into the user's cart (a line both have gets the
 * sum, capped by stock or places, but never less than either had: anything beyond the bound
 * stays visible as a flag), deletes the guest cart and returns the Set-Cookie that clears
 * the guest cookie (null when the browser had none).
 */
export async function mergeGuestCart(request: Request, userId: string): Promise<string | null> {
  const guestToken = await readGuestToken(request);
  if (!guestToken) return null;
  const guestId = hashToken(guestToken);
  const userCart = userCartId(userId);
  const prisma = unscopedDb();
  const guestLines = await prisma.cartLine.findMany({
    where: { cartId: guestId },
    select: {
      id: true,
      variantId: true,
      slotId: true,
      quantity: true,
      variant: { select: { stock: true } },
      product: { select: { kind: true } },
      slot: { select: { id: true, capacity: true, booked: true } },
    },
  });
  await prisma.$transaction(async (tx) => {
    if (guestLines.length) {
      await tx.cart.upsert({ where: { id: userCart }, create: { id: userCart, userId }, update: {} });
      await lockCart(tx, userCart);
      for (const g of guestLines) {
        const mine = await tx.cartLine.findFirst({
          where: { cartId: userCart, variantId: g.variantId, slotId: g.slotId },
          select: { id: true, quantity: true },
        });
        if (!mine) {
          await tx.cartLine.updateMany({ where: { id: g.id, cartId: guestId }, data: { cartId: userCart } });
          continue;
        }
        const bound = await lineBound(tx, {
          cartId: userCart,
          kind: g.product.kind,
          stock: g.variant.stock,
          slot: g.slot,
          excludeLineId: mine.id,
        });
        const quantity = Math.min(mine.quantity + g.quantity, Math.max(bound, mine.quantity, g.quantity));
        await tx.cartLine.update({ where: { cartId_id: { cartId: userCart, id: mine.id } }, data: { quantity } });
      }
    }
    await tx.cart.deleteMany({ where: { id: guestId, userId: null } });
  });
  return serializeFor(request, cartCookie, "", 0);
}
