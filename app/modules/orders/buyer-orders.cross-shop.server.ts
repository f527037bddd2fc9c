import { createHmac } from "node:crypto";
import { createCookie } from "@remix-run/node";
import { unscopedDb } from "~/db/index.server";
import { pick } from "~/lib/i18n";
import { serializeFor } from "~/modules/identity/cookies.server";
import { clientAddress } from "~/lib/client-address.server";
import { getUserId } from "~/modules/identity/session.server";
import { safeEqual } from "~/modules/identity/tokens.server";
import { lookupRetryAfter, recordLookupFailure } from "./lookup-limit.server";
import { isCashOnDelivery, TRACKING_STEPS, type ShopOrderStatus } from "./status";

// The buyer's side of an order (issue #5): who may see it, and what they see.
//
// An order is shown to the signed-in user who placed it, or to a browser that proved it
// knows the order's number and contact mobile (the look-up form, or having just placed it).
// That proof is kept in the httpOnly, SameSite=Lax `orders` cookie as "number.tag" entries,
// where tag = HMAC(order's checkoutKey, number + mobile): the checkout key is a random value
// only the server and the placing browser ever saw, so knowing a number and a mobile is not
// enough to forge an entry, and the cookie names no phone. Guessing goes through the look-up
// form, which is rate-limited per address and per order number (lookup-limit.server.ts).
// Orders placed as a guest are never attached to an account that has the same mobile.

const REMEMBERED_ORDERS = 20;
const COOKIE_DAYS = 180;
export const orderAccessCookie = createCookie("orders", { path: "/", httpOnly: true, sameSite: "lax" });

const ENTRY = /^[0-9A-Za-z]{4,32}\.[A-Za-z0-9_-]{22}$/;

function tagFor(order: { number: string; contactPhone: string; checkoutKey: string }): string {
  return createHmac("sha256", order.checkoutKey)
    .update(`order-access:${order.number}:${order.contactPhone}`)
    .digest("base64url")
    .slice(0, 22);
}

async function rememberedEntries(request: Request): Promise<string[]> {
  const value: unknown = await orderAccessCookie.parse(request.headers.get("Cookie"));
  return Array.isArray(value) ? value.filter((e): e is string => typeof e === "string" && ENTRY.test(e)) : [];
}

/** The Set-Cookie that adds the order to this browser's proven orders (newest first, at most 20). */
async function remember(request: Request, order: { number: string; contactPhone: string; checkoutKey: string }) {
  const entry = `${order.number}.${tagFor(order)}`;
  const others = (await rememberedEntries(request)).filter((e) => !e.startsWith(`${order.number}.`));
  return serializeFor(request, orderAccessCookie, [entry, ...others].slice(0, REMEMBERED_ORDERS), COOKIE_DAYS * 86_400);
}

const ACCESS_FIELDS = { id: true, number: true, userId: true, contactPhone: true, checkoutKey: true } as const;

/** After placing (or a repeated press of "place order"): this browser may see the order. */
export async function rememberOrder(request: Request, orderId: string): Promise<string | null> {
  const order = await unscopedDb().order.findUnique({ where: { id: orderId }, select: ACCESS_FIELDS });
  return order ? remember(request, order) : null;
}

/** The same, for an order just placed whose number, mobile and checkout key the caller holds. */
export function rememberPlacedOrder(
  request: Request,
  order: { number: string; contactPhone: string; checkoutKey: string },
): Promise<string> {
  return remember(request, order);
}

async function mayView(
  request: Request,
  order: { number: string; userId: string | null; contactPhone: string; checkoutKey: string },
): Promise<boolean> {
  const userId = await getUserId(request);
  if (userId && order.userId === userId) return true;
  const prefix = `${order.number}.`;
  const entry = (await rememberedEntries(request)).find((e) => e.startsWith(prefix));
  return entry !== undefined && safeEqual(entry.slice(prefix.length), tagFor(order));
}

