import { test as base } from "@playwright/test";
import { expect, watch } from "./support/test";

// The guard every journey runs under (support/test.ts) must see a violation when there is one:
// otherwise "zero violations" would mean nothing. An inline script added to a real page is
// refused by the page's policy, and the guard hears of it.
base("the CSP guard reports a script the page's policy refuses", async ({ browser }) => {
  const context = await browser.newContext();
  const problems: string[] = [];
  await watch(context, problems);
  const page = await context.newPage();
  await page.goto("/");
  const ran = await page.evaluate(() => {
    const script = document.createElement("script");
    script.textContent = "window.__injected = true;";
    document.body.append(script);
    return (window as unknown as { __injected?: boolean }).__injected === true;
  });
  expect(ran, "an inline script without the nonce does not run").toBe(false);
  await expect.poll(() => problems.length).toBeGreaterThan(0);
  expect(problems.join("\n")).toMatch(/script-src/);
  await context.close();
});
