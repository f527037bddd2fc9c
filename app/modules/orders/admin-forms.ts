import { z } from "zod";
import { parseYuanToFen } from "~/modules/catalog/variant-schema";
import { canMove, isCashOnDelivery, SHOP_ORDER_STATUSES, type ShopOrderStatus } from "./status";
import { decimalNumber, parseDecimal } from "~/lib/decimal";

// The cooperative's order forms and filters, shared by the browser and the server.
// Messages are i18n keys in the orders area.

/** "NEW": what needs the cooperative now (paid and not packed, or offline and not yet confirmed). */
export const ORDER_FILTERS = ["NEW", ...SHOP_ORDER_STATUSES] as const;
export type OrderFilter = (typeof ORDER_FILTERS)[number];

export function isOrderFilter(value: unknown): value is OrderFilter {
  return typeof value === "string" && (ORDER_FILTERS as readonly string[]).includes(value);
}

/** The list's query string: unknown values are dropped rather than refused. */
export function orderListParams(search: URLSearchParams) {
  const status = search.get("status");
  const page = parseDecimal(search.get("page"));
  return {
    status: isOrderFilter(status) ? status : undefined,
    q: (search.get("q") ?? "").trim().slice(0, 50),
    page: page !== null && page > 0 && page < 100_000 ? page : 1,
  };
}

export const ORDER_ACTIONS = ["confirmPayment", "accept", "pack", "handOver", "deliver", "cancel"] as const;
export type OrderAction = (typeof ORDER_ACTIONS)[number];

const TARGET: Record<OrderAction, ShopOrderStatus> = {
  confirmPayment: "PAID",
  accept: "ACCEPTED",
  pack: "PACKED",
  handOver: "HANDED_OVER",
  deliver: "DELIVERED",
  cancel: "CANCELLED",
};

/**
 * The money rules on top of the state machine: confirming payment is for bank transfers (online
 * money is confirmed by the provider); accepting is for cash on delivery (货到付款: paid at the
 * door, issue #10); cancelling is for offline orders not yet packed (unpaid, or accepted cash on
 * delivery) — an unpaid online order expires by itself (cancelling one shop's part would leave
 * the buyer paying for it).
 */
export function shopMayAct(
  action: OrderAction,
  status: ShopOrderStatus,
  order: { provider: "STRIPE" | "OFFLINE"; offlineMethod?: string | null },
): boolean {
  const cod = isCashOnDelivery({ provider: order.provider, offlineMethod: order.offlineMethod ?? null });
  if (action === "confirmPayment") return order.provider === "OFFLINE" && !cod;
  if (action === "accept") return cod;
  if (action === "cancel")
    return order.provider === "OFFLINE" && (status === "AWAITING_PAYMENT" || status === "ACCEPTED");
  return true;
}

/** The moves a cooperative may make now: the state machine's, narrowed by shopMayAct. */
export function allowedActions(
  status: ShopOrderStatus,
  provider: "STRIPE" | "OFFLINE",
  offlineMethod: string | null = null,
): OrderAction[] {
  return ORDER_ACTIONS.filter(
    (action) => shopMayAct(action, status, { provider, offlineMethod }) && canMove(status, TARGET[action]),
  );
}

export const REFUNDABLE_STATUSES: readonly ShopOrderStatus[] = ["PAID", "PACKED", "HANDED_OVER", "DELIVERED"];

export const actionSchema = z.object({
  intent: z.enum(ORDER_ACTIONS, { errorMap: () => ({ message: "orders.errors.unknownAction" }) }),
});

const CATALOG_TO_ORDERS: Record<string, string> = {
  "catalog.errors.priceRequired": "orders.errors.amountRequired",
  "catalog.errors.priceNegative": "orders.errors.amountInvalid",
  "catalog.errors.priceInvalid": "orders.errors.amountInvalid",
  "catalog.errors.priceDecimals": "orders.errors.amountDecimals",
  "catalog.errors.priceTooHigh": "orders.errors.amountTooHigh",
};

/** An amount typed in 元 ("12.5", "¥12.50", full-width digits), as integer fen above zero. */
export const yuanAmount = z.string({ required_error: "orders.errors.amountRequired" }).transform((text, ctx) => {
  const parsed = parseYuanToFen(text);
  if (!parsed.ok) {
    ctx.addIssue({ code: "custom", message: CATALOG_TO_ORDERS[parsed.error] ?? "orders.errors.amountInvalid" });
    return z.NEVER;
  }
  if (parsed.fen < 1) {
    ctx.addIssue({ code: "custom", message: "orders.errors.amountZero" });
    return z.NEVER;
  }
  return parsed.fen;
});

export const refundSchema = z.object({
  intent: z.literal("refund"),
  amount: yuanAmount,
  reason: z
    .string()
    .trim()
    .max(200, "orders.errors.reasonTooLong")
    .optional()
    .transform((value) => value || null),
  /** Per line, how many units come back (to stock while the goods never left). */
  lines: z
    .array(
      z.object({
        lineId: z.string().min(1).max(40),
        quantity: decimalNumber(
          z
            .number({ invalid_type_error: "orders.errors.quantityInvalid" })
            .int("orders.errors.quantityInvalid")
            .min(0, "orders.errors.quantityInvalid")
            .max(100_000, "orders.errors.quantityInvalid"),
        ).default(0),
      }),
    )
    .max(200)
    .default([]),
});

export type RefundForm = z.infer<typeof refundSchema>;
