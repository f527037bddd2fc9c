import pg from "pg";
import type { Prisma } from "~/generated/prisma/client";

// A statement with its values written in as literals, for the one place PostgreSQL takes no
// parameters: `COPY (query) TO STDOUT`. Strings go through pg's escapeLiteral (quotes doubled,
// backslashes as E''), times as ISO text cast to timestamptz, numbers only when finite.

function literal(value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  if (typeof value === "string") return pg.escapeLiteral(value);
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  if (value instanceof Date && !Number.isNaN(value.getTime()))
    return `${pg.escapeLiteral(value.toISOString())}::timestamptz`;
  throw new Error(`no literal for a value of type ${typeof value}`);
}

export function inlineStatement(sql: Prisma.Sql): string {
  let text = sql.strings[0] ?? "";
  for (let i = 0; i < sql.values.length; i++) text += literal(sql.values[i]) + (sql.strings[i + 1] ?? "");
  return text;
}
