import { randomUUID } from "node:crypto";

/**
 * A primary key for rows written with raw SQL, where Prisma's @default(cuid()) does not run:
 * 32 random hex characters (ids are opaque everywhere, so their shape may differ from cuid's).
 */
export function newRowId(): string {
  return randomUUID().replace(/-/g, "");
}
