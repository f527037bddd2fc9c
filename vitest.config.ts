import tsconfigPaths from "vite-tsconfig-paths";
import { defineConfig } from "vitest/config";
import { i18nMessages } from "./scripts/lib/vite-i18n";

// Unit tests need nothing. Integration tests use a real PostgreSQL server when
// TEST_DATABASE_URL (or DATABASE_URL) is set, else embedded PGlite; every test file
// gets a database of its own (tests/setup/database.ts).
export default defineConfig({
  plugins: [tsconfigPaths(), i18nMessages()],
  test: {
    pool: "forks",
    reporters: ["default", ["json", { outputFile: "test-results/vitest.json" }]],
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["tests/unit/**/*.test.ts"],
          setupFiles: ["tests/setup/fail-on-console-error.ts"],
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          globalSetup: ["tests/setup/global-database.ts"],
          setupFiles: ["tests/setup/fail-on-console-error.ts", "tests/setup/database.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
