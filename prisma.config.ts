import { defineConfig } from "prisma/config";

// Prisma's CLI is only used for `prisma generate` here; migrations are applied by
// scripts/db-migrate.ts (docs/decisions/002-migrations-without-native-engine.md).
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});
