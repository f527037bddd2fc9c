import { createHmac } from "node:crypto";
import { expect, type Page } from "@playwright/test";
import type { T } from "./i18n";
import { PLATFORM_ADMIN } from "./platform-admin";

// Two-step verification in the journeys: codes computed as an authenticator app does.

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** The code an authenticator app shows for `secret` in a 30-second step (RFC 6238, SHA-1, 6 digits). */
export function totpCode(secret: string, step = Math.floor(Date.now() / 30_000)): string {
  let bits = "";
  for (const char of secret.replace(/=+$/, "")) bits += BASE32.indexOf(char).toString(2).padStart(5, "0");
  const key = Buffer.from(bits.match(/.{8}/g)!.map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac("sha1", key).update(counter).digest();
  const offset = mac[mac.length - 1]! & 0xf;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, "0");
}

/**
 * Enters a code on the two-step page. A code is accepted once: when another journey just used
 * this step's code, the next step's (accepted one step early) is tried.
 */
export async function enterTotp(page: Page, t: T, secret: string, submit: string) {
  const from = new URL(page.url()).pathname;
  const field = page.getByLabel(t("security.signIn.code"), { exact: true });
  const button = page.getByRole("button", { name: submit, exact: true });
  const step = Math.floor(Date.now() / 30_000);
  await field.fill(totpCode(secret, step));
  await button.click();
  const left = page
    .waitForURL((url) => url.pathname !== from)
    .then(
      () => true,
      () => false,
    );
  const refused = page
    .getByText(t("security.errors.codeWrong"))
    .waitFor()
    .then(
      () => false,
      () => false,
    );
  if (await Promise.race([left, refused])) return;
  await field.fill(totpCode(secret, step + 1));
  await button.click();
  await page.waitForURL((url) => url.pathname !== from);
}

/** Signs the platform admin in: password, then a code from the authenticator. */
export async function signInAsPlatformAdmin(page: Page, t: T) {
  await page.goto("/login");
  await page.getByLabel(t("auth.identifier"), { exact: true }).fill(PLATFORM_ADMIN.phone);
  await page.getByLabel(t("auth.password"), { exact: true }).fill(PLATFORM_ADMIN.password);
  await page.getByRole("button", { name: t("auth.signIn"), exact: true }).click();
  await expect(page).toHaveURL(/\/login\/two-factor$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(t("security.signIn.title"));
  await enterTotp(page, t, PLATFORM_ADMIN.totpSecret, t("security.signIn.submit"));
}
