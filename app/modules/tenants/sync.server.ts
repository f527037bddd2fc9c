import { db } from "~/db/index.server";
import type { MediaStorage } from "~/modules/media/storage.server";
import { importPack, PackImportError, type ImportCounts } from "./import.server";
import { listPackDirs, loadPack, type PackProblem } from "./load-pack.server";

export interface PackResult {
  file: string;
  slug: string;
  ok: boolean;
  counts?: ImportCounts;
  problems?: PackProblem[];
}

/**
 * Imports every pack under `root`. Each pack is all-or-nothing: a pack with any
 * problem is refused whole and the others still import.
 */
export async function syncTenants(
  root: string,
  options: { storage?: MediaStorage; now?: Date; displayRoot?: string } = {},
): Promise<PackResult[]> {
  const results: PackResult[] = [];
  for (const dir of await listPackDirs(root)) {
    const loaded = await loadPack(dir, options.displayRoot ?? process.cwd());
    const slug = dir.split(/[\\/]/).pop()!;
    if (!loaded.ok) {
      results.push({ file: loaded.file, slug, ok: false, problems: loaded.problems });
      continue;
    }
    try {
      const counts = await importPack(loaded.pack, loaded.assets, options);
      results.push({ file: loaded.file, slug, ok: true, counts });
    } catch (error) {
      if (!(error instanceof PackImportError)) throw error;
      results.push({ file: loaded.file, slug, ok: false, problems: [{ file: loaded.file, ...error.problem }] });
    }
  }
  return results;
}

export async function hasAnyShop(): Promise<boolean> {
  return (await db().shop.count()) > 0;
}
