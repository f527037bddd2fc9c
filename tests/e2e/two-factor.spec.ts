import { expect, test, type Page } from "@playwright/test";
import { translator } from "./support/i18n";
import { enterTotp, signInAsPlatformAdmin, totpCode } from "./support/two-factor";

// Two-step verification on a 360 px phone in Chinese: a cooperative owner sets it up from the
// account page (QR code, key, first code, recovery codes shown once), then signs in with a code;
// the platform admin finds those steps in the security log.

const t = translator("zh-CN");
test.use({ locale: "zh-CN" });

async function expectFitsPhone(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, `${page.url()} scrolls sideways on a 360 px phone`).toBeLessThanOrEqual(0);
}

test("an owner sets up two-step verification in Chinese on a phone and signs in with a code", async ({
  page,
  browser,
  baseURL,
}) => {
  test.setTimeout(90_000);
  const phone = `137${String(Date.now()).slice(-8)}`;
  const password = "two-step-owner-pw";

  await page.goto("/signup");
  await page.getByLabel(t("auth.name"), { exact: true }).fill("两步验证店主");
  await page.getByLabel(t("auth.identifier"), { exact: true }).fill(phone);
  await page.getByLabel(t("auth.password"), { exact: true }).fill(password);
  await page.getByRole("button", { name: t("auth.signUp"), exact: true }).click();
  await expect(page).toHaveURL(/\/admin$/);

  await page.goto("/account");
  await page.getByRole("link", { name: t("auth.twoFactorLink"), exact: true }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(t("security.twoFactor.title"));
  await expect(page.getByTestId("two-factor-status")).toHaveText(t("security.twoFactor.statusOff"));
  await page.getByRole("button", { name: t("security.twoFactor.start"), exact: true }).click();

  const qr = page.getByRole("img", { name: t("security.twoFactor.qrAlt") });
  await expect(qr).toBeVisible();
  const box = (await qr.boundingBox())!;
  expect(box.width).toBeGreaterThan(150); // big enough to scan from the screen
  const secret = (await page.getByTestId("two-factor-key").innerText()).replace(/\s/g, "");
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await expectFitsPhone(page);

  await page.getByLabel(t("security.twoFactor.code"), { exact: true }).fill("000000");
  await page.getByRole("button", { name: t("security.twoFactor.confirm"), exact: true }).click();
  await expect(page.getByRole("alert").filter({ hasText: t("security.errors.codeWrong") })).toBeVisible();
  await enterTotpOnEnrolment(page, secret);

  await expect(page.getByTestId("two-factor-enabled")).toHaveText(t("security.twoFactor.enabled"));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(t("security.twoFactor.recoveryTitle"));
  const codes = page.getByTestId("recovery-codes").getByRole("listitem");
  await expect(codes).toHaveCount(10);
  await expect(codes.first()).toHaveText(/^[a-z0-9]{4}(-[a-z0-9]{4}){3}$/);
  await expectFitsPhone(page);
  await page.getByRole("link", { name: t("security.twoFactor.continue"), exact: true }).click();
  await expect(page).toHaveURL(/\/account$/);

  // Signing in again now asks for a code after the password.
  const context = await browser.newContext({ baseURL, locale: "zh-CN", viewport: { width: 360, height: 780 } });
  const second = await context.newPage();
  await second.goto("/login");
  await second.getByLabel(t("auth.identifier"), { exact: true }).fill(phone);
  await second.getByLabel(t("auth.password"), { exact: true }).fill(password);
  await second.getByRole("button", { name: t("auth.signIn"), exact: true }).click();
  await expect(second).toHaveURL(/\/login\/two-factor$/);
  await expect(second.getByRole("heading", { level: 1 })).toHaveText(t("security.signIn.title"));
  await expectFitsPhone(second);
  await enterTotp(second, t, secret, t("security.signIn.submit"));
  await expect(second).toHaveURL(/\/admin$/);
  await context.close();

  // The platform admin sees those steps in the security log.
  const adminContext = await browser.newContext({ baseURL, locale: "zh-CN", viewport: { width: 360, height: 780 } });
  const admin = await adminContext.newPage();
  await signInAsPlatformAdmin(admin, t);
  await admin.goto(`/platform/security?user=${phone}`);
  await expect(admin.getByRole("heading", { level: 1 })).toHaveText(t("security.log.title"));
  const entries = admin.getByTestId("security-event");
  await expect(entries.filter({ hasText: t("security.log.types.totp_enabled") })).toHaveCount(1);
  await expect(entries.filter({ hasText: t("security.log.types.sign_in") }).first()).toBeVisible();
  await expectFitsPhone(admin);
  await adminContext.close();
});

async function enterTotpOnEnrolment(page: Page, secret: string) {
  await page.getByLabel(t("security.twoFactor.code"), { exact: true }).fill(totpCode(secret));
  await page.getByRole("button", { name: t("security.twoFactor.confirm"), exact: true }).click();
}
