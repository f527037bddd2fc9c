// The platform's cut, computed the same way for sales and refunds.

/** The platform's fee on an amount, rounded to the nearest fen (half up). */
export function feeFen(amountFen: number, feeBps: number): number {
  return Math.floor((amountFen * feeBps + 5_000) / 10_000);
}
