import { singleton } from "~/lib/singleton.server";

// Guessing a mobile number for a known order number must be slow: failed order look-ups are
// counted per client address, and after LOOKUP_LIMIT.failures within the window the address
// is refused (even a right answer) until the oldest failure leaves the window.
// In memory, per process: no table to write on every guess, and nothing to migrate. With
// several app processes the limit is per process, which still keeps guessing 11 digits hopeless.

export const LOOKUP_LIMIT = { failures: 10, windowMinutes: 15, maxAddresses: 10_000 };

type Failures = Map<string, number[]>;

const failuresByAddress = (): Failures => singleton("orders:lookup-failures", () => new Map<string, number[]>());

function recent(list: number[] | undefined, now: number): number[] {
  const since = now - LOOKUP_LIMIT.windowMinutes * 60_000;
  return (list ?? []).filter((t) => t > since);
}

/** Seconds until the address may try again, or 0 when it may try now. */
export function lookupRetryAfter(address: string, now = Date.now()): number {
  const failures = recent(failuresByAddress().get(address), now);
  if (failures.length < LOOKUP_LIMIT.failures) return 0;
  const unlocksAt = failures[failures.length - LOOKUP_LIMIT.failures]! + LOOKUP_LIMIT.windowMinutes * 60_000;
  return Math.max(1, Math.ceil((unlocksAt - now) / 1000));
}

export function recordLookupFailure(address: string, now = Date.now()): void {
  const map = failuresByAddress();
  const failures = recent(map.get(address), now);
  failures.push(now);
  map.delete(address); // re-insert: the map's order is least recently failed first
  map.set(address, failures);
  while (map.size > LOOKUP_LIMIT.maxAddresses) map.delete(map.keys().next().value!);
}
