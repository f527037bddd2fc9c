import { afterEach, describe, expect, it, vi } from "vitest";
import { db } from "~/db/index.server";
import { platformOrigin } from "~/lib/origins.server";
import en from "~/locales/en/index";
import zh from "~/locales/zh-CN/index";
import { SIGN_IN_LIMITS, signIn } from "~/modules/identity/accounts.server";
import { hashToken } from "~/modules/identity/tokens.server";
import { action as loginAction } from "~/routes/login";
import { action as unlockAction, loader as unlockLoader } from "~/routes/unlock";
import { createUser, postAs, run, TEST_PASSWORD } from "../support/auth";
import { csrfCookie } from "~/modules/identity/cookies.server";

// Finding 5 of issue #9: lockout as a weapon. Failures slow the address and the (account,
// address) pair; only many addresses failing on one account lock it, and then its owner is
// told and let in through a one-time link.

async function browserAt(address: string) {
  const csrf = "c".repeat(43);
  return { cookie: (await csrfCookie.serialize(csrf)).split(";")[0]!, csrf, address };
}
type Browser = Awaited<ReturnType<typeof browserAt>>;

function post(browser: Browser, url: string, fields: Record<string, string>) {
  const request = postAs(browser, url, fields);
  request.headers.set("x-peer-address", browser.address);
  return request;
}

const login = (browser: Browser, identifier: string, password: string) =>
  run(loginAction, post(browser, "http://localhost/login", { identifier, password }));

function text(messages: unknown, key: string): string | undefined {
  const value = key
    .split(".")
    .reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], messages);
  return typeof value === "string" ? value : undefined;
}

const lockoutMessages = (phone: string) =>
  db().notification.findMany({ where: { recipient: phone, template: "account-locked" } });

afterEach(() => {
  vi.useRealTimers();
});

