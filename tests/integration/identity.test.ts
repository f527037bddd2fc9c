import { describe, expect, it } from "vitest";
import { db } from "~/db/index.server";
import { signIn } from "~/modules/identity/accounts.server";
import { action as loginAction } from "~/routes/login";
import { action as logoutAction } from "~/routes/logout";
import { action as forgotAction } from "~/routes/forgot-password";
import { action as resetAction, loader as resetLoader } from "~/routes/reset-password";
import { action as signupAction } from "~/routes/signup";
import { loader as adminLoader } from "~/routes/admin";
import { createUser, getAs, postAs, run, signedIn, TEST_PASSWORD } from "../support/auth";
import { csrfCookie } from "~/modules/identity/cookies.server";

async function anonymous() {
  const csrf = "x".repeat(43);
  return { cookie: (await csrfCookie.serialize(csrf)).split(";")[0]!, csrf };
}

function cookieFrom(headers: Headers | null) {
  return headers?.get("Set-Cookie")?.split(";")[0] ?? "";
}

describe("accounts and sessions", () => {
  it("signs up with a mobile number, stores an argon2id hash and starts an httpOnly session", async () => {
    const browser = await anonymous();
    const result = await run(
      signupAction,
      postAs(browser, "http://localhost/signup", {
        name: "王阿姨",
        identifier: "+86 139-0000-1111",
        password: "peaches-2027",
      }),
    );
    expect(result.status).toBe(302);
    expect(result.location).toBe("/admin");
    const setCookie = result.headers!.get("Set-Cookie")!;
    expect(setCookie).toMatch(/^sid=/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    const user = await db().user.findUnique({ where: { phone: "13900001111" }, include: { password: true } });
    expect(user!.password!.hash).toMatch(/^\$argon2id\$/);
    expect(user!.password!.hash).not.toContain("peaches-2027");
  });

  it("refuses a taken identifier and a short password with field errors, creating nothing", async () => {
    const existing = await createUser();
    const browser = await anonymous();
    const taken = await run(
      signupAction,
      postAs(browser, "http://localhost/signup", { name: "x", identifier: existing.phone, password: "long-enough-1" }),
    );
    expect(taken.status).toBe(200);
    expect(JSON.stringify(taken.data)).toContain("auth.errors.identifierTaken");
    const short = await run(
      signupAction,
      postAs(browser, "http://localhost/signup", { name: "x", identifier: "someone@example.cn", password: "short" }),
    );
    expect(JSON.stringify(short.data)).toContain("auth.errors.passwordShort");
    expect(await db().user.findUnique({ where: { email: "someone@example.cn" } })).toBeNull();
  });

  it("refuses every form without this browser's CSRF token", async () => {
    const browser = await anonymous();
    const forged = postAs(
      browser,
      "http://localhost/signup",
      { name: "x", identifier: "forged@example.cn", password: "long-enough-1" },
      { csrf: false },
    );
    expect((await run(signupAction, forged)).status).toBe(403);
    const otherToken = postAs({ ...browser, csrf: "y".repeat(43) }, "http://localhost/login", {
      identifier: "forged@example.cn",
      password: "x",
    });
    expect((await run(loginAction, otherToken)).status).toBe(403);
    const crossSite = new Request("http://localhost/logout", {
      method: "POST",
      body: new URLSearchParams({ csrf: browser.csrf }),
      headers: {
        Cookie: browser.cookie,
        Origin: "https://evil.example",
        "Content-Type": "application/x-www-form-urlencoded",
      },
    });
    expect((await run(logoutAction, crossSite)).status).toBe(403);
    expect(await db().user.findUnique({ where: { email: "forged@example.cn" } })).toBeNull();
  });

  it("gives a fresh session id at each sign-in and ends the old one", async () => {
    const user = await createUser();
    const planted = await signedIn(user.id);
    const result = await run(
      loginAction,
      postAs(planted, "http://localhost/login", {
        identifier: user.phone,
        password: TEST_PASSWORD,
        redirectTo: "/admin/x",
      }),
    );
    expect(result.status).toBe(302);
    expect(result.location).toBe("/admin/x");
    const fresh = cookieFrom(result.headers);
    expect(fresh).not.toBe(planted.cookie.split("; ")[0]);
    // The planted cookie no longer signs anyone in.
    expect((await run(adminLoader, getAs(planted, "http://localhost/admin"))).status).toBe(302);
    expect((await run(adminLoader, new Request("http://localhost/admin", { headers: { Cookie: fresh } }))).status).toBe(
      200,
    );
  });

  it("never redirects off-site after sign-in", async () => {
    const user = await createUser();
    const browser = await anonymous();
    const result = await run(
      loginAction,
      postAs(browser, "http://localhost/login", {
        identifier: user.phone,
        password: TEST_PASSWORD,
        redirectTo: "//evil.example/x",
      }),
    );
    expect(result.location).toBe("/admin");
  });

  it("sends signed-out visitors of /admin to /login and back", async () => {
    const result = await run(adminLoader, new Request("http://localhost/admin/some-shop/products?page=2"));
    expect(result.status).toBe(302);
    expect(result.location).toBe(`/login?redirectTo=${encodeURIComponent("/admin/some-shop/products?page=2")}`);
  });

  // Limits and lockout: tests/integration/sign-in-limits.test.ts.

  it("signs out here, or everywhere", async () => {
    const user = await createUser();
    const phone = await signedIn(user.id);
    const laptop = await signedIn(user.id);
    expect((await run(logoutAction, postAs(phone, "http://localhost/logout", {}))).status).toBe(302);
    expect((await run(adminLoader, getAs(phone, "http://localhost/admin"))).status).toBe(302);
    expect((await run(adminLoader, getAs(laptop, "http://localhost/admin"))).status).toBe(200);
    const tablet = await signedIn(user.id);
    await run(logoutAction, postAs(tablet, "http://localhost/logout", { everywhere: "1" }));
    expect((await run(adminLoader, getAs(laptop, "http://localhost/admin"))).status).toBe(302);
    expect(await db().session.count({ where: { userId: user.id } })).toBe(0);
  });

  it("resets a password through a one-time link sent by the notification transport", async () => {
    const user = await createUser();
    const other = await signedIn(user.id);
    const browser = await anonymous();
    await run(forgotAction, postAs(browser, "http://localhost/forgot-password", { identifier: user.phone }));
    // Unknown accounts get the same answer and no message.
    const unknown = await run(
      forgotAction,
      postAs(browser, "http://localhost/forgot-password", { identifier: "13700000000" }),
    );
    expect(unknown.data).toMatchObject({ sent: true });
    expect(await db().notification.count({ where: { recipient: "13700000000" } })).toBe(0);

    const message = await db().notification.findFirstOrThrow({
      where: { recipient: user.phone, template: "password-reset" },
    });
    expect(message.status).toBe("DONE");
    const link = new URL((message.payload as { url: string }).url);
    expect(link.pathname).toBe("/reset-password");
    const token = link.searchParams.get("token")!;
    expect((await run(resetLoader, new Request(link))).data).toMatchObject({ usable: true });

    const done = await run(
      resetAction,
      postAs(browser, "http://localhost/reset-password", { token, password: "a-brand-new-secret" }),
    );
    expect(done.status).toBe(302);
    expect(await signIn({ identifier: user.phone, password: "a-brand-new-secret", ip: "10.4.0.1" })).toMatchObject({
      ok: true,
    });
    expect(await signIn({ identifier: user.phone, password: TEST_PASSWORD, ip: "10.4.0.1" })).toMatchObject({
      ok: false,
    });
    // Other devices were signed out; the link works once.
    expect((await run(adminLoader, getAs(other, "http://localhost/admin"))).status).toBe(302);
    const again = await run(
      resetAction,
      postAs(browser, "http://localhost/reset-password", { token, password: "yet-another-secret" }),
    );
    expect(again.data).toMatchObject({ expired: true });
  });
});
