import type { TFunction } from "i18next";
import type { PackResult } from "./sync.server";

/** Human-readable lines: one per pack, and one per problem with file, field and reason. */
export function formatResults(results: PackResult[], t: TFunction): string {
  if (results.length === 0) return t("sync.none");
  return results
    .map((r) => {
      if (r.ok && r.counts) return `✔ ${r.file}: ${t("sync.counts", { ...r.counts })}`;
      const lines = (r.problems ?? []).map(
        (p) => `    ${p.file}${p.field ? ` → ${p.field}` : ""}: ${t(p.key, { ...p.values, defaultValue: p.key })}`,
      );
      return [`✘ ${r.file}: ${t("sync.refused")}`, ...lines].join("\n");
    })
    .join("\n");
}
