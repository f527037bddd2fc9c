import type { TFunction } from "i18next";
import { formatFen } from "~/lib/money";

// One sign convention for every page and file (issue #11): a ledger balance is signed "owed to
// the cooperative" — positive, the platform owes the shop; negative, the shop owes the platform.
// People never see the sign: they see the amount as a positive number with words saying who
// owes whom, or "settled" at zero.

export type BalanceDirection = "toShop" | "toPlatform" | "settled";

export function balanceDirection(balanceFen: number): BalanceDirection {
  return balanceFen > 0 ? "toShop" : balanceFen < 0 ? "toPlatform" : "settled";
}

/** The i18n key and the positive amount that describe a signed balance. */
export function balanceWords(balanceFen: number): {
  direction: BalanceDirection;
  key: `money.owing.${BalanceDirection}`;
  amountFen: number;
} {
  const direction = balanceDirection(balanceFen);
  return { direction, key: `money.owing.${direction}`, amountFen: Math.abs(balanceFen) };
}

/** The words themselves, e.g. "合作社应付平台 ¥6.59" (pages and the CSV statement alike). */
export function balanceText(t: TFunction, lng: string, balanceFen: number): string {
  const words = balanceWords(balanceFen);
  return t(words.key, { amount: formatFen(words.amountFen, lng) });
}
