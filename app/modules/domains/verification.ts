// What an owner adds to their domain's DNS to prove it is theirs (issue #9): a TXT record
// named _yicun-verify.<domain> whose value is yicun-verify=<the shop's token>. Shared by the
// server (the check) and the branding page (the instructions).

export const RECORD_LABEL = "_yicun-verify";
export const VALUE_PREFIX = "yicun-verify=";

/** The TXT record's name for a domain. */
export function verificationRecordName(domain: string): string {
  return `${RECORD_LABEL}.${domain}`;
}

/** The TXT record's value for a shop's token. */
export function verificationRecordValue(token: string): string {
  return `${VALUE_PREFIX}${token}`;
}

/** Why a check failed: no such record, a record with another value, DNS did not answer, or another shop verified the name first. */
export const CHECK_ERRORS = ["missing", "mismatch", "dns", "taken"] as const;
export type CheckError = (typeof CHECK_ERRORS)[number];

export function isCheckError(value: unknown): value is CheckError {
  return CHECK_ERRORS.includes(value as CheckError);
}
