// How much to fuzz. CI (`npm test`): a fixed seed and a bounded number of runs per route and
// method. `npm run fuzz` (scripts/fuzz.ts) sets these from its flags: more runs, a random seed
// it prints, or `--seed N` to replay one.

export interface FuzzSettings {
  seed: number;
  /** Generated requests per route and method (loader, action). */
  runs: number;
  /** An answer must come within this; a hang detector, not a speed assertion. */
  requestLimitMs: number;
  /** Only routes whose id contains this. */
  route: string | null;
}

export const CI_SEED = 20261204;
export const CI_RUNS = 20;

function integer(name: string): number | null {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return null;
  if (!/^-?\d+$/.test(raw)) throw new Error(`${name} must be an integer, got ${JSON.stringify(raw)}`);
  return Number(raw);
}

export function fuzzSettings(): FuzzSettings {
  return {
    seed: integer("FUZZ_SEED") ?? CI_SEED,
    runs: integer("FUZZ_RUNS") ?? CI_RUNS,
    requestLimitMs: integer("FUZZ_REQUEST_LIMIT_MS") ?? 2_000,
    route: process.env.FUZZ_ROUTE || null,
  };
}

/** A seed per route and method from the run's seed, so adding a route changes no other's cases. */
export function seedFor(seed: number, key: string): number {
  let hash = seed | 0;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  return hash | 0;
}
