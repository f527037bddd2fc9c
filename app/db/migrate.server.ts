import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { RawSql } from "./connection.server";

// Applies prisma/migrations without Prisma's native engine, keeping the
// _prisma_migrations table exactly as `prisma migrate deploy` would
// (docs/decisions/002-migrations-without-native-engine.md).

export const MIGRATIONS_DIR = path.resolve("prisma/migrations");

/** Prisma's own lock key, so our runner and `prisma migrate deploy` exclude each other. */
const PRISMA_ADVISORY_LOCK_KEY = 72707369;

const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
);`;

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MigrationError";
  }
}

export function readMigrations(dir = MIGRATIONS_DIR): MigrationFile[] {
  if (!fs.existsSync(dir)) throw new MigrationError(`No migrations folder at ${dir}.`);
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const file = path.join(dir, name, "migration.sql");
      if (!fs.existsSync(file)) throw new MigrationError(`Migration ${name} has no migration.sql.`);
      const bytes = fs.readFileSync(file);
      return { name, sql: bytes.toString("utf8"), checksum: createHash("sha256").update(bytes).digest("hex") };
    });
}

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

export interface MigrateResult {
  applied: string[];
  alreadyApplied: number;
  /** Another process (a node starting at the same time, `prisma migrate deploy`) held the lock first. */
  waited: boolean;
}

type Sql = Omit<RawSql, "close" | "session">;

/**
 * Applies every pending migration, each in its own transaction. Refuses an edited or failed history.
 * On a server the whole run holds a session-level advisory lock (Prisma's own key), so when
 * several nodes start together one migrates and the others wait, then find nothing left to do
 * (docs/decisions/024-stateless-nodes.md). The embedded database belongs to one process.
 */
export async function migrate(raw: RawSql, migrations = readMigrations()): Promise<MigrateResult> {
  if (!raw.session) return migrateHoldingLock(raw, migrations, false);
  return raw.session(async (sql) => {
    const [first] = await sql.query<{ locked: boolean }>(
      `SELECT pg_try_advisory_lock(${PRISMA_ADVISORY_LOCK_KEY}) AS locked`,
    );
    const waited = !first?.locked;
    if (waited) await sql.query(`SELECT pg_advisory_lock(${PRISMA_ADVISORY_LOCK_KEY})`);
    try {
      return await migrateHoldingLock(sql, migrations, waited);
    } finally {
      await sql.query(`SELECT pg_advisory_unlock(${PRISMA_ADVISORY_LOCK_KEY})`);
    }
  });
}

async function migrateHoldingLock(raw: Sql, migrations: MigrationFile[], waited: boolean): Promise<MigrateResult> {
  await raw.exec(CREATE_MIGRATIONS_TABLE);
  const rows = await raw.query<AppliedRow>(
    `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at`,
  );
  checkHistory(rows, migrations);

  const applied: string[] = [];
  let alreadyApplied = 0;
  for (const migration of migrations) {
    const didApply = await raw.transaction(async (tx) => {
      const done = await tx.query<{ checksum: string }>(
        `SELECT checksum FROM "_prisma_migrations"
          WHERE migration_name = $1 AND finished_at IS NOT NULL AND rolled_back_at IS NULL`,
        [migration.name],
      );
      if (done.length > 0) return false;
      try {
        await tx.exec(migration.sql);
      } catch (error) {
        throw new MigrationError(
          `Migration ${migration.name} failed and was rolled back, the database is unchanged: ${(error as Error).message}`,
        );
      }
      await tx.query(
        `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count)
         VALUES ($1, $2, now(), $3, NULL, NULL, now(), 1)`,
        [randomUUID(), migration.checksum, migration.name],
      );
      return true;
    });
    if (didApply) applied.push(migration.name);
    else alreadyApplied++;
  }
  return { applied, alreadyApplied, waited };
}

function checkHistory(rows: AppliedRow[], migrations: MigrationFile[]): void {
  const byName = new Map(migrations.map((m) => [m.name, m]));
  for (const row of rows) {
    if (row.rolled_back_at) continue;
    if (!row.finished_at) {
      throw new MigrationError(
        `Migration ${row.migration_name} is recorded as failed in _prisma_migrations. ` +
          `Fix the database by hand, then delete that row (or run \`prisma migrate resolve\`).`,
      );
    }
    const file = byName.get(row.migration_name);
    if (!file) {
      throw new MigrationError(
        `The database has migration ${row.migration_name}, which is not in prisma/migrations: ` +
          `this code is older than the database.`,
      );
    }
    if (file.checksum !== row.checksum) {
      throw new MigrationError(
        `Migration ${row.migration_name} was edited after it was applied ` +
          `(checksum ${row.checksum.slice(0, 12)}… in the database, ${file.checksum.slice(0, 12)}… on disk). ` +
          `Applied migrations must not change: restore the file and put the change in a new migration ` +
          `(npm run db:migration:create -- <name>).`,
      );
    }
  }
}
