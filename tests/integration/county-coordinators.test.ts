import { spawn } from "node:child_process";
import { beforeAll, describe, expect, it } from "vitest";
import { db, unscopedDb } from "~/db/index.server";
import { createI18n } from "~/lib/i18n.server";
import { signUp } from "~/modules/identity/accounts.server";
import { verifyPassword } from "~/modules/identity/password.server";
import { loader as admincHomeLoader } from "~/routes/admin._index";
import { loader as countyHomeLoader } from "~/routes/county._index";
import { loader as countyLayoutLoader } from "~/routes/county.$code";
import { action as countiesAction, loader as countiesLoader } from "~/routes/platform.counties";
import { createUser, getAs, postAs, run, signedIn, TEST_PASSWORD, type Session } from "../support/auth";
import { serverUrl, withDatabase } from "../support/database";
import { createCounty } from "./shops-fixtures";

// Appointing county coordinators (issue #11): the platform admin appoints an existing account by
// mobile or email on /platform/counties and removes it again, each change logged as
// "role_changed"; bad requests change nothing; /county sends a coordinator to their county; and
// the operators' `npm run county:coordinator`.

const URL_COUNTIES = "http://localhost/platform/counties";
let countyA: { id: string; code: string };
let countyB: { id: string; code: string };
let admin: Session;
let adminId: string;
let person: { id: string; phone: string };
let personSession: Session;
let emailUserId: string;
const EMAIL = `coord-${Date.now()}@example.com`;

async function snapshot() {
  const [coordinators, events] = await Promise.all([
    db().countyCoordinator.findMany({ orderBy: { id: "asc" } }),
    db().securityEvent.count({ where: { type: "role_changed" } }),
  ]);
  return JSON.stringify({ coordinators, events });
}

const appoint = (session: Session | null, county: string, identifier: string, opts: { csrf?: boolean } = {}) =>
  run(countiesAction, postAs(session, URL_COUNTIES, { intent: "appointCoordinator", county, identifier }, opts));

async function coordinatorsOf(countyId: string) {
  return (await db().countyCoordinator.findMany({ where: { countyId }, select: { userId: true } })).map(
    (r) => r.userId,
  );
}

beforeAll(async () => {
  countyA = await createCounty("320211");
  countyB = await createCounty("320213");
  const a = await createUser({ name: "平台管理员", isPlatformAdmin: true });
  adminId = a.id;
  admin = await signedIn(a.id);
  person = await createUser({ name: "县协调员" });
  personSession = await signedIn(person.id);
  const made = await signUp({ identifier: EMAIL, password: TEST_PASSWORD, name: "邮箱用户", locale: "zh-CN" });
  if (!made.ok) throw new Error(made.error);
  emailUserId = made.userId;
});

describe("appointing on /platform/counties", () => {
  it("appoints by mobile, logs role_changed, and lists the coordinator with the mobile masked", async () => {
    const before = await db().securityEvent.count({ where: { type: "role_changed", userId: adminId } });
    const res = await appoint(admin, countyA.code, person.phone);
    expect(res).toMatchObject({ status: 302, location: "/platform/counties?appointed=1" });
    expect(await coordinatorsOf(countyA.id)).toEqual([person.id]);
    expect(await db().securityEvent.count({ where: { type: "role_changed", userId: adminId } })).toBe(before + 1);

    const page = await run(countiesLoader, getAs(admin, URL_COUNTIES));
    const list = (page.data as unknown as { coordinators: Record<string, { contact: string; name: string }[]> })
      .coordinators[countyA.id]!;
    const masked = `${person.phone.slice(0, 3)}****${person.phone.slice(7)}`;
    expect(list).toEqual([expect.objectContaining({ contact: masked, name: "县协调员" })]);
    expect(JSON.stringify(page.data)).not.toContain(person.phone);
  });

  it("appoints by email, written in any case", async () => {
    const res = await appoint(admin, countyB.code, EMAIL.toUpperCase());
    expect(res.status).toBe(302);
    expect(await coordinatorsOf(countyB.id)).toEqual([emailUserId]);
  });

  it("refuses an unknown account, a second appointment, bad input and a missing CSRF token, changing nothing", async () => {
    const [zh, en] = await Promise.all([createI18n("zh-CN"), createI18n("en")]);
    const before = await snapshot();
    const cases: [Awaited<ReturnType<typeof appoint>>, string][] = [
      [await appoint(admin, countyA.code, "13700000000"), "coordinators.errors.noAccount"],
      [await appoint(admin, countyA.code, "nobody@example.com"), "coordinators.errors.noAccount"],
      [await appoint(admin, countyA.code, person.phone), "coordinators.errors.already"],
      [await appoint(admin, countyA.code, "not a phone"), "coordinators.errors.identifierInvalid"],
      [await appoint(admin, countyA.code, ""), "coordinators.errors.identifierInvalid"],
      [await appoint(admin, "999999", person.phone), "coordinators.errors.countyUnknown"],
      [await appoint(admin, "abc", person.phone), "coordinators.errors.countyUnknown"],
    ];
    for (const [res, key] of cases) {
      expect(res.status).toBe(400);
      expect((res.data as unknown as { coordinator: { error: string } }).coordinator.error).toBe(key);
      expect(zh.t(key)).not.toBe(key);
      expect(en.t(key)).not.toBe(key);
    }
    const noCsrf = await appoint(admin, countyA.code, EMAIL, { csrf: false });
    expect(noCsrf.status).toBe(403);
    expect(await snapshot()).toBe(before);
  });

  it("refuses anyone but a platform admin, and the signed out", async () => {
    const before = await snapshot();
    const other = await signedIn((await createUser()).id);
    expect((await appoint(other, countyA.code, EMAIL)).status).toBe(403);
    expect((await appoint(personSession, countyA.code, EMAIL)).status).toBe(403);
    expect((await run(countiesLoader, getAs(personSession, URL_COUNTIES))).status).toBe(403);
    const signedOut = await run(countiesLoader, getAs(null, URL_COUNTIES));
    expect(signedOut.status).toBe(302);
    expect(await snapshot()).toBe(before);
  });
});

