import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { db } from "~/db/index.server";
import { csrfCookie } from "~/modules/identity/cookies.server";
import { PENDING_MAX_FAILURES } from "~/modules/identity/pending-sign-in.server";
import { SECOND_FACTOR_LIMITS } from "~/modules/identity/second-factor-limit.server";
import { currentTotpCode } from "~/modules/identity/totp";
import { confirmEnrolment, RECOVERY_CODE_COUNT, startEnrolment } from "~/modules/identity/two-factor.server";
import { hashToken } from "~/modules/identity/tokens.server";
import { action as enrolAction, loader as enrolLoader } from "~/routes/account_.two-factor";
import { action as loginAction } from "~/routes/login";
import { action as secondStepAction, loader as secondStepLoader } from "~/routes/login_.two-factor";
import { action as moneyAction } from "~/routes/admin.$shop.money._index";
import { loader as platformLoader } from "~/routes/platform";
import { action as payoutAction } from "~/routes/platform.payouts.$shop";
import { loader as securityLoader } from "~/routes/platform.security";
import { action as reauthAction } from "~/routes/reauthenticate";
import { action as resetAction } from "~/routes/reset-password";
import { action as unlockAction } from "~/routes/unlock";
import { securityRetention } from "~/modules/jobs/periodic.server";
import { shopWithTeam } from "./catalog-fixtures";
import {
  createUser,
  enableTwoFactor,
  getAs,
  postAs,
  run,
  signedIn,
  TEST_PASSWORD,
  type Session,
} from "../support/auth";

// Two-step verification end to end through the routes: the pending sign-in, codes and recovery
// codes (each used once), the platform admin sent to set it up, money actions that want a fresh
// code, and the security log those steps write.

const origin = "http://localhost";

// The clock stands still unless a test moves it, so that each code's 30-second step is known.
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"], now: new Date("2027-03-01T02:00:05Z") });
});
afterEach(() => {
  vi.useRealTimers();
});
const nextStep = () => vi.setSystemTime(new Date(Date.now() + 30_000));

async function anonymous(): Promise<Session> {
  const csrf = "c".repeat(43);
  return { cookie: (await csrfCookie.serialize(csrf)).split(";")[0]!, csrf };
}

function withCookie(session: Session, setCookie: string | null | undefined): Session {
  const pairs = (setCookie ?? "")
    .split(/,(?=\s*[a-z_]+=)/i)
    .map((c) => c.split(";")[0]!.trim())
    .filter(Boolean);
  return { ...session, cookie: [session.cookie, ...pairs].join("; ") };
}

async function userWithTwoFactor() {
  const user = await createUser();
  const secret = await enableTwoFactor(user.id);
  return { ...user, secret };
}

async function passwordStep(phone: string, redirectTo = "/admin/somewhere") {
  const browser = await anonymous();
  const result = await run(
    loginAction,
    postAs(browser, `${origin}/login`, { identifier: phone, password: TEST_PASSWORD, redirectTo }),
  );
  return { result, browser: withCookie(browser, result.headers?.get("Set-Cookie")) };
}

async function events(userId: string) {
  return db().securityEvent.findMany({
    where: { userId },
    orderBy: { createdAt: "asc" },
    select: { type: true, detail: true },
  });
}

