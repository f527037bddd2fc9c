import fs from "node:fs/promises";
import path from "node:path";
import { env } from "~/env.server";

// Background exports' files live on disk under EXPORTS_DIR (./data/exports), outside MEDIA_DIR and
// public/, so nothing serves them but the download route, which checks the coordinator first.
// (The media storage interface takes whole buffers; these files are written as a stream.)

const KEY = /^[a-z0-9]{1,40}\.(csv|xlsx)$/;

export function exportFilePath(key: string): string {
  if (!KEY.test(key)) throw new Error(`not an export file key: ${key}`);
  return path.join(env().EXPORTS_DIR, key);
}

/** Removes an export's file; a missing one is not an error. */
export async function removeExportFile(key: string): Promise<void> {
  await fs.rm(exportFilePath(key), { force: true });
}
