/**
 * Writes a new migration from the difference between the migration history and
 * prisma/schema.prisma, without Prisma's native schema engine:
 *
 *   npm run db:migration:create -- <name>        (npx tsx scripts/db-migration-create.ts <name>)
 *
 * -> prisma/migrations/<UTC YYYYMMDDHHMMSS>_<name>/migration.sql, or
 *    "No schema changes: no migration created." when they already agree.
 *
 * Shadow database: a temporary database on TEST_DATABASE_URL / DATABASE_URL when
 * one is set (about a second), else an in-memory PGlite (several seconds).
 * See scripts/lib/schema-engine.ts.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  chooseShadowDatabase,
  describeShadowDatabase,
  diffMigrationsToSchema,
  SchemaEngineError,
} from "./lib/schema-engine";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const schemaPath = path.join(root, "prisma", "schema.prisma");
const migrationsDir = path.join(root, "prisma", "migrations");

const NAME = /^[a-z0-9]+(?:_[a-z0-9]+)*$/;
/** `_prisma_migrations.migration_name` is varchar(255); the timestamp and "_" take 15. */
const MAX_NAME_LENGTH = 200;

class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  const [name, ...extra] = argv;
  if (name === undefined || name === "-h" || name === "--help") {
    console.error("Usage: npm run db:migration:create -- <name>   (name in snake_case, e.g. add_county_driving_notes)");
    return name === undefined ? 2 : 0;
  }
  if (extra.length > 0) throw new UsageError(`Expected one migration name, got ${argv.length}: ${argv.join(" ")}`);
  validateName(name);

  const shadow = chooseShadowDatabase();
  console.error(`Comparing prisma/migrations with prisma/schema.prisma on ${describeShadowDatabase(shadow)} …`);
  const started = Date.now();
  const sql = await diffMigrationsToSchema({ schemaPath, migrationsDir, shadow });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);

  if (sql === "") {
    console.log("No schema changes: no migration created.");
    return 0;
  }

  const { timestamp, bumped } = await nextTimestamp(new Date());
  const folder = path.join(migrationsDir, `${timestamp}_${name}`);
  await fs.mkdir(folder); // not recursive: fails rather than overwrite an existing migration
  const file = path.join(folder, "migration.sql");
  await fs.writeFile(file, sql, { flag: "wx" });

  console.log(path.relative(process.cwd(), file) || file);
  console.error(`(${seconds} s)`);
  if (bumped) {
    console.error(`Note: the clock is before the latest migration; used ${timestamp} to keep the history in order.`);
  }
  if (/\bDROP\b/i.test(sql)) {
    console.error("Warning: this migration drops something (a table, column, index or type): check for data loss.");
  }
  console.error(`\n${sql}`);
  console.error(
    "Review the SQL (add by hand what Prisma cannot express, e.g. CHECK constraints), then commit it with schema.prisma.",
  );
  return 0;
}

function validateName(name: string): void {
  if (NAME.test(name) && name.length <= MAX_NAME_LENGTH) return;
  const suggestion = name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, MAX_NAME_LENGTH);
  throw new UsageError(
    `Invalid migration name ${JSON.stringify(name)}: use lower-case letters, digits and single underscores ` +
      `(snake_case, at most ${MAX_NAME_LENGTH} characters)` +
      (suggestion && NAME.test(suggestion) ? `, e.g. ${suggestion}` : "") +
      ".",
  );
}

/** UTC YYYYMMDDHHMMSS, kept after the newest existing migration so the folders sort in order. */
async function nextTimestamp(now: Date): Promise<{ timestamp: string; bumped: boolean }> {
  const entries = await fs.readdir(migrationsDir).catch(() => [] as string[]);
  const latest = entries
    .map((entry) => /^(\d{14})_/.exec(entry)?.[1])
    .filter((stamp): stamp is string => stamp !== undefined)
    .sort()
    .at(-1);
  const fromClock = formatUtc(now);
  if (latest === undefined || fromClock > latest) return { timestamp: fromClock, bumped: false };
  const next = parseUtc(latest);
  next.setUTCSeconds(next.getUTCSeconds() + 1);
  return { timestamp: formatUtc(next), bumped: true };
}

function formatUtc(date: Date): string {
  return date.toISOString().replace(/[-:T]/g, "").slice(0, 14);
}

function parseUtc(stamp: string): Date {
  const [y, mo, d, h, mi, s] = [0, 4, 6, 8, 10, 12].map((at, i) => Number(stamp.slice(at, at + (i === 0 ? 4 : 2))));
  return new Date(Date.UTC(y ?? 0, (mo ?? 1) - 1, d ?? 1, h ?? 0, mi ?? 0, s ?? 0));
}

main(process.argv.slice(2)).then(
  // The engine's leftovers must not keep the process alive: exit explicitly.
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError || error instanceof SchemaEngineError) {
      console.error(`Error: ${error.message}`);
    } else if (error instanceof Error) {
      const code = (error as { code?: unknown }).code;
      console.error(`Error${typeof code === "string" ? ` ${code}` : ""}: ${error.message.trim()}`);
      if (process.env.SCHEMA_ENGINE_DEBUG) console.error(error.stack);
    } else {
      console.error("Error:", error);
    }
    process.exit(1);
  },
);
