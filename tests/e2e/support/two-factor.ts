import { createHash, createHmac } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
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
 * Journeys in parallel workers sign in as the same platform admin. The server accepts each
 * 30-second step once and never an earlier one, and counts every refused code against the
 * account's second-factor limit (5 per address in 15 minutes): guessing would lock the admin out.
 * So the workers take turns through a lock folder per secret, and the one holding it submits the
 * code of the step after the last one spent (waiting for that step's window when needed), then
 * records it once the page has moved on.
 */
const STEP_MS = 30_000;

async function withSecretLock<T>(secret: string, work: (state: string) => Promise<T>): Promise<T> {
  const dir = path.join(os.tmpdir(), `e2e-totp-${createHash("sha256").update(secret).digest("hex").slice(0, 16)}`);
  const lock = `${dir}.lock`;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch {
      // A worker that died holding the lock leaves it behind; a turn (at most two step
      // windows' wait and two answers) takes well under two minutes.
      const age = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 120_000) fs.rmSync(lock, { recursive: true, force: true });
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  try {
    return await work(`${dir}.last-step`);
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

/** Enters a code on the two-step page: the next unspent step's, taking turns with other workers. */
export async function enterTotp(page: Page, t: T, secret: string, submit: string) {
  const from = new URL(page.url()).pathname;
  const field = page.getByLabel(t("security.signIn.code"), { exact: true });
  const button = page.getByRole("button", { name: submit, exact: true });
  await withSecretLock(secret, async (stateFile) => {
    let spent = Number(fs.existsSync(stateFile) ? fs.readFileSync(stateFile, "utf8") : 0);
    // Twice at most: a step spent outside these turns (the enrolment's own code) is refused once.
    for (let attempt = 0; ; attempt++) {
      const step = Math.max(spent + 1, Math.floor(Date.now() / STEP_MS));
      // A code is accepted up to one step early: wait until `step` is at most the next one.
      const wait = (step - 1) * STEP_MS - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait + 500));
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
      const accepted = attempt === 0 ? await Promise.race([left, refused]) : await left;
      spent = step;
      fs.writeFileSync(stateFile, String(spent));
      if (accepted) return;
      if (attempt > 0) throw new Error(`two-step code of step ${step} was refused`);
    }
  });
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
