import { data } from "@remix-run/node";
import type { RequestSource } from "~/modules/security/request-source.server";
import { recordSecurityEvent } from "~/modules/security/security-log.server";
import { checkSecondFactorLimit, recordSecondFactorFailure, tooManyCodesError } from "./second-factor-limit.server";
import { verifySecondFactor, type SecondFactorMethod } from "./two-factor.server";

export type SecondFactorProof =
  | { ok: true; method: SecondFactorMethod }
  | { ok: false; status: 400 | 429; error: string; retryAfterSeconds?: number };

/**
 * One attempt at the second factor (signing in, re-authenticating): refused while the wrong-code
 * limits hold; a wrong code counts against them and is logged as a failed sign-in, a recovery
 * code used is logged with how many are left.
 */
export async function proveSecondFactor({
  userId,
  code,
  source,
  purpose,
}: {
  userId: string;
  code: string;
  source: RequestSource;
  purpose: "signIn" | "reauthenticate";
}): Promise<SecondFactorProof> {
  if (!code.trim()) return { ok: false, status: 400, error: "security.errors.codeRequired" };
  const limit = await checkSecondFactorLimit({ userId, ip: source.ip });
  if (!limit.ok) {
    return {
      ok: false,
      status: 429,
      error: tooManyCodesError(limit.retryAfterSeconds),
      retryAfterSeconds: limit.retryAfterSeconds,
    };
  }
  const verified = await verifySecondFactor(userId, code);
  if (!verified.ok) {
    await recordSecondFactorFailure({ userId, ip: source.ip });
    await recordSecurityEvent({
      type: "sign_in_failed",
      userId,
      ...source,
      detail: { reason: purpose === "signIn" ? "secondFactor" : "reauthenticate" },
    });
    return { ok: false, status: 400, error: "security.errors.codeWrong" };
  }
  if (verified.method === "recovery") {
    await recordSecurityEvent({
      type: "recovery_code_used",
      userId,
      ...source,
      detail: { left: verified.recoveryCodesLeft ?? 0 },
    });
  }
  return { ok: true, method: verified.method };
}

/** A refused proof as the two-step pages answer it: the error to show, its status, Retry-After. */
export function secondFactorRefusal(proof: Extract<SecondFactorProof, { ok: false }>) {
  const headers: Record<string, string> = proof.retryAfterSeconds
    ? { "Retry-After": String(proof.retryAfterSeconds) }
    : {};
  return data({ error: proof.error }, { status: proof.status, headers });
}