describe("signing in with two-step verification", () => {
  it("the password alone opens a pending sign-in, not a session; a right code then starts a session that proved the second factor", async () => {
    const user = await userWithTwoFactor();
    const { result, browser } = await passwordStep(user.phone);
    expect(result.status).toBe(302);
    expect(result.location).toBe("/login/two-factor");
    expect(result.headers!.get("Set-Cookie")).toMatch(/^sid_pending=/);
    expect(result.headers!.get("Set-Cookie")).not.toMatch(/(^|, )sid=/);
    expect(await db().session.count({ where: { userId: user.id } })).toBe(0);
    expect((await run(secondStepLoader, getAs(browser, `${origin}/login/two-factor`))).status).toBe(200);

    const wrong = await run(secondStepAction, postAs(browser, `${origin}/login/two-factor`, { code: "000000" }));
    expect(wrong.status).toBe(400);
    expect(JSON.stringify(wrong.data)).toContain("security.errors.codeWrong");
    expect(await db().session.count({ where: { userId: user.id } })).toBe(0);

    const right = await run(
      secondStepAction,
      postAs(browser, `${origin}/login/two-factor`, { code: await currentTotpCode(user.secret) }),
    );
    expect(right.status).toBe(302);
    expect(right.location).toBe("/admin/somewhere");
    const cookies = right.headers!.get("Set-Cookie")!;
    expect(cookies).toMatch(/(^|, )sid=[^;]{20,}/);
    expect(cookies).toMatch(/sid_pending=;/);
    const sessions = await db().session.findMany({ where: { userId: user.id } });
    expect(sessions).toHaveLength(1);
    expect(sessions[0]!.secondFactorAt).not.toBeNull();
    // The pending sign-in is spent: the same cookie cannot sign in again.
    expect((await run(secondStepLoader, getAs(browser, `${origin}/login/two-factor`))).location).toBe("/login");
    expect((await events(user.id)).map((e) => e.type)).toEqual(["sign_in_failed", "sign_in"]);
  });

  it("a user without two-step verification signs in with the password as before, and the log says so", async () => {
    const user = await createUser();
    const { result } = await passwordStep(user.phone);
    expect(result.status).toBe(302);
    expect(result.headers!.get("Set-Cookie")).toMatch(/^sid=/);
    expect((await events(user.id)).map((e) => e.type)).toEqual(["sign_in"]);
  });

  it("refuses a code used once already, even within its window", async () => {
    const user = await userWithTwoFactor();
    const code = await currentTotpCode(user.secret);
    const first = await passwordStep(user.phone);
    expect((await run(secondStepAction, postAs(first.browser, `${origin}/login/two-factor`, { code }))).status).toBe(
      302,
    );
    const second = await passwordStep(user.phone);
    const replay = await run(secondStepAction, postAs(second.browser, `${origin}/login/two-factor`, { code }));
    expect(replay.status).toBe(400);
    expect(await db().session.count({ where: { userId: user.id } })).toBe(1);
  });

  it("a recovery code works once instead of a code, and the log records its use", async () => {
    const user = await createUser();
    await startEnrolment({ id: user.id, phone: user.phone, email: null });
    const row = await db().twoFactor.findUniqueOrThrow({ where: { userId: user.id } });
    const { openSecret } = await import("~/modules/identity/secret-box.server");
    const enrolled = await confirmEnrolment(user.id, await currentTotpCode(openSecret(row.secret)));
    if (!enrolled.ok) throw new Error("enrolment failed");
    expect(enrolled.recoveryCodes).toHaveLength(RECOVERY_CODE_COUNT);
    expect(new Set(enrolled.recoveryCodes).size).toBe(RECOVERY_CODE_COUNT);
    // Stored as hashes only.
    const stored = await db().recoveryCode.findMany({ where: { userId: user.id } });
    expect(stored.map((r) => r.hash).join()).not.toContain(enrolled.recoveryCodes[0]!.replaceAll("-", ""));

    const recovery = enrolled.recoveryCodes[3]!;
    const first = await passwordStep(user.phone);
    const used = await run(
      secondStepAction,
      postAs(first.browser, `${origin}/login/two-factor`, { code: recovery.toUpperCase() }),
    );
    expect(used.status).toBe(302);
    const again = await passwordStep(user.phone);
    expect(
      (await run(secondStepAction, postAs(again.browser, `${origin}/login/two-factor`, { code: recovery }))).status,
    ).toBe(400);
    const log = await events(user.id);
    expect(log.map((e) => e.type)).toContain("recovery_code_used");
    expect(log.find((e) => e.type === "recovery_code_used")!.detail).toEqual({ left: RECOVERY_CODE_COUNT - 1 });
  });

  it(`ends the pending sign-in after ${PENDING_MAX_FAILURES} wrong codes, and limits wrong codes per account across sign-ins`, async () => {
    const user = await userWithTwoFactor();
    const { browser } = await passwordStep(user.phone);
    for (let i = 1; i < PENDING_MAX_FAILURES; i++) {
      expect(
        (await run(secondStepAction, postAs(browser, `${origin}/login/two-factor`, { code: "000000" }))).status,
      ).toBe(400);
    }
    const last = await run(secondStepAction, postAs(browser, `${origin}/login/two-factor`, { code: "000000" }));
    expect(last.status).toBe(302);
    expect(last.location).toBe("/login?expired=1");
    // Even the right code does nothing with that pending sign-in now.
    const late = await run(
      secondStepAction,
      postAs(browser, `${origin}/login/two-factor`, { code: await currentTotpCode(user.secret) }),
    );
    expect(late.location).toBe("/login");

    // A fresh pending sign-in from the same address: the account's wrong codes still count.
    const next = await passwordStep(user.phone);
    const limited = await run(
      secondStepAction,
      postAs(next.browser, `${origin}/login/two-factor`, { code: await currentTotpCode(user.secret) }),
    );
    expect(SECOND_FACTOR_LIMITS.pair.points).toBeLessThanOrEqual(PENDING_MAX_FAILURES);
    expect(limited.status).toBe(429);
    expect(await db().session.count({ where: { userId: user.id } })).toBe(0);
  });

  it("limits wrong codes per account across addresses, and lets the owner in again once the window has passed", async () => {
    const user = await userWithTwoFactor();
    const session = await signedIn(user.id, { secondFactorAt: null });
    const proved = async () => (await db().session.findFirstOrThrow({ where: { userId: user.id } })).secondFactorAt;
    const reauthFrom = async (address: string, code: string) => {
      const request = postAs(session, `${origin}/reauthenticate`, { code });
      request.headers.set("x-peer-address", address);
      return run(reauthAction, request);
    };
    const { pair, account } = SECOND_FACTOR_LIMITS;
    expect(account.points).toBeGreaterThan(pair.points);
    // One address runs out of tries on its own: the right code from there is refused.
    for (let i = 0; i < pair.points; i++) expect((await reauthFrom("10.7.0.1", "000000")).status).toBe(400);
    expect((await reauthFrom("10.7.0.1", await currentTotpCode(user.secret))).status).toBe(429);
    // Other addresses fail until the account's limit is used up; then every address is refused.
    for (let i = pair.points; i < account.points; i++)
      expect((await reauthFrom(`10.7.1.${i}`, "000000")).status).toBe(400);
    const refused = await reauthFrom("10.7.2.1", await currentTotpCode(user.secret));
    expect(refused.status).toBe(429);
    expect(JSON.stringify(refused.data)).toContain("security.errors.tooMany");
    expect(await proved()).toBeNull();

    vi.setSystemTime(new Date(Date.now() + account.windowSeconds * 1000 + 1_000));
    const after = await reauthFrom("10.7.2.1", await currentTotpCode(user.secret));
    expect(after.status).toBe(302);
    expect(await proved()).not.toBeNull();
  });

  it("a password reset of an account with two-step verification leads to the code step, not into a session", async () => {
    const user = await userWithTwoFactor();
    const token = "t".repeat(43);
    await db().passwordResetToken.create({
      data: { id: hashToken(token), userId: user.id, expiresAt: new Date(Date.now() + 600_000) },
    });
    const browser = await anonymous();
    const reset = await run(
      resetAction,
      postAs(browser, `${origin}/reset-password`, { token, password: "a-new-password-1" }),
    );
    expect(reset.status).toBe(302);
    expect(reset.location).toBe("/login/two-factor");
    expect(reset.headers!.get("Set-Cookie")).toMatch(/^sid_pending=/);
    expect(await db().session.count({ where: { userId: user.id } })).toBe(0);
    expect((await events(user.id)).map((e) => e.type)).toEqual(["password_changed"]);
  });

  it("an unlock link with the password also leads to the code step, not into a session", async () => {
    const user = await userWithTwoFactor();
    const token = "u".repeat(43);
    await db().accountUnlockToken.create({
      data: { id: hashToken(token), userId: user.id, expiresAt: new Date(Date.now() + 600_000) },
    });
    const browser = await anonymous();
    const opened = await run(unlockAction, postAs(browser, `${origin}/unlock`, { token, password: TEST_PASSWORD }));
    expect(opened.status).toBe(302);
    expect(opened.location).toBe("/login/two-factor");
    expect(opened.headers!.get("Set-Cookie")).toMatch(/^sid_pending=/);
    expect(await db().session.count({ where: { userId: user.id } })).toBe(0);
  });
});