describe("/county", () => {
  it("sends a coordinator of one county to its dashboard, and shows the link on /admin", async () => {
    const res = await run(countyHomeLoader, getAs(personSession, "http://localhost/county"));
    expect(res).toMatchObject({ status: 302, location: `/county/${countyA.code}` });
    const home = await run(admincHomeLoader, getAs(personSession, "http://localhost/admin"));
    expect((home.data as unknown as { coordinatesCounty: boolean }).coordinatesCounty).toBe(true);
  });

  it("lists the counties of a coordinator of several", async () => {
    await db().countyCoordinator.create({ data: { countyId: countyB.id, userId: person.id } });
    try {
      const res = await run(countyHomeLoader, getAs(personSession, "http://localhost/county"));
      expect(res.status).toBe(200);
      const codes = (res.data as unknown as { counties: { code: string }[] }).counties.map((c) => c.code);
      expect(codes).toEqual([countyA.code, countyB.code]);
    } finally {
      await db().countyCoordinator.deleteMany({ where: { countyId: countyB.id, userId: person.id } });
    }
  });

  it("sends the signed out to sign in; others get 403, a platform admin 404", async () => {
    const out = await run(countyHomeLoader, getAs(null, "http://localhost/county"));
    expect(out.status).toBe(302);
    expect(out.location).toContain("/login");
    const other = await signedIn((await createUser()).id);
    expect((await run(countyHomeLoader, getAs(other, "http://localhost/county"))).status).toBe(403);
    expect((await run(countyHomeLoader, getAs(admin, "http://localhost/county"))).status).toBe(404);
  });
});

describe("removing", () => {
  it("removes with CSRF only, logs role_changed, and the county's pages close to the removed", async () => {
    const remove = (opts: { csrf?: boolean } = {}) =>
      run(
        countiesAction,
        postAs(admin, URL_COUNTIES, { intent: "removeCoordinator", county: countyA.code, userId: person.id }, opts),
      );
    const before = await snapshot();
    expect((await remove({ csrf: false })).status).toBe(403);
    expect(await snapshot()).toBe(before);

    const events = await db().securityEvent.count({ where: { type: "role_changed", userId: adminId } });
    expect(await remove()).toMatchObject({ status: 302, location: "/platform/counties?removed=1" });
    expect(await coordinatorsOf(countyA.id)).toEqual([]);
    expect(await db().securityEvent.count({ where: { type: "role_changed", userId: adminId } })).toBe(events + 1);
    expect((await remove()).status).toBe(404);

    const layout = await run(
      countyLayoutLoader,
      getAs(personSession, `http://localhost/county/${countyA.code}/logistics`),
      {
        code: countyA.code,
      },
    );
    expect(layout.status).toBe(403);
  });
});

const onServer = Boolean(serverUrl());
describe.skipIf(!onServer)("npm run county:coordinator", () => {
  async function cli(args: string[]) {
    const [row] = await unscopedDb().$queryRaw<{ db: string }[]>`SELECT current_database() AS db`;
    const proc = spawn(process.execPath, ["--import", "tsx", "scripts/county-coordinator.ts", ...args], {
      env: { ...process.env, DATABASE_URL: withDatabase(serverUrl()!, row!.db), LANG: "en_US.UTF-8" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    proc.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
    proc.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
    const code = await new Promise<number | null>((resolve) => proc.on("exit", resolve));
    return { code, stdout, stderr };
  }

  it("appoints an existing account, and a second time says already", async () => {
    const first = await cli([EMAIL, "--county", countyA.code]);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("is now a coordinator");
    expect(await coordinatorsOf(countyA.id)).toContain(emailUserId);
    const again = await cli([EMAIL, "--county", countyA.code]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("already");
  }, 60_000);

  it("creates a missing account only with --password, hashed", async () => {
    const phone = `1370${String(Date.now()).slice(-7)}`;
    const missing = await cli([phone, "--county", countyB.code]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("--password");
    expect(await db().user.findUnique({ where: { phone } })).toBeNull();

    const made = await cli([phone, "--county", countyB.code, "--password", "long enough pw"]);
    expect(made.code).toBe(0);
    expect(made.stdout).toContain("Created");
    const user = await db().user.findUniqueOrThrow({ where: { phone }, include: { password: true } });
    expect(user.password!.hash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(user.password!.hash, "long enough pw")).toBe(true);
    expect(await coordinatorsOf(countyB.id)).toContain(user.id);
  }, 60_000);

  it("exits 2 with a clear message for an unknown county or bad usage", async () => {
    const before = await snapshot();
    const unknown = await cli([EMAIL, "--county", "999998"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('No county has the code "999998"');
    const usage = await cli([EMAIL]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("Usage");
    expect(await snapshot()).toBe(before);
  }, 60_000);
});
