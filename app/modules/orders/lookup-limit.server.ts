import { limiterFor, type LimitRule } from "~/lib/rate-limit.server";

// Guessing a mobile number for a known order number must be slow. Failed order look-ups are
// counted per client address AND per order number, in the store every app process shares
// (app/lib/rate-limit.server.ts). Past either limit the look-up is refused, even with the right
// mobile, until the window ends: rotating addresses does not help against one order number.

export const LOOKUP_LIMITS = {
  /** Failures from one client address (any order number). */
  address: { name: "lookup:address", points: 10, windowSeconds: 15 * 60, fallbackPoints: 5 },
  /** Failures for one order number (from any address). */
  order: { name: "lookup:order", points: 10, windowSeconds: 60 * 60, fallbackPoints: 5 },
} satisfies Record<string, LimitRule>;

export interface LookupSubject {
  /** The client address (clientAddress), or null when unknown. */
  address: string | null;
  /** The normalised order number that was asked for, or null when it was not one. */
  number: string | null;
}

const keys = ({ address, number }: LookupSubject) =>
  [[LOOKUP_LIMITS.address, address ?? "unknown"], ...(number ? [[LOOKUP_LIMITS.order, number] as const] : [])] as const;

/** Seconds until this address may look up this order number again, or 0 when it may now. */
export async function lookupRetryAfter(subject: LookupSubject): Promise<number> {
  const waits = await Promise.all(keys(subject).map(([rule, key]) => limiterFor(rule).retryAfter(key)));
  return Math.max(0, ...waits);
}

export async function recordLookupFailure(subject: LookupSubject): Promise<void> {
  await Promise.all(keys(subject).map(([rule, key]) => limiterFor(rule).hit(key)));
}
