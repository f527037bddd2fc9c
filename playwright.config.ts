import fs from "node:fs";
import { chromium, defineConfig, devices } from "@playwright/test";

// End-to-end tests drive a real Chromium against the production build, served by
// tests/e2e/serve.ts on its own database (a fresh one on the PostgreSQL server when
// TEST_DATABASE_URL is set, else a fresh embedded one).
const PORT = Number(process.env.E2E_PORT ?? 3210);
// Stripe, offline: a local Stripe test server beside the app (tests/support/stripe-test-server.ts).
const STRIPE_PORT = Number(process.env.E2E_STRIPE_PORT ?? PORT + 1);

function chromiumPath(): string | undefined {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  try {
    if (fs.existsSync(chromium.executablePath())) return undefined; // a Playwright-installed browser
  } catch {
    // none installed
  }
  if (fs.existsSync("/usr/bin/chromium")) return "/usr/bin/chromium";
  throw new Error(
    "No Chromium for the end-to-end tests. Install one (Debian/Ubuntu: `apt-get install chromium fonts-noto-cjk`; " +
      "elsewhere: `npx playwright install chromium`), or set CHROMIUM_PATH to its executable.",
  );
}

export default defineConfig({
  testDir: "tests/e2e",
  outputDir: "test-results/playwright",
  fullyParallel: true,
  workers: 2,
  retries: 0,
  reporter: [["list"], ["json", { outputFile: "test-results/playwright.json" }]],
  timeout: 30_000,
  use: {
    baseURL: `http://localhost:${PORT}`,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: chromiumPath(),
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  projects: [
    // Cooperatives and buyers are mostly on phones: the narrowest common screen.
    { name: "phone", use: { ...devices["Desktop Chrome"], viewport: { width: 360, height: 780 }, isMobile: false, hasTouch: true } },
  ],
  webServer: {
    command: "npm run build && tsx tests/e2e/serve.ts",
    url: `http://127.0.0.1:${PORT}/healthz`,
    timeout: 240_000,
    reuseExistingServer: false,
    stdout: "ignore",
    stderr: "pipe",
    env: { E2E_PORT: String(PORT), E2E_STRIPE_PORT: String(STRIPE_PORT) },
  },
});
