import { test as base, expect, type BrowserContext } from "@playwright/test";

// Every journey runs under this `test`: it watches each browser context the test opens (the
// default one and any from browser.newContext / newPage) for Content-Security-Policy
// violations — the page's own `securitypolicyviolation` events, reported through a binding so
// they survive navigations, and Chromium's console messages about the policy — and fails the
// test if there was any (issue #9). A malformed Permissions-Policy header is reported too.

const BINDING = "__reportCspViolation";
const CONSOLE_PATTERN = /Content Security Policy|Content-Security-Policy|Permissions-Policy/i;

export async function watch(context: BrowserContext, problems: string[]) {
  await context.exposeBinding(BINDING, (_source, text: string) => {
    problems.push(text);
  });
  await context.addInitScript((binding: string) => {
    document.addEventListener("securitypolicyviolation", (event) => {
      const report = (window as unknown as Record<string, (text: string) => void>)[binding];
      report?.(
        `${event.effectiveDirective} blocked ${event.blockedURI || "inline"} on ${location.href}` +
          (event.sample ? ` (${event.sample.slice(0, 80)})` : ""),
      );
    });
  }, BINDING);
  context.on("console", (message) => {
    if (CONSOLE_PATTERN.test(message.text())) problems.push(`console ${message.type()}: ${message.text()}`);
  });
}

export const test = base.extend<{ contentSecurityPolicyGuard: void }>({
  contentSecurityPolicyGuard: [
    async ({ browser, context }, use) => {
      const problems: string[] = [];
      await watch(context, problems);
      const newContext = browser.newContext.bind(browser);
      browser.newContext = async (options) => {
        const created = await newContext(options);
        await watch(created, problems);
        return created;
      };
      try {
        await use();
      } finally {
        browser.newContext = newContext;
      }
      expect(problems, "Content-Security-Policy violations in this journey").toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
export type { Browser, BrowserContext, Locator, Page } from "@playwright/test";
