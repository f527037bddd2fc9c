import fs from "node:fs";
import path from "node:path";

// Field names and values the app's forms actually use, read from its sources (form markup,
// zod schemas, enum literals), so that generated bodies get past the first checks and a
// new form's fields are fuzzed without a test edit.

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "generated" ? [] : sourceFiles(full);
    return /\.(ts|tsx)$/.test(entry.name) && !entry.name.startsWith("env.") ? [full] : [];
  });
}

export interface Dictionary {
  names: string[];
  values: string[];
  queryKeys: string[];
}

export function readDictionary(appDir = "app"): Dictionary {
  const names = new Set<string>(["csrf", "intent", "redirectTo"]);
  const values = new Set<string>();
  const queryKeys = new Set<string>(["q", "page", "redirectTo", "_data", "_routes", "index"]);
  for (const file of sourceFiles(appDir)) {
    const text = fs.readFileSync(file, "utf8");
    for (const m of text.matchAll(/name="([\w.[\]-]+)"/g)) names.add(m[1]!);
    // Template names such as `lines[${index}].quantity` become lines[0].quantity.
    for (const m of text.matchAll(/name=\{`([^`]+)`\}/g))
      if (!m[1]!.startsWith("${")) names.add(m[1]!.replace(/\$\{[^}]*\}/g, "0"));
    for (const m of text.matchAll(/^\s*([a-z]\w*):\s*z\b/gm)) names.add(m[1]!);
    for (const m of text.matchAll(/value="([^"]*)"/g)) values.add(m[1]!);
    for (const m of text.matchAll(/z\.(?:literal|enum)\(\[?([^)]*)\)/g)) {
      for (const v of m[1]!.matchAll(/"([^"]*)"/g)) values.add(v[1]!);
    }
    for (const m of text.matchAll(/searchParams\.(?:get|getAll|has)\("([^"]+)"\)/g)) queryKeys.add(m[1]!);
  }
  return { names: [...names].sort(), values: [...values].sort(), queryKeys: [...queryKeys].sort() };
}
