import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

/**
 * A CommonJS package loaded on its first use rather than at start: ECharts (~40 MB of a process's
 * memory) and exceljs (~30 MB) serve only the county dashboard and the XLSX files, so a process
 * that never draws one does not carry them (docs/perf.md, "County reports", run 5).
 */
export function lazyRequire<T>(name: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(name) as T);
}
