import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { migrate, MigrationError, readMigrations } from "~/db/migrate.server";
import { createEmptyDatabase } from "../support/database";

function migrationsDir(files: Record<string, string>) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "migrations-"));
  for (const [name, sql] of Object.entries(files)) {
    fs.mkdirSync(path.join(dir, name));
    fs.writeFileSync(path.join(dir, name, "migration.sql"), sql);
  }
  return dir;
}

describe("migrations", () => {
  it("applies the project's migrations and records them as Prisma does", async () => {
    const { connection, drop } = await createEmptyDatabase();
    try {
      const first = await migrate(connection.raw);
      const files = readMigrations();
      expect(first.applied).toEqual(files.map((f) => f.name));

      const rows = await connection.raw.query<Record<string, unknown>>(
        `SELECT * FROM "_prisma_migrations" ORDER BY migration_name`,
      );
      expect(rows).toHaveLength(files.length);
      for (const [i, row] of rows.entries()) {
        const file = files[i]!;
        const bytes = fs.readFileSync(path.join("prisma/migrations", file.name, "migration.sql"));
        expect(row.migration_name).toBe(file.name);
        expect(row.checksum).toBe(createHash("sha256").update(bytes).digest("hex"));
        expect(row.finished_at).not.toBeNull();
        expect(row.rolled_back_at).toBeNull();
        expect(row.logs).toBeNull();
        expect(row.applied_steps_count).toBe(1);
        expect(String(row.id)).toMatch(/^[0-9a-f-]{36}$/);
      }

      // Prisma's exact column types, so `prisma migrate status/deploy` read the table.
      const columns = await connection.raw.query<{ column_name: string; data_type: string; is_nullable: string }>(
        `SELECT column_name, data_type, is_nullable FROM information_schema.columns
          WHERE table_name = '_prisma_migrations' ORDER BY ordinal_position`,
      );
      expect(columns.map((c) => `${c.column_name}:${c.data_type}:${c.is_nullable}`)).toEqual([
        "id:character varying:NO",
        "checksum:character varying:NO",
        "finished_at:timestamp with time zone:YES",
        "migration_name:character varying:NO",
        "logs:text:YES",
        "rolled_back_at:timestamp with time zone:YES",
        "started_at:timestamp with time zone:NO",
        "applied_steps_count:integer:NO",
      ]);

      const second = await migrate(connection.raw);
      expect(second).toEqual({ applied: [], alreadyApplied: files.length, waited: false });
    } finally {
      await drop();
    }
  });

  it("refuses a migration edited after it was applied, and changes nothing", async () => {
    const { connection, drop } = await createEmptyDatabase();
    try {
      const dir = migrationsDir({ "20260101000000_a": `CREATE TABLE "A" (id int);` });
      await migrate(connection.raw, readMigrations(dir));
      fs.writeFileSync(path.join(dir, "20260101000000_a", "migration.sql"), `CREATE TABLE "A" (id bigint);`);
      fs.mkdirSync(path.join(dir, "20260102000000_b"));
      fs.writeFileSync(path.join(dir, "20260102000000_b", "migration.sql"), `CREATE TABLE "B" (id int);`);

      await expect(migrate(connection.raw, readMigrations(dir))).rejects.toThrow(
        /Migration 20260101000000_a was edited after it was applied/,
      );
      const tables = await connection.raw.query<{ table_name: string }>(
        `SELECT table_name FROM information_schema.tables WHERE table_name IN ('A','B')`,
      );
      expect(tables.map((t) => t.table_name)).toEqual(["A"]);
    } finally {
      await drop();
    }
  });

  it("rolls a failing migration back whole and records nothing for it", async () => {
    const { connection, drop } = await createEmptyDatabase();
    try {
      const dir = migrationsDir({
        "20260101000000_ok": `CREATE TABLE "Ok" (id int);`,
        "20260102000000_broken": `CREATE TABLE "Half" (id int);\nALTER TABLE "Missing" ADD COLUMN x int;`,
      });
      await expect(migrate(connection.raw, readMigrations(dir))).rejects.toThrow(MigrationError);
      await expect(migrate(connection.raw, readMigrations(dir))).rejects.toThrow(/20260102000000_broken failed and was rolled back/);

      const tables = await connection.raw.query<{ table_name: string }>(
        `SELECT table_name FROM information_schema.tables WHERE table_name IN ('Ok','Half') ORDER BY table_name`,
      );
      expect(tables.map((t) => t.table_name)).toEqual(["Ok"]);
      const rows = await connection.raw.query<{ migration_name: string }>(`SELECT migration_name FROM "_prisma_migrations"`);
      expect(rows.map((r) => r.migration_name)).toEqual(["20260101000000_ok"]);
    } finally {
      await drop();
    }
  });

  it("refuses a database that has a migration this code does not know", async () => {
    const { connection, drop } = await createEmptyDatabase();
    try {
      const newer = migrationsDir({ "20260101000000_a": `SELECT 1;`, "20260105000000_newer": `SELECT 2;` });
      await migrate(connection.raw, readMigrations(newer));
      const older = migrationsDir({ "20260101000000_a": `SELECT 1;` });
      await expect(migrate(connection.raw, readMigrations(older))).rejects.toThrow(/20260105000000_newer, which is not in prisma\/migrations/);
    } finally {
      await drop();
    }
  });

  it("the database enforces stock and capacity invariants", async () => {
    const { connection, drop } = await createEmptyDatabase();
    try {
      await migrate(connection.raw);
      const constraints = await connection.raw.query<{ conname: string }>(
        `SELECT conname FROM pg_constraint WHERE contype = 'c' ORDER BY conname`,
      );
      expect(constraints.map((c) => c.conname)).toEqual(
        expect.arrayContaining(["Variant_stock_nonnegative", "ExperienceSlot_booked_within_capacity"]),
      );
    } finally {
      await drop();
    }
  });
});