describe("platform admins must have two-step verification", () => {
  it("sends an admin without it to set it up; after a QR code, the key and a first code, /platform opens and the recovery codes show once", async () => {
    const admin = await createUser();
    await db().user.update({ where: { id: admin.id }, data: { isPlatformAdmin: true } });
    const other = await signedIn(admin.id, { secondFactorAt: null });
    const session = await signedIn(admin.id, { secondFactorAt: null });

    const refused = await run(platformLoader, getAs(session, `${origin}/platform`));
    expect(refused.status).toBe(302);
    expect(refused.location).toBe("/account/two-factor?required=platform&redirectTo=%2Fplatform");

    const page = `${origin}/account/two-factor?required=platform&redirectTo=%2Fplatform`;
    expect((await run(enrolAction, postAs(session, page, { intent: "start" }))).status).toBe(302);
    const shown = await run(enrolLoader, getAs(session, page));
    const data = shown.data as unknown as {
      enrolment: { qr: string; manualKey: string };
      required: string;
      redirectTo: string;
    };
    expect(data.required).toBe("platform");
    expect(data.enrolment.qr).toContain("<svg");
    const secret = data.enrolment.manualKey.replaceAll(" ", "");
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    // The secret is not stored as it is shown.
    expect((await db().twoFactor.findUniqueOrThrow({ where: { userId: admin.id } })).secret).not.toContain(secret);

    const wrong = await run(enrolAction, postAs(session, page, { intent: "confirm", code: "123456" }));
    expect(wrong.status).toBe(400);
    const confirmed = await run(
      enrolAction,
      postAs(session, page, { intent: "confirm", code: await currentTotpCode(secret) }),
    );
    expect(confirmed.status).toBe(200);
    const reply = confirmed.data as unknown as { form: string; recoveryCodes: string[]; redirectTo: string };
    expect(reply.form).toBe("codes");
    expect(reply.recoveryCodes).toHaveLength(10);
    expect(reply.redirectTo).toBe("/platform");
    // Shown once: the page afterwards has no codes and no secret.
    expect(JSON.stringify((await run(enrolLoader, getAs(session, page))).data)).not.toContain(reply.recoveryCodes[0]);

    expect((await run(platformLoader, getAs(session, `${origin}/platform`))).status).toBe(200);
    // Turning it on signed the admin's other devices out.
    expect((await run(platformLoader, getAs(other, `${origin}/platform`))).status).toBe(302);
    expect((await events(admin.id)).map((e) => e.type)).toContain("totp_enabled");
    // And an admin cannot turn it off.
    nextStep();
    const off = await run(
      enrolAction,
      postAs(session, page, { intent: "disable", code: await currentTotpCode(secret) }),
    );
    expect(off.status).toBe(403);
    expect(await db().twoFactor.count({ where: { userId: admin.id, enabledAt: { not: null } } })).toBe(1);
  });

  it("an owner may turn it off with the password; a wrong password changes nothing", async () => {
    const owner = await userWithTwoFactor();
    const session = await signedIn(owner.id);
    const page = `${origin}/account/two-factor`;
    expect(
      (await run(enrolAction, postAs(session, page, { intent: "disable", password: "not-the-password" }))).status,
    ).toBe(400);
    expect(await db().twoFactor.count({ where: { userId: owner.id } })).toBe(1);
    const off = await run(enrolAction, postAs(session, page, { intent: "disable", password: TEST_PASSWORD }));
    expect(off.status).toBe(302);
    expect(await db().twoFactor.count({ where: { userId: owner.id } })).toBe(0);
    expect((await events(owner.id)).map((e) => e.type)).toEqual(["totp_disabled"]);
  });
});

