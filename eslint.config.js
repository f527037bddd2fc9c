import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

// Besides the recommended rules, the layering the handbook asks for:
// routes → modules → db/lib, and the unguarded client only where cross-shop reads are named.
export default tseslint.config(
  { ignores: ["build/", "data/", "node_modules/", "app/generated/", "test-results/", "playwright-report/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "no-console": "off",
    },
  },
  {
    files: ["app/routes/**", "app/components/**", "app/root.tsx", "app/entry.*.tsx"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["~/db/*", "~/generated/*"],
              message: "Routes and components call modules; modules own the database.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["app/modules/**", "app/lib/**", "app/db/**"],
    ignores: ["app/**/*.cross-shop.server.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["~/routes/*", "~/components/*"], message: "Imports flow one way: routes → modules → db/lib." },
          ],
          paths: [
            {
              name: "~/db/index.server",
              importNames: ["unscopedDb", "unscopedReadDb", "unscopedPageReadDb"],
              message: "Use db() and name the shop. Cross-shop reads live in *.cross-shop.server.ts files.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["app/db/**", "app/lib/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["~/modules/*", "~/routes/*", "~/components/*"], message: "db and lib sit below the modules." },
          ],
        },
      ],
    },
  },
);
