import { describe, expect, it } from "vitest";
import { connect } from "~/db/connection.server";
import { migrate, readMigrations } from "~/db/migrate.server";
import { adminQuery, serverUrl, uniqueName, withDatabase } from "../support/database";

// Several nodes starting at once on a fresh database (docs/decisions/024-stateless-nodes.md): one
// migrates under the advisory lock, the others wait for it and then find nothing to do, and every
// migration is recorded once. Only a server has several sessions; the embedded database belongs
// to one process.

const url = serverUrl();
if (!url) console.log("migration-lock.test.ts: needs TEST_DATABASE_URL (a PostgreSQL server); skipped.");

describe.runIf(url)("migrations when several nodes start at once", () => {
  it("are applied by one node while the others wait, then proceed", async () => {
    const name = uniqueName("test_migrate_lock");
    await adminQuery(`CREATE DATABASE "${name}"`);
    // One connection each, as a node whose pool is as small as it may be: the lock and the
    // migrations share it.
    const nodes = [0, 1, 2].map(() => connect({ kind: "server", url: withDatabase(url!, name), poolSize: 1 }));
    try {
      const all = readMigrations().map((m) => m.name);
      const results = await Promise.all(nodes.map((node) => migrate(node.raw)));

      const migrating = results.filter((r) => r.applied.length > 0);
      expect(migrating).toHaveLength(1);
      expect(migrating[0]!.applied).toEqual(all);
      const waiting = results.filter((r) => r.applied.length === 0);
      expect(waiting).toHaveLength(2);
      for (const result of waiting) {
        expect(result.alreadyApplied).toBe(all.length);
        expect(result.waited).toBe(true);
      }

      const rows = await nodes[0]!.raw.query<{ migration_name: string; n: number }>(
        `SELECT migration_name, count(*)::int AS n FROM "_prisma_migrations"
          WHERE finished_at IS NOT NULL GROUP BY migration_name ORDER BY migration_name`,
      );
      expect(rows.map((r) => r.migration_name)).toEqual(all);
      expect(rows.every((r) => r.n === 1)).toBe(true);
      // The lock is given back: a later start takes it at once.
      const later = await migrate(nodes[1]!.raw);
      expect(later).toEqual({ applied: [], alreadyApplied: all.length, waited: false });
    } finally {
      await Promise.all(nodes.map((node) => node.close()));
      await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    }
  }, 120_000);
});
