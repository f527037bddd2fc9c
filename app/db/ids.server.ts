import { randomBytes } from "node:crypto";

let counter = 0;

/**
 * A primary key for rows written with raw SQL, where Prisma's @default(cuid()) does not run.
 * Shaped like a cuid (c, the time in base 36, a counter, randomness) so that, like cuid's, ids
 * sort in the order rows were made: pages and reports list lines "by id" and mean that order.
 */
export function newRowId(): string {
  counter = (counter + 1) % 36 ** 4;
  return `c${Date.now().toString(36).padStart(8, "0")}${counter.toString(36).padStart(4, "0")}${randomBytes(6).toString("hex")}`;
}
