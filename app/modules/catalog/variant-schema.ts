import { z } from "zod";
import { optionalText, requiredText, wholeNumber } from "./form-fields";

// Variant and stock forms. Prices are typed in 元 and kept as integer 分 (fen):
// the parse below is string arithmetic, never floating point.

export const MAX_PRICE_FEN = 100_000_000; // ¥1,000,000
export const SKU_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{1,40}$/;
/** Offered in the unit field's list; any short text is allowed. */
export const COMMON_UNITS = [
  "斤",
  "kg",
  "盒",
  "箱",
  "罐",
  "只",
  "袋",
  "份",
  "张",
  "人",
  "间",
  "瓶",
  "把",
  "套",
] as const;

export type YuanParse = { ok: true; fen: number } | { ok: false; error: string };

/** "168" → 16800, "168.5" → 16850, "168.50" → 16850; refuses negatives, more than 2 decimals and non-numbers. */
export function parseYuanToFen(input: string): YuanParse {
  const text = input
    .trim()
    // Phone keyboards with a Chinese IME may send full-width digits and points.
    .replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))
    .replace(/[。．]/g, ".")
    .replace(/^[¥￥]\s*/, "")
    .replace(/\s*元$/, "");
  if (text === "") return { ok: false, error: "catalog.errors.priceRequired" };
  if (/^[-−]/.test(text)) return { ok: false, error: "catalog.errors.priceNegative" };
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) return { ok: false, error: "catalog.errors.priceInvalid" };
  const [, yuan, decimals = ""] = match;
  if (decimals.length > 2) return { ok: false, error: "catalog.errors.priceDecimals" };
  if (yuan!.length > 7) return { ok: false, error: "catalog.errors.priceTooHigh" };
  const fen = Number(yuan) * 100 + Number(decimals.padEnd(2, "0"));
  if (fen > MAX_PRICE_FEN) return { ok: false, error: "catalog.errors.priceTooHigh" };
  return { ok: true, fen };
}

/** The form's text for a stored price: 16800 → "168", 16850 → "168.50". */
export function fenToYuanInput(fen: number): string {
  const yuan = Math.floor(fen / 100);
  const rest = fen % 100;
  return rest === 0 ? String(yuan) : `${yuan}.${String(rest).padStart(2, "0")}`;
}

const price = (requiredKey: string) =>
  z.string({ required_error: requiredKey }).transform((text, ctx) => {
    const parsed = parseYuanToFen(text);
    if (!parsed.ok) {
      ctx.addIssue({ code: "custom", message: parsed.error });
      return z.NEVER;
    }
    if (parsed.fen < 1) {
      ctx.addIssue({ code: "custom", message: "catalog.errors.priceTooLow" });
      return z.NEVER;
    }
    return parsed.fen;
  });

const variantFields = z.object({
  titleZh: requiredText(80, "catalog.errors.variantTitleRequired"),
  titleEn: optionalText(80),
  /** Blank: suggested from the product's slug. */
  sku: z.string().trim().regex(SKU_PATTERN, "catalog.errors.skuInvalid").optional(),
  unit: requiredText(10, "catalog.errors.unitRequired"),
  /** Typed in 元, parsed to fen. */
  price: price("catalog.errors.priceRequired"),
  /** The crossed-out "was" price, in 元, parsed to fen. */
  compareAt: price("catalog.errors.priceRequired").optional(),
  weightGrams: wholeNumber(1, 1_000_000, "catalog.errors.weightRange").optional(),
});

function compareAtAbovePrice(value: { price: number; compareAt?: number }, ctx: z.RefinementCtx) {
  if (value.compareAt !== undefined && value.compareAt <= value.price) {
    ctx.addIssue({ code: "custom", path: ["compareAt"], message: "catalog.errors.compareAtNotHigher" });
  }
}

export const variantCreateSchema = variantFields
  .extend({ initialStock: wholeNumber(0, 1_000_000, "catalog.errors.stockRange").default(0) })
  .superRefine(compareAtAbovePrice);

export const variantEditSchema = variantFields
  .extend({ variantId: z.string().min(1) })
  .superRefine(compareAtAbovePrice);

export type VariantInput = z.infer<typeof variantFields>;

// ─── Stock adjustments ──────────────────────────────────────────────────────

/** Why stock changed. "initial" is written when a variant is created, never chosen in the form. */
export const STOCK_REASONS = ["received", "sold_offline", "damaged", "correction", "other"] as const;
/** Reasons the system writes: orders hold stock, expired or cancelled ones give it back; "returned":
 * a parcel came back after a failed delivery (货到付款, issue #10). */
export const SYSTEM_STOCK_REASONS = ["initial", "reserved", "released", "refunded", "returned"] as const;
export type StockReason = (typeof STOCK_REASONS)[number] | (typeof SYSTEM_STOCK_REASONS)[number];

export const stockAdjustSchema = z
  .object({
    variantId: z.string().min(1),
    delta: wholeNumber(-1_000_000, 1_000_000, "catalog.errors.deltaRange", "catalog.errors.deltaRequired").refine(
      (delta) => delta !== 0,
      "catalog.errors.deltaZero",
    ),
    reason: z.enum(STOCK_REASONS, { errorMap: () => ({ message: "catalog.errors.reasonInvalid" }) }),
    note: optionalText(200),
  })
  .superRefine((value, ctx) => {
    if (value.reason === "other" && !value.note) {
      ctx.addIssue({ code: "custom", path: ["note"], message: "catalog.errors.noteRequired" });
    }
  });