describe("sign-in limits", () => {
  it("an attacker trying three passwords every quarter hour from one address no longer keeps the owner out", async () => {
    const owner = await createUser();
    const start = Date.now();
    vi.useFakeTimers({ toFake: ["Date"], now: start });
    const attackerAnswers: string[] = [];
    for (let round = 0; round < 8; round++) {
      vi.setSystemTime(start + round * 14 * 60_000);
      for (let i = 0; i < 3; i++) {
        const answer = await signIn({ identifier: owner.phone, password: `guess-${round}-${i}`, ip: "10.9.0.1" });
        expect(answer.ok).toBe(false);
        if (!answer.ok) attackerAnswers.push(answer.error);
      }
      vi.setSystemTime(start + round * 14 * 60_000 + 1_000);
      expect(await signIn({ identifier: owner.phone, password: TEST_PASSWORD, ip: "10.9.9.9" })).toMatchObject({
        ok: true,
      });
    }
    // The attacker was slowed down on this account, never locked it.
    expect(attackerAnswers).toContain("auth.errors.tooManyForAccount");
    expect(attackerAnswers).not.toContain("auth.errors.locked");
    expect(await lockoutMessages(owner.phone)).toHaveLength(0);
  });

  it("lets the owner sign in from their own address while an attacker hammers from another, and answers the attacker 429 with translated minutes", async () => {
    const owner = await createUser();
    const attacker = await browserAt("10.8.0.1");
    const mine = await browserAt("10.8.9.9");
    let last: Awaited<ReturnType<typeof login>> | undefined;
    for (let i = 0; i < 60; i++) {
      last = await login(attacker, owner.phone, `guess-${i}`);
      expect(last.status).toBeLessThan(500);
      if (i % 10 === 9) {
        const signedIn = await login(mine, owner.phone, TEST_PASSWORD);
        expect(signedIn.status).toBe(302);
        expect(signedIn.headers?.get("Set-Cookie")).toMatch(/^sid=/);
      }
    }
    expect(last!.status).toBe(429);
    const message = JSON.stringify(last!.data);
    expect(message).toContain("auth.errors.tooManyForAccount");
    const minutes = Number(/"minutes\\?":\s*(\d+)/.exec(message.replace(/\\"/g, '"'))?.[1]);
    expect(minutes).toBeGreaterThan(0);
    expect(minutes).toBeLessThanOrEqual(SIGN_IN_LIMITS.pair.windowSeconds / 60);
    for (const messages of [zh, en]) {
      for (const key of ["auth.errors.tooManyForAccount", "auth.errors.tooManyFromHere", "auth.errors.locked"]) {
        expect(text(messages, key)).toContain("{{minutes}}");
      }
    }
    expect(await lockoutMessages(owner.phone)).toHaveLength(0);
  });

  it("records the socket's address on the session, not a forged X-Forwarded-For (TRUST_PROXY unset)", async () => {
    const user = await createUser();
    const browser = await browserAt("192.0.2.44");
    const request = post(browser, "http://localhost/login", { identifier: user.phone, password: TEST_PASSWORD });
    request.headers.set("x-forwarded-for", "198.51.100.1");
    expect((await run(loginAction, request)).status).toBe(302);
    expect(
      (await db().session.findMany({ where: { userId: user.id }, select: { ip: true } })).map((s) => s.ip),
    ).toEqual(["192.0.2.44"]);
  });

  it("slows one address that tries many accounts", async () => {
    const ip = "10.3.0.9";
    for (let i = 0; i < SIGN_IN_LIMITS.address.points; i++) {
      await signIn({ identifier: `1370000${String(i).padStart(4, "0")}`, password: "x", ip });
    }
    const user = await createUser();
    expect(await signIn({ identifier: user.phone, password: TEST_PASSWORD, ip })).toMatchObject({
      ok: false,
      error: "auth.errors.tooManyFromHere",
    });
    expect(await signIn({ identifier: user.phone, password: TEST_PASSWORD, ip: "10.3.0.10" })).toMatchObject({
      ok: true,
    });
  });

  it("locks an account only when many addresses fail on it, tells the owner, and lets them in once through the link", async () => {
    const owner = await createUser();
    const addresses = SIGN_IN_LIMITS.account.points;
    for (let i = 0; i < addresses; i++) {
      for (let j = 0; j < 2; j++) {
        expect(
          await signIn({ identifier: owner.phone, password: `spray-${j}`, ip: `172.16.0.${i + 1}` }),
        ).toMatchObject({ ok: false });
      }
    }
    // Locked for everyone, even with the right password, answered 429 with the minutes.
    const mine = await browserAt("10.7.9.9");
    const locked = await login(mine, owner.phone, TEST_PASSWORD);
    expect(locked.status).toBe(429);
    expect(JSON.stringify(locked.data)).toContain("auth.errors.locked");

    // The owner was told once, through the notification transport, with a link on the platform's origin.
    const sent = await lockoutMessages(owner.phone);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.status).toBe("DONE");
    const link = new URL((sent[0]!.payload as { url: string }).url);
    expect(link.origin).toBe(platformOrigin());
    expect(link.pathname).toBe("/unlock");
    const token = link.searchParams.get("token")!;
    // Hashed at rest.
    expect(await db().accountUnlockToken.findUnique({ where: { id: token } })).toBeNull();
    expect(await db().accountUnlockToken.findUnique({ where: { id: hashToken(token) } })).toMatchObject({
      userId: owner.id,
      usedAt: null,
    });
    const events = async () =>
      (await db().securityEvent.findMany({ where: { userId: owner.id }, orderBy: { createdAt: "asc" } })).map(
        (e) => e.type,
      );
    expect(await events()).toEqual(["lockout"]);

    expect((await run(unlockLoader, new Request(link))).data).toMatchObject({ usable: true });
    // A wrong password through the link does not open it, nor spend it.
    const wrong = await run(unlockAction, post(mine, "http://localhost/unlock", { token, password: "not-it" }));
    expect(wrong.status).toBe(400);
    expect(JSON.stringify(wrong.data)).toContain("auth.errors.wrongCredentials");
    // The attack goes on meanwhile.
    await signIn({ identifier: owner.phone, password: "spray-9", ip: "172.16.1.1" });

    const opened = await run(unlockAction, post(mine, "http://localhost/unlock", { token, password: TEST_PASSWORD }));
    expect(opened.status).toBe(302);
    expect(opened.headers?.get("Set-Cookie")).toMatch(/^sid=/);
    expect(await events()).toEqual(["lockout", "unlock"]);
    // The lock is lifted.
    expect(await signIn({ identifier: owner.phone, password: TEST_PASSWORD, ip: "10.7.9.8" })).toMatchObject({
      ok: true,
    });

    // The link works once.
    const again = await run(unlockAction, post(mine, "http://localhost/unlock", { token, password: TEST_PASSWORD }));
    expect(again.status).toBe(410);
    expect(again.headers?.get("Set-Cookie") ?? null).toBeNull();
    expect((await run(unlockLoader, new Request(link))).data).toMatchObject({ usable: false });
    expect(text(zh, "auth.errors.unlockInvalid")).toBeTruthy();
    expect(text(en, "auth.errors.unlockInvalid")).toBeTruthy();
  });
});
