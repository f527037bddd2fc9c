import { generateTOTP, getTOTPAuthUri, verifyTOTP } from "@epic-web/totp";

// Time-based one-time codes (RFC 6238) as authenticator apps make them: SHA-1, six digits,
// 30-second steps. A code is accepted one step early or late (clock drift of ±30 s); the
// step it matched is returned so that the caller can refuse a second use of it.

export const TOTP = { period: 30, digits: 6, algorithm: "SHA-1", charSet: "0123456789", window: 1 } as const;

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** A new secret: 160 random bits (RFC 4226's recommended length), base32 without padding. */
export function newTotpSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(20));
  let bits = 0;
  let value = 0;
  let out = "";
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/** The secret as people type it into an app by hand: groups of four. */
export function groupedSecret(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, "$1 ");
}

/** The otpauth:// address a QR code carries. The issuer comes from configuration, never from the request. */
export function totpUri({
  secret,
  accountName,
  issuer,
}: {
  secret: string;
  accountName: string;
  issuer: string;
}): string {
  return getTOTPAuthUri({
    secret,
    accountName,
    issuer,
    period: TOTP.period,
    digits: TOTP.digits,
    algorithm: TOTP.algorithm,
  });
}

/** The 30-second step a moment falls in. */
export function totpStep(at: Date | number = Date.now()): number {
  return Math.floor(Number(at) / 1000 / TOTP.period);
}

/** The code an app shows now (tests and the end-to-end admin use it). */
export async function currentTotpCode(secret: string): Promise<string> {
  const { otp } = await generateTOTP({
    secret,
    period: TOTP.period,
    digits: TOTP.digits,
    algorithm: TOTP.algorithm,
    charSet: TOTP.charSet,
  });
  return otp;
}

/** Only digits, spaces dropped ("123 456" is how some apps show it). */
export function normaliseTotpInput(input: string): string | null {
  const code = input.replace(/[\s-]/g, "");
  return /^[0-9]{6}$/.test(code) ? code : null;
}

/**
 * The step the code belongs to (now, one before or one after), or null when it is none of
 * them. Replays are the caller's to refuse (compare with the last step used).
 */
export async function matchTotpCode(secret: string, input: string): Promise<number | null> {
  const code = normaliseTotpInput(input);
  if (!code) return null;
  const now = Date.now();
  const match = await verifyTOTP({
    otp: code,
    secret,
    period: TOTP.period,
    digits: TOTP.digits,
    algorithm: TOTP.algorithm,
    charSet: TOTP.charSet,
    window: TOTP.window,
  });
  // verifyTOTP reads the clock itself; the same millisecond's step is the base of its delta.
  return match ? totpStep(now) + match.delta : null;
}
