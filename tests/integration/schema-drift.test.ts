// The committed migrations must build exactly the database schema.prisma describes;
// otherwise `prisma generate`'s client and the migrated database disagree.
//
// Shadow database: a temporary database on TEST_DATABASE_URL / DATABASE_URL when set
// (about a second a diff), else an in-memory PGlite (several seconds a diff).
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { chooseShadowDatabase, diffMigrationsToSchema } from "../../scripts/lib/schema-engine";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const schemaPath = path.join(root, "prisma", "schema.prisma");
const migrationsDir = path.join(root, "prisma", "migrations");
const TIMEOUT = 60_000;
const shadow = chooseShadowDatabase().kind === "server" ? "temporary database on the server" : "in-memory PGlite";

describe(`schema drift (shadow: ${shadow})`, () => {
  it(
    "prisma/migrations produce exactly prisma/schema.prisma",
    async () => {
      const sql = await diffMigrationsToSchema({ schemaPath, migrationsDir });
      expect(
        sql,
        [
          "prisma/schema.prisma differs from what prisma/migrations build. The missing migration would be:",
          "",
          sql,
          "Create it with `npm run db:migration:create -- <name>` (e.g. add_county_driving_notes), review it, and commit it.",
        ].join("\n"),
      ).toBe("");
    },
    TIMEOUT,
  );

  it(
    "reports a field that no migration creates",
    async () => {
      const dir = await fs.mkdtemp(path.join(os.tmpdir(), "schema-drift-"));
      try {
        const original = await fs.readFile(schemaPath, "utf8");
        const probed = original.replace(/^model County \{\n/m, (line) => `${line}  driftProbe String?\n`);
        expect(probed, "model County not found in prisma/schema.prisma").not.toBe(original);
        const probePath = path.join(dir, "schema.prisma");
        await fs.writeFile(probePath, probed);

        const sql = await diffMigrationsToSchema({ schemaPath: probePath, migrationsDir });

        expect(sql).not.toBe("");
        expect(sql).toContain('"driftProbe"');
        expect(sql).toMatch(/ALTER TABLE "County" ADD COLUMN\s+"driftProbe" TEXT/);
        // The CHECK constraints appended by hand to the init migration are not Prisma's
        // business: the engine neither drops nor reports them.
        expect(sql).not.toMatch(/CHECK|DROP CONSTRAINT/i);
      } finally {
        await fs.rm(dir, { recursive: true, force: true });
      }
    },
    TIMEOUT,
  );
});
