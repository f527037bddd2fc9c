import { db } from "~/db/index.server";
import { findUserByIdentifier, signUp } from "~/modules/identity/accounts.server";
import { parseIdentifier, passwordField } from "~/modules/identity/identifier";
import { recordSecurityEvent } from "~/modules/security/security-log.server";
import type { RequestSource } from "~/modules/security/request-source.server";

// County coordinators (issue #11): the platform admin appoints an existing account to a county
// (/platform/counties) or an operator does it with `npm run county:coordinator`; either way a
// "role_changed" security event records who did it.

/** 13800138000 → 138****8000, so the list does not show whole numbers. */
export function maskMobile(phone: string): string {
  return phone.length === 11 ? `${phone.slice(0, 3)}****${phone.slice(7)}` : phone;
}

export interface CoordinatorRow {
  userId: string;
  name: string | null;
  contact: string;
  appointedAt: string;
}

/** Coordinators of every county, keyed by county id, oldest appointment first. */
export async function listCoordinatorsByCounty(): Promise<Record<string, CoordinatorRow[]>> {
  const rows = await db().countyCoordinator.findMany({
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { countyId: true, createdAt: true, user: { select: { id: true, name: true, phone: true, email: true } } },
  });
  const byCounty: Record<string, CoordinatorRow[]> = {};
  for (const row of rows) {
    (byCounty[row.countyId] ??= []).push({
      userId: row.user.id,
      name: row.user.name,
      contact: row.user.phone ? maskMobile(row.user.phone) : (row.user.email ?? ""),
      appointedAt: row.createdAt.toISOString(),
    });
  }
  return byCounty;
}

export type AppointError =
  | "coordinators.errors.countyUnknown"
  | "coordinators.errors.identifierInvalid"
  | "coordinators.errors.noAccount"
  | "coordinators.errors.already";

export type AppointResult = { ok: true; userId: string; countyId: string } | { ok: false; error: AppointError };

/** Appoints the existing account with this mobile or email as coordinator of the county. */
export async function appointCoordinator(input: {
  countyCode: string;
  identifier: string;
  actorId: string | null;
  source?: RequestSource;
}): Promise<AppointResult> {
  const county = await findCounty(input.countyCode);
  if (!county) return { ok: false, error: "coordinators.errors.countyUnknown" };
  if (!parseIdentifier(input.identifier)) return { ok: false, error: "coordinators.errors.identifierInvalid" };
  const user = await findUserByIdentifier(input.identifier);
  if (!user) return { ok: false, error: "coordinators.errors.noAccount" };
  const created = await db().countyCoordinator.createMany({
    data: [{ countyId: county.id, userId: user.id }],
    skipDuplicates: true,
  });
  if (created.count === 0) return { ok: false, error: "coordinators.errors.already" };
  await recordSecurityEvent({
    type: "role_changed",
    userId: input.actorId,
    ...input.source,
    detail: { coordinator: user.id, county: county.code, from: null, to: "COUNTY_COORDINATOR" },
  });
  return { ok: true, userId: user.id, countyId: county.id };
}

/** Removes the account from the county's coordinators; false when it was not one. */
export async function removeCoordinator(input: {
  countyCode: string;
  userId: string;
  actorId: string | null;
  source?: RequestSource;
}): Promise<boolean> {
  const county = await findCounty(input.countyCode);
  if (!county) return false;
  const { count } = await db().countyCoordinator.deleteMany({ where: { countyId: county.id, userId: input.userId } });
  if (count === 0) return false;
  await recordSecurityEvent({
    type: "role_changed",
    userId: input.actorId,
    ...input.source,
    detail: { coordinator: input.userId, county: county.code, from: "COUNTY_COORDINATOR", to: null },
  });
  return true;
}

export type CliAppointResult =
  | { ok: true; created: boolean; already: boolean }
  | {
      ok: false;
      error:
        | "coordinators.errors.countyUnknown"
        | "coordinators.errors.identifierInvalid"
        | "coordinators.errors.noAccount"
        | "coordinators.cli.passwordInvalid";
    };

/**
 * The operators' command (scripts/county-coordinator.ts): with a password a missing account is
 * created first (signUp hashes it with argon2id); appointing twice is not an error.
 */
export async function appointCoordinatorFromCli(input: {
  identifier: string;
  countyCode: string;
  password?: string;
  locale: string;
}): Promise<CliAppointResult> {
  if (!(await findCounty(input.countyCode))) return { ok: false, error: "coordinators.errors.countyUnknown" };
  const identifier = parseIdentifier(input.identifier);
  if (!identifier) return { ok: false, error: "coordinators.errors.identifierInvalid" };
  let created = false;
  if (!(await findUserByIdentifier(identifier.value))) {
    if (!input.password) return { ok: false, error: "coordinators.errors.noAccount" };
    if (!passwordField.safeParse(input.password).success)
      return { ok: false, error: "coordinators.cli.passwordInvalid" };
    const made = await signUp({
      identifier: identifier.value,
      password: input.password,
      name: identifier.value,
      locale: input.locale,
    });
    if (!made.ok) return { ok: false, error: "coordinators.errors.identifierInvalid" };
    created = true;
  }
  const result = await appointCoordinator({
    countyCode: input.countyCode,
    identifier: identifier.value,
    actorId: null,
  });
  if (result.ok) return { ok: true, created, already: false };
  if (result.error === "coordinators.errors.already") return { ok: true, created, already: true };
  return { ok: false, error: result.error };
}

/** The counties the account coordinates, by code. */
export async function countiesOf(userId: string) {
  const rows = await db().countyCoordinator.findMany({
    where: { userId },
    orderBy: { county: { code: "asc" } },
    select: { county: { select: { code: true, nameZh: true, nameEn: true } } },
  });
  return rows.map((row) => row.county);
}

function findCounty(code: string) {
  return /^\d{6}$/.test(code.trim())
    ? db().county.findUnique({ where: { code: code.trim() }, select: { id: true, code: true } })
    : Promise.resolve(null);
}
