import fs from "node:fs/promises";
import path from "node:path";
import type { ZodIssue } from "zod";
import { tenantPackSchema, type TenantPack } from "./pack-schema";

export interface PackProblem {
  /** e.g. tenants/yangshan-peach/tenant.json */
  file: string;
  /** e.g. products[2].variants[0].priceFen, or "" for the whole file */
  field: string;
  /** An i18n key under "pack." or "zod." with its values. */
  key: string;
  values?: Record<string, unknown>;
}

export type LoadedPack =
  | { ok: true; dir: string; file: string; pack: TenantPack; assets: Map<string, Buffer> }
  | { ok: false; dir: string; file: string; problems: PackProblem[] };

export function fieldPath(pathParts: (string | number)[]): string {
  return pathParts.reduce<string>(
    (out, part) => (typeof part === "number" ? `${out}[${part}]` : out ? `${out}.${part}` : part),
    "",
  );
}

function issueToProblem(file: string, issue: ZodIssue): PackProblem {
  const field = fieldPath(issue.path);
  if (issue.message.startsWith("pack.")) return { file, field, key: issue.message };
  switch (issue.code) {
    case "invalid_type":
      if (issue.expected === "integer") return { file, field, key: "zod.notInteger" };
      return issue.received === "undefined"
        ? { file, field, key: "zod.required" }
        : { file, field, key: "zod.invalidType", values: { expected: issue.expected, received: issue.received } };
    case "too_small":
      return { file, field, key: issue.type === "string" ? "zod.tooShort" : issue.type === "array" ? "zod.tooFew" : "zod.tooSmall", values: { minimum: Number(issue.minimum) } };
    case "too_big":
      return { file, field, key: issue.type === "string" ? "zod.tooLong" : issue.type === "array" ? "zod.tooMany" : "zod.tooBig", values: { maximum: Number(issue.maximum) } };
    case "invalid_enum_value":
      return { file, field, key: "zod.invalidEnum", values: { options: issue.options.join(", "), received: String(issue.received) } };
    case "invalid_literal":
    case "invalid_union_discriminator":
      return { file, field, key: "zod.invalidKind", values: { options: "PRODUCE, SPECIALTY, EXPERIENCE" } };
    case "unrecognized_keys":
      return { file, field, key: "zod.unknownKeys", values: { keys: issue.keys.join(", ") } };
    case "invalid_string":
      return { file, field, key: issue.validation === "email" ? "zod.email" : "zod.invalidFormat" };
    default:
      return { file, field, key: "zod.invalid", values: { detail: issue.message } };
  }
}

/** Every asset path a pack names, relative to its folder. */
export function packAssetPaths(pack: TenantPack): string[] {
  return [pack.logo, pack.banner, ...pack.products.flatMap((p) => p.images.map((image) => image.file))];
}

/** Reads and validates one tenants/<slug>/ folder, and reads every asset it names. Writes nothing. */
export async function loadPack(dir: string, displayRoot: string): Promise<LoadedPack> {
  const file = path.join(path.relative(displayRoot, dir) || ".", "tenant.json");
  const fail = (problems: PackProblem[]): LoadedPack => ({ ok: false, dir, file, problems });

  let text: string;
  try {
    text = await fs.readFile(path.join(dir, "tenant.json"), "utf8");
  } catch {
    return fail([{ file, field: "", key: "pack.missingFile" }]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return fail([{ file, field: "", key: "pack.invalidJson", values: { detail: (error as Error).message } }]);
  }
  const parsed = tenantPackSchema.safeParse(json);
  if (!parsed.success) return fail(parsed.error.issues.map((issue) => issueToProblem(file, issue)));
  const pack = parsed.data;

  const problems: PackProblem[] = [];
  if (pack.slug !== path.basename(dir)) {
    problems.push({ file, field: "slug", key: "pack.slugFolder", values: { folder: path.basename(dir) } });
  }
  const assets = new Map<string, Buffer>();
  for (const asset of new Set(packAssetPaths(pack))) {
    try {
      assets.set(asset, await fs.readFile(path.join(dir, asset)));
    } catch {
      problems.push({ file, field: asset, key: "pack.missingAsset", values: { asset } });
    }
  }
  if (problems.length) return fail(problems);
  return { ok: true, dir, file, pack, assets };
}

/** The pack folders under the tenants directory, sorted. */
export async function listPackDirs(root: string): Promise<string[]> {
  const entries = await fs.readdir(root, { withFileTypes: true });
  return entries
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith(".") && !entry.name.startsWith("_"))
    .map((entry) => path.join(root, entry.name))
    .sort();
}
