import { vitePlugin as remix } from "@remix-run/dev";
import tailwindcss from "@tailwindcss/vite";
import { defineConfig } from "vite";
import tsconfigPaths from "vite-tsconfig-paths";
import remixConfig from "./remix.config.js";
import { clientChunks } from "./scripts/lib/vite-chunks";
import { browserI18n } from "./scripts/lib/vite-i18n";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

export default defineConfig({
  plugins: [...browserI18n(), clientChunks(), tailwindcss(), remix(remixConfig), tsconfigPaths()],
  server: { host: "127.0.0.1" },
  build: {
    // Kept as build/.vite/client-manifest.json: what each page loads (tests/e2e/speed.spec.ts).
    manifest: true,
    // Remix preloads every module itself.
    modulePreload: { polyfill: false },
  },
});
