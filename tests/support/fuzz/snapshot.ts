import { unscopedDb } from "~/db/index.server";

// A cheap picture of the database: per table, its row count and a sum of its rows' hashes
// (order-independent, no sort).
// Two equal snapshots mean nothing was written. Tables that a refused request may change by
// design are left out: attempt counters and security records exist precisely to note what
// was refused.

const IGNORED = [
  /^_prisma_migrations$/,
  /^SecurityEvent/i, // the security log notes refusals (sign_in_failed, lockout)
  /rate.?limit/i, // shared rate-limit counters count refused requests
  /lockout/i,
];

let tables: string[] | null = null;

async function tenantTables(): Promise<string[]> {
  if (tables) return tables;
  const rows = await unscopedDb().$queryRawUnsafe<{ name: string }[]>(
    `SELECT table_name AS name FROM information_schema.tables
      WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`,
  );
  tables = rows.map((r) => r.name).filter((name) => !IGNORED.some((pattern) => pattern.test(name)));
  return tables;
}

export type Snapshot = Map<string, string>;

export async function snapshot(): Promise<Snapshot> {
  const names = await tenantTables();
  const sql = names
    .map(
      (name) =>
        `SELECT '${name}' AS name, count(*)::int || ':' || coalesce(sum(hashtext(t::text)::bigint), 0) AS sum FROM "${name}" t`,
    )
    .join(" UNION ALL ");
  const rows = await unscopedDb().$queryRawUnsafe<{ name: string; sum: string }[]>(sql);
  return new Map(rows.map((r) => [r.name, r.sum]));
}

/** The tables whose rows differ between two snapshots, with their counts ("Cart 1→2"). */
export function changedTables(before: Snapshot, after: Snapshot): string[] {
  const changed: string[] = [];
  for (const [name, sum] of after) {
    const was = before.get(name);
    if (was !== sum) changed.push(`${name} ${was?.split(":")[0] ?? "?"}→${sum.split(":")[0]} rows`);
  }
  return changed;
}
