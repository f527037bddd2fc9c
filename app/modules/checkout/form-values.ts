import type { DeliveryMethod } from "./shipping";

// The checkout form's values as plain data, shared by the server (a "review" recomputes the
// summary from what was chosen, valid or not) and the browser (the live summary).

const CHOSEN = new Set(["HOME", "PICKUP_POINT", "LOCKER"]);

export function isChosenDelivery(value: unknown): value is Exclude<DeliveryMethod, "VISIT"> {
  return typeof value === "string" && CHOSEN.has(value);
}

/** shopId → delivery, from fields named shops[i].shopId and shops[i].delivery. */
export function deliveryChoices(formData: FormData): Partial<Record<string, DeliveryMethod>> {
  const rows = new Map<string, { shopId?: string; delivery?: string }>();
  for (const [name, value] of formData) {
    const match = /^shops\[(\d{1,2})\]\.(shopId|delivery)$/.exec(name);
    if (!match || typeof value !== "string") continue;
    const row = rows.get(match[1]!) ?? {};
    row[match[2] as "shopId" | "delivery"] = value;
    rows.set(match[1]!, row);
  }
  const choices: Partial<Record<string, DeliveryMethod>> = {};
  for (const { shopId, delivery } of rows.values())
    if (shopId && isChosenDelivery(delivery)) choices[shopId] = delivery;
  return choices;
}

/** "shopId:HOME,shopId:LOCKER" → shopId → delivery (unknown pairs are left out). */
export function parseQuotedDeliveries(value: string | null | undefined): Partial<Record<string, DeliveryMethod>> {
  const quoted: Partial<Record<string, DeliveryMethod>> = {};
  for (const pair of (value ?? "").split(",")) {
    const [shopId, delivery] = pair.split(":");
    if (shopId && isChosenDelivery(delivery)) quoted[shopId] = delivery;
  }
  return quoted;
}

/** The quotedDeliveries field's value for a summary's shops (shops that are visited are left out). */
export function quotedDeliveriesValue(shops: { shopId: string; delivery: DeliveryMethod }[]): string {
  return shops
    .filter((s) => isChosenDelivery(s.delivery))
    .map((s) => `${s.shopId}:${s.delivery}`)
    .join(",");
}

interface FormShop {
  shopId?: unknown;
  [field: string]: unknown;
}
interface FormVisitor {
  lineId?: unknown;
  [field: string]: unknown;
}

/**
 * The form's values laid out for the cart as it is now: one `shops` row per shop with goods
 * and one `visitors` row per experience line, in the page's order, keeping what was entered.
 */
export function alignFormValues(
  values: Record<string, unknown> | null | undefined,
  groups: { shopId: string; hasGoods: boolean; lines: { id: string; kind: string }[] }[],
): Record<string, unknown> {
  const given = values ?? {};
  const shops = Array.isArray(given.shops) ? (given.shops as FormShop[]) : [];
  const visitors = Array.isArray(given.visitors) ? (given.visitors as FormVisitor[]) : [];
  return {
    ...given,
    shops: groups
      .filter((g) => g.hasGoods)
      .map((g) => shops.find((s) => s?.shopId === g.shopId) ?? { shopId: g.shopId, delivery: "HOME" }),
    visitors: groups
      .flatMap((g) => g.lines)
      .filter((l) => l.kind === "EXPERIENCE")
      .map((l) => visitors.find((v) => v?.lineId === l.id) ?? { lineId: l.id, names: "" }),
  };
}