describe("money wants a fresh second factor", () => {
  it("refuses a payout without a code in the last minutes, asks for one and comes back; with it the payout is recorded and logged", async () => {
    const team = await shopWithTeam();
    await db().ledgerEntry.create({
      data: { shopId: team.shop.id, kind: "SALE", amountFen: 10_000, dedupeKey: `test:${team.shop.id}` },
    });
    const admin = await createUser({ isPlatformAdmin: true });
    const stale = await signedIn(admin.id, { secondFactorAt: new Date(Date.now() - 30 * 60_000) });
    const url = `${origin}/platform/payouts/${team.shop.slug}`;
    const fields = {
      intent: "bank",
      amount: "50.00",
      reference: "ABC-1",
      from: "2027-02-01",
      to: "2027-02-28",
      key: "a".repeat(24),
    };

    const refused = await run(payoutAction, postAs(stale, url, fields), { shop: team.shop.slug });
    expect(refused.status).toBe(302);
    expect(refused.location).toBe(
      `/reauthenticate?redirectTo=${encodeURIComponent(`/platform/payouts/${team.shop.slug}`)}`,
    );
    expect(await db().payout.count({ where: { shopId: team.shop.id } })).toBe(0);

    const wrong = await run(reauthAction, postAs(stale, `${origin}${refused.location}`, { code: "999999" }));
    expect(wrong.status).toBe(400);
    const reauth = await run(
      reauthAction,
      postAs(stale, `${origin}${refused.location}`, { code: await currentTotpCode(admin.totpSecret!) }),
    );
    expect(reauth.status).toBe(302);
    expect(reauth.location).toBe(`/platform/payouts/${team.shop.slug}`);

    const recorded = await run(payoutAction, postAs(stale, url, fields), { shop: team.shop.slug });
    expect(recorded.status).toBe(302);
    expect(recorded.location).toContain("done=bank");
    expect(await db().payout.count({ where: { shopId: team.shop.id } })).toBe(1);
    const log = await events(admin.id);
    expect(log.map((e) => e.type)).toEqual(["sign_in_failed", "reauthenticated", "payout_recorded"]);
    expect(log[2]!.detail).toMatchObject({ method: "BANK_TRANSFER", amountFen: 5000, reference: "ABC-1" });

    // Past REAUTH_MINUTES it asks again.
    vi.setSystemTime(new Date(Date.now() + 11 * 60_000));
    const later = await run(payoutAction, postAs(stale, url, { ...fields, key: "b".repeat(24) }), {
      shop: team.shop.slug,
    });
    expect(later.location).toMatch(/^\/reauthenticate\?/);
    expect(await db().payout.count({ where: { shopId: team.shop.id } })).toBe(1);
  });

  it("an owner without two-step verification is sent to set it up before changing the payout account; nothing changes", async () => {
    const team = await shopWithTeam();
    const url = `${origin}/admin/${team.shop.slug}/money`;
    const result = await run(
      moneyAction as never,
      postAs(team.owner.session, url, { intent: "payoutAccount", payoutAccount: "农业银行 6228" }),
      {
        shop: team.shop.slug,
      },
    );
    expect(result.status).toBe(302);
    expect(result.location).toBe(
      `/account/two-factor?required=money&redirectTo=${encodeURIComponent(`/admin/${team.shop.slug}/money`)}`,
    );
    expect((await db().shop.findUniqueOrThrow({ where: { id: team.shop.id } })).payoutAccount).toBeNull();

    await enableTwoFactor(team.owner.id);
    const fresh = await signedIn(team.owner.id);
    const saved = await run(
      moneyAction as never,
      postAs(fresh, url, { intent: "payoutAccount", payoutAccount: "农业银行 6228" }),
      {
        shop: team.shop.slug,
      },
    );
    expect(saved.status).toBe(302);
    expect((await db().shop.findUniqueOrThrow({ where: { id: team.shop.id } })).payoutAccount).toBe("农业银行 6228");
    const log = await db().securityEvent.findMany({ where: { subjectShopId: team.shop.id } });
    expect(log.map((e) => [e.type, e.userId])).toEqual([["bank_details_changed", team.owner.id]]);
  });
});

