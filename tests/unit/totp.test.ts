import { afterEach, describe, expect, it, vi } from "vitest";
import { resetEnv } from "~/env.server";
import { openSecret, sealSecret } from "~/modules/identity/secret-box.server";
import {
  currentTotpCode,
  matchTotpCode,
  newTotpSecret,
  normaliseTotpInput,
  totpStep,
  totpUri,
} from "~/modules/identity/totp";
import { normaliseRecoveryCode } from "~/modules/identity/two-factor.server";

// TOTP as authenticator apps compute it (RFC 6238), the drift it tolerates, and the step it
// reports so that a used code can be refused (the database keeps the last step used).

const RFC_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"; // "12345678901234567890", RFC 6238's SHA-1 key

afterEach(() => {
  vi.useRealTimers();
  delete process.env.TWO_FACTOR_KEY;
  resetEnv();
});

function at(iso: string | number) {
  vi.useFakeTimers({ toFake: ["Date"], now: new Date(iso) });
}

describe("TOTP codes", () => {
  it("matches RFC 6238's SHA-1 test vectors (six digits)", async () => {
    at(0);
    for (const [time, code] of [
      [59, "287082"],
      [1111111109, "081804"],
      [1234567890, "005924"],
      [2000000000, "279037"],
    ] as const) {
      vi.setSystemTime(time * 1000);
      expect(await currentTotpCode(RFC_SECRET)).toBe(code);
    }
  });

  it("accepts the code of the step before and after (±30 s of drift), not two steps away", async () => {
    const secret = newTotpSecret();
    at("2027-03-01T02:00:05Z");
    const step = totpStep();
    const code = await currentTotpCode(secret);
    expect(await matchTotpCode(secret, code)).toBe(step);
    vi.setSystemTime(new Date(Date.now() + 30_000)); // the phone is a step behind
    expect(await matchTotpCode(secret, code)).toBe(step);
    vi.setSystemTime(new Date(Date.now() - 60_000)); // a step ahead
    expect(await matchTotpCode(secret, code)).toBe(step);
    vi.setSystemTime(new Date(Date.now() + 90_000)); // two steps later
    expect(await matchTotpCode(secret, code)).toBeNull();
    vi.setSystemTime(new Date(Date.now() - 120_000)); // two steps earlier
    expect(await matchTotpCode(secret, code)).toBeNull();
  });

  it("reports which step matched, so a code of an earlier or the same step can be refused as a replay", async () => {
    const secret = newTotpSecret();
    at("2027-03-01T02:00:05Z");
    const first = await matchTotpCode(secret, await currentTotpCode(secret));
    vi.setSystemTime(new Date(Date.now() + 30_000));
    const second = await matchTotpCode(secret, await currentTotpCode(secret));
    expect(second).toBe(first! + 1);
  });

  it("refuses another secret's code, letters and the wrong length; allows spaces", async () => {
    at("2027-03-01T02:00:05Z");
    const secret = newTotpSecret();
    const code = await currentTotpCode(secret);
    expect(await matchTotpCode(newTotpSecret(), code)).toBeNull();
    expect(await matchTotpCode(secret, `${code.slice(0, 3)} ${code.slice(3)}`)).toBe(totpStep());
    expect(normaliseTotpInput("12345")).toBeNull();
    expect(normaliseTotpInput("12345a")).toBeNull();
    expect(normaliseTotpInput("1234567")).toBeNull();
  });

  it("makes 160-bit base32 secrets and an otpauth:// address with the configured issuer", () => {
    const secret = newTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(newTotpSecret()).not.toBe(secret);
    const uri = new URL(totpUri({ secret, accountName: "13800138000", issuer: "一村一品一店" }));
    expect(uri.protocol).toBe("otpauth:");
    expect(uri.host).toBe("totp");
    expect(decodeURIComponent(uri.pathname)).toBe("/一村一品一店:13800138000");
    expect(uri.searchParams.get("secret")).toBe(secret);
    expect(uri.searchParams.get("issuer")).toBe("一村一品一店");
    expect(uri.searchParams.get("algorithm")).toBe("SHA1");
    expect(uri.searchParams.get("digits")).toBe("6");
    expect(uri.searchParams.get("period")).toBe("30");
  });

  it("reads recovery codes whatever the case, spaces and dashes", () => {
    expect(normaliseRecoveryCode("ABCD-efgh jkmn-pqrs")).toBe("abcdefghjkmnpqrs");
    expect(normaliseRecoveryCode("abcd-efgh")).toBeNull();
    expect(normaliseRecoveryCode("123456")).toBeNull();
  });
});

describe("sealed secrets", () => {
  it("with TWO_FACTOR_KEY, stores ciphertext that opens only with that key and refuses a changed byte", () => {
    process.env.TWO_FACTOR_KEY = "k".repeat(40);
    resetEnv();
    const secret = newTotpSecret();
    const sealed = sealSecret(secret);
    expect(sealed).not.toContain(secret);
    expect(sealSecret(secret)).not.toBe(sealed); // a fresh IV each time
    expect(openSecret(sealed)).toBe(secret);
    const parts = sealed.split(".");
    parts[3] = `${parts[3]!.slice(0, -2)}${parts[3]!.endsWith("AA") ? "BB" : "AA"}`;
    expect(() => openSecret(parts.join("."))).toThrow();
    process.env.TWO_FACTOR_KEY = "x".repeat(40);
    resetEnv();
    expect(() => openSecret(sealed)).toThrow();
  });

  it("without a key, stores the secret marked as unsealed, and still opens it", () => {
    const secret = newTotpSecret();
    const stored = sealSecret(secret);
    expect(stored.startsWith("plain.")).toBe(true);
    expect(openSecret(stored)).toBe(secret);
  });
});
