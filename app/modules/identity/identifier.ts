import { z } from "zod";

// People sign in with a mainland mobile number or an email address.
export type Identifier = { kind: "phone"; value: string } | { kind: "email"; value: string };

const MOBILE = /^1[3-9]\d{9}$/;

/** Normalises "+86 138-0013-8000" to 13800138000 and emails to lower case; null when neither. */
export function parseIdentifier(input: string): Identifier | null {
  const raw = input.trim();
  if (raw.includes("@")) {
    const email = raw.toLowerCase();
    return z.string().email().max(254).safeParse(email).success ? { kind: "email", value: email } : null;
  }
  const digits = raw.replace(/[\s-]/g, "").replace(/^(\+?86)(?=1\d{10}$)/, "");
  return MOBILE.test(digits) ? { kind: "phone", value: digits } : null;
}

/** A zod field for forms: the message is an i18n key. */
export const identifierField = z
  .string({ required_error: "auth.errors.identifierRequired" })
  .trim()
  .min(1, "auth.errors.identifierRequired")
  .refine((value) => parseIdentifier(value) !== null, "auth.errors.identifierInvalid");

export const passwordField = z
  .string({ required_error: "auth.errors.passwordRequired" })
  .min(8, "auth.errors.passwordShort")
  .max(128, "auth.errors.passwordLong");