describe("the security log", () => {
  it("is readable by platform admins only, filtered by type, user and day", async () => {
    const someone = await createUser();
    await passwordStep(someone.phone);
    const nobody = await signedIn(someone.id);
    expect((await run(securityLoader, getAs(nobody, `${origin}/platform/security`))).status).toBe(403);

    const admin = await createUser({ isPlatformAdmin: true });
    const session = await signedIn(admin.id);
    type Page = { events: { type: string; userId: string | null; ip: string | null; at: string }[]; invalid: boolean };
    const all = (await run(securityLoader, getAs(session, `${origin}/platform/security`))).data as unknown as Page;
    expect(all.events.some((e) => e.type === "sign_in" && e.userId === someone.id)).toBe(true);

    const byUser = (
      await run(securityLoader, getAs(session, `${origin}/platform/security?user=${someone.phone}&type=sign_in`))
    ).data as unknown as Page;
    expect(byUser.events.length).toBeGreaterThan(0);
    expect(byUser.events.every((e) => e.userId === someone.id && e.type === "sign_in")).toBe(true);

    const otherDay = (
      await run(securityLoader, getAs(session, `${origin}/platform/security?from=2027-01-01&to=2027-01-31`))
    ).data as unknown as Page;
    expect(otherDay.events).toEqual([]);
    const bad = (await run(securityLoader, getAs(session, `${origin}/platform/security?type=nonsense&from=2027-13-45`)))
      .data as unknown as Page;
    expect(bad.invalid).toBe(true);
    // Page numbers are decimal digits: "0x2" is no page 2.
    const hex = (await run(securityLoader, getAs(session, `${origin}/platform/security?page=0x2`)))
      .data as unknown as Page;
    expect(hex.invalid).toBe(true);
  });

  it("keeps 180 days: the worker's retention deletes older entries and keeps the rest", async () => {
    const user = await createUser();
    const day = 86_400_000;
    await db().securityEvent.createMany({
      data: [
        { type: "sign_in", userId: user.id, createdAt: new Date(Date.now() - 181 * day) },
        { type: "sign_in", userId: user.id, createdAt: new Date(Date.now() - 179 * day) },
      ],
    });
    const result = await securityRetention(new Date());
    expect(result.securityEvents).toBeGreaterThanOrEqual(1);
    const left = await db().securityEvent.findMany({ where: { userId: user.id } });
    expect(left).toHaveLength(1);
    expect(left[0]!.createdAt.getTime()).toBe(Date.now() - 179 * day);
  });
});