/** Order numbers are 12 digits; a shop order's number adds "-N", which is accepted too. */
export function normaliseOrderNumber(input: string): string | null {
  const compact = input.replace(/[\s#]/g, "").toUpperCase();
  const match = /^([0-9A-Z]{6,32})(?:-\d{1,3})?$/.exec(compact);
  return match ? match[1]! : null;
}

export type LookupResult =
  | { ok: true; number: string; setCookie: string }
  | { ok: false; error: "checkout.lookup.noMatch" }
  | { ok: false; error: "checkout.lookup.tooMany"; retryAfterSeconds: number };

/**
 * Number + mobile → this browser may see the order. An unknown number and a wrong mobile get
 * the same answer; too many failures from one address, or for one order number, are refused for a while.
 */
export async function lookupOrder({
  request,
  number,
  phone,
}: {
  request: Request;
  number: string;
  /** Normalised mainland mobile (checkout-schema's mobileField). */
  phone: string;
}): Promise<LookupResult> {
  const normalised = normaliseOrderNumber(number);
  // Counted per address and per order number: rotating addresses does not help against one order.
  const subject = { address: clientAddress(request), number: normalised };
  const retryAfterSeconds = await lookupRetryAfter(subject);
  if (retryAfterSeconds > 0) return { ok: false, error: "checkout.lookup.tooMany", retryAfterSeconds };
  const order = normalised
    ? await unscopedDb().order.findUnique({ where: { number: normalised }, select: ACCESS_FIELDS })
    : null;
  if (!order || !safeEqual(order.contactPhone, phone)) {
    await recordLookupFailure(subject);
    return { ok: false, error: "checkout.lookup.noMatch" };
  }
  return { ok: true, number: order.number, setCookie: await remember(request, order) };
}

// What the buyer sees.

export interface TrackingStep {
  status: ShopOrderStatus;
  at: string | null;
  done: boolean;
}

export interface BuyerShopOrderView {
  number: string;
  shopName: string;
  shopSlug: string;
  shopPhone: string | null;
  status: ShopOrderStatus;
  steps: TrackingStep[];
  /** Cancelled or refunded: shown beside the steps reached before. */
  endedAt: string | null;
  delivery: "HOME" | "PICKUP_POINT" | "LOCKER" | "VISIT";
  recipientName: string | null;
  addressRegion: string | null;
  addressLine: string | null;
  pickupPoint: { kind: "POINT" | "LOCKER"; name: string; address: string } | null;
  note: string | null;
  subtotalFen: number;
  shippingFen: number;
  totalFen: number;
  refundedFen: number;
  lines: {
    id: string;
    kind: "PRODUCE" | "SPECIALTY" | "EXPERIENCE";
    title: string;
    variantTitle: string;
    unit: string;
    unitPriceFen: number;
    quantity: number;
    refundedQuantity: number;
    lineTotalFen: number;
    slotStartsAt: string | null;
    visitorNames: string[];
    presaleShipBy: string | null;
  }[];
}

export interface BuyerOrderView {
  number: string;
  /** ACCEPTED: 货到付款 kept by its cooperatives, some of it still to be paid at the door (issue #10). */
  status: "AWAITING_PAYMENT" | "ACCEPTED" | "PAID" | "EXPIRED" | "CANCELLED";
  provider: "STRIPE" | "OFFLINE";
  offlineMethod: "COD" | "BANK_TRANSFER" | null;
  totalFen: number;
  contactName: string;
  /** 138****8000 */
  contactPhone: string;
  createdAt: string;
  expiresAt: string;
  paidAt: string | null;
  /** A Stripe order still awaiting payment within its time: "pay now" is offered. */
  canPayNow: boolean;
  shopOrders: BuyerShopOrderView[];
}

const STEP_AT = {
  AWAITING_PAYMENT: "createdAt",
  PAID: "paidAt",
  PACKED: "packedAt",
  HANDED_OVER: "handedOverAt",
  DELIVERED: "deliveredAt",
} as const;

/** A cash-on-delivery order its cooperatives kept, with a shop order still to be paid at the door. */
function codStillToPay(order: {
  status: string;
  provider: string;
  offlineMethod: string | null;
  shopOrders: { status: string; paidAt: Date | null }[];
}): boolean {
  return (
    order.status === "PAID" &&
    isCashOnDelivery(order) &&
    order.shopOrders.some((so) => so.paidAt === null && so.status !== "CANCELLED" && so.status !== "REFUNDED")
  );
}

function maskPhone(phone: string): string {
  return phone.length === 11 ? `${phone.slice(0, 3)}****${phone.slice(7)}` : phone;
}

const iso = (d: Date | null) => d?.toISOString() ?? null;

async function loadOrder(number: string) {
  return unscopedDb().order.findUnique({
    where: { number },
    select: {
      ...ACCESS_FIELDS,
      status: true,
      provider: true,
      offlineMethod: true,
      totalFen: true,
      contactName: true,
      createdAt: true,
      expiresAt: true,
      paidAt: true,
      payments: { where: { status: "PENDING" }, select: { id: true }, take: 1 },
      shopOrders: {
        orderBy: { number: "asc" },
        select: {
          number: true,
          status: true,
          delivery: true,
          recipientName: true,
          addressRegion: true,
          addressLine: true,
          note: true,
          subtotalFen: true,
          shippingFen: true,
          totalFen: true,
          refundedFen: true,
          createdAt: true,
          paidAt: true,
          packedAt: true,
          handedOverAt: true,
          deliveredAt: true,
          cancelledAt: true,
          updatedAt: true,
          shop: { select: { slug: true, nameZh: true, nameEn: true, contactPhone: true } },
          pickupPoint: { select: { kind: true, nameZh: true, nameEn: true, addressZh: true, addressEn: true } },
          lines: {
            orderBy: { id: "asc" },
            select: {
              id: true,
              kind: true,
              titleZh: true,
              titleEn: true,
              variantTitleZh: true,
              variantTitleEn: true,
              unit: true,
              unitPriceFen: true,
              quantity: true,
              refundedQuantity: true,
              lineTotalFen: true,
              slotStartsAt: true,
              visitorNames: true,
              presale: true,
              presaleShipBy: true,
            },
          },
        },
      },
    },
  });
}

type LoadedOrder = NonNullable<Awaited<ReturnType<typeof loadOrder>>>;

function toView(order: LoadedOrder, lng: string, now: Date): BuyerOrderView {
  return {
    number: order.number,
    status: codStillToPay(order) ? "ACCEPTED" : order.status,
    provider: order.provider,
    offlineMethod:
      order.offlineMethod === "BANK_TRANSFER" ? "BANK_TRANSFER" : order.offlineMethod === "COD" ? "COD" : null,
    totalFen: order.totalFen,
    contactName: order.contactName,
    contactPhone: maskPhone(order.contactPhone),
    createdAt: order.createdAt.toISOString(),
    expiresAt: order.expiresAt.toISOString(),
    paidAt: iso(order.paidAt),
    canPayNow:
      order.provider === "STRIPE" &&
      order.status === "AWAITING_PAYMENT" &&
      order.expiresAt > now &&
      order.payments.length > 0,
    shopOrders: order.shopOrders.map((so) => {
      const ended = so.status === "CANCELLED" || so.status === "REFUNDED";
      return {
        number: so.number,
        shopName: pick(lng, so.shop.nameZh, so.shop.nameEn),
        shopSlug: so.shop.slug,
        shopPhone: so.shop.contactPhone,
        status: so.status,
        steps: TRACKING_STEPS.map((status) => {
          const at = so[STEP_AT[status as keyof typeof STEP_AT]];
          return { status, at: iso(at), done: at !== null };
        }),
        endedAt: ended ? iso(so.status === "CANCELLED" ? (so.cancelledAt ?? so.updatedAt) : so.updatedAt) : null,
        delivery: so.delivery,
        recipientName: so.recipientName,
        addressRegion: so.addressRegion,
        addressLine: so.addressLine,
        pickupPoint: so.pickupPoint
          ? {
              kind: so.pickupPoint.kind,
              name: pick(lng, so.pickupPoint.nameZh, so.pickupPoint.nameEn),
              address: pick(lng, so.pickupPoint.addressZh, so.pickupPoint.addressEn),
            }
          : null,
        note: so.note,
        subtotalFen: so.subtotalFen,
        shippingFen: so.shippingFen,
        totalFen: so.totalFen,
        refundedFen: so.refundedFen,
        lines: so.lines.map((l) => ({
          id: l.id,
          kind: l.kind,
          title: pick(lng, l.titleZh, l.titleEn),
          variantTitle: pick(lng, l.variantTitleZh, l.variantTitleEn),
          unit: l.unit,
          unitPriceFen: l.unitPriceFen,
          quantity: l.quantity,
          refundedQuantity: l.refundedQuantity,
          lineTotalFen: l.lineTotalFen,
          slotStartsAt: iso(l.slotStartsAt),
          visitorNames: l.visitorNames,
          presaleShipBy: l.presale && l.presaleShipBy ? l.presaleShipBy.toISOString().slice(0, 10) : null,
        })),
      };
    }),
  };
}

/**
 * The order as its buyer sees it, or null — for an unknown number and for someone who may
 * not see it alike, so the answer never tells whether the number exists.
 */
export async function getBuyerOrder({
  request,
  number,
  lng,
  now = new Date(),
}: {
  request: Request;
  number: string;
  lng: string;
  now?: Date;
}): Promise<BuyerOrderView | null> {
  const normalised = normaliseOrderNumber(number);
  const order = normalised ? await loadOrder(normalised) : null;
  if (!order || !(await mayView(request, order))) return null;
  return toView(order, lng, now);
}

/** For "pay now": the order's id when this browser may see it and it can still be paid online. */
export async function payableOrderId({
  request,
  number,
  now = new Date(),
}: {
  request: Request;
  number: string;
  now?: Date;
}): Promise<string | null> {
  const normalised = normaliseOrderNumber(number);
  const order = normalised
    ? await unscopedDb().order.findUnique({
        where: { number: normalised },
        select: { ...ACCESS_FIELDS, status: true, provider: true, expiresAt: true },
      })
    : null;
  if (!order || !(await mayView(request, order))) return null;
  return order.provider === "STRIPE" && order.status === "AWAITING_PAYMENT" && order.expiresAt > now ? order.id : null;
}

export interface MyOrderSummary {
  number: string;
  status: BuyerOrderView["status"];
  provider: "STRIPE" | "OFFLINE";
  totalFen: number;
  createdAt: string;
  shops: { name: string; status: ShopOrderStatus }[];
}

/**
 * The signed-in buyer's orders, newest first: only orders placed while signed in. Orders
 * placed as a guest are not attached by mobile (the number + mobile look-up finds them).
 */
export async function listMyOrders({
  userId,
  lng,
  take = 50,
}: {
  userId: string;
  lng: string;
  take?: number;
}): Promise<MyOrderSummary[]> {
  const orders = await unscopedDb().order.findMany({
    where: { userId },
    orderBy: { createdAt: "desc" },
    take,
    select: {
      number: true,
      status: true,
      provider: true,
      totalFen: true,
      createdAt: true,
      shopOrders: {
        orderBy: { number: "asc" },
        select: { status: true, shop: { select: { nameZh: true, nameEn: true } } },
      },
    },
  });
  return orders.map((o) => ({
    number: o.number,
    status: o.status,
    provider: o.provider,
    totalFen: o.totalFen,
    createdAt: o.createdAt.toISOString(),
    shops: o.shopOrders.map((so) => ({ name: pick(lng, so.shop.nameZh, so.shop.nameEn), status: so.status })),
  }));
}
