import v8 from "node:v8";

// Prisma 7's query compiler is a WebAssembly module (~3.4 MB) that V8 compiles at the process's
// first query. With V8's defaults its hot functions are recompiled by the optimising compiler
// (TurboFan) on background threads, whose working memory (~50 MB at the peak) is freed to glibc's
// per-thread malloc arenas and stays in the process's resident set for good: a node that served
// nothing held ~233 MB, ~165 MB with baseline (Liftoff) code only. The compiler runs once per
// query shape (Prisma keeps the plans of the last 1,000), so its speed is a start-up cost, not a
// per-request one. Decision 036 (docs/decisions/036-resting-memory.md) has the figures.
//
// Only on a PostgreSQL server: the embedded database is PostgreSQL itself compiled to
// WebAssembly (PGlite), whose every query runs wasm code and keeps its optimised tier.

let applied = false;

/**
 * Keeps WebAssembly compiled after this call at V8's baseline tier (`--liftoff-only`). Call it
 * before the first query on a PostgreSQL server; V8 reads the flag when a module is compiled.
 */
export function useBaselineWasm(database: "server" | "embedded"): boolean {
  if (database !== "server") return false;
  if (!applied) v8.setFlagsFromString("--liftoff-only");
  applied = true;
  return true;
}
