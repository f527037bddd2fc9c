import { db } from "~/db/index.server";
import { findUserByIdentifier, signUp } from "~/modules/identity/accounts.server";
import { parseIdentifier, passwordField } from "~/modules/identity/identifier";

// Making someone a platform admin (scripts/make-platform-admin.ts): an existing account is
// promoted as it is; a missing one is created first, which needs a password.

export type MakeAdminResult =
  | { ok: true; userId: string; created: boolean; alreadyAdmin: boolean }
  | {
      ok: false;
      error: "platform.cli.identifierInvalid" | "platform.cli.passwordNeeded" | "platform.cli.passwordInvalid";
    };

export async function makePlatformAdmin(input: {
  identifier: string;
  password?: string;
  name?: string;
  locale: string;
}): Promise<MakeAdminResult> {
  const identifier = parseIdentifier(input.identifier);
  if (!identifier) return { ok: false, error: "platform.cli.identifierInvalid" };

  const existing = await findUserByIdentifier(identifier.value);
  let userId = existing?.id;
  if (!userId) {
    if (!input.password) return { ok: false, error: "platform.cli.passwordNeeded" };
    if (!passwordField.safeParse(input.password).success) return { ok: false, error: "platform.cli.passwordInvalid" };
    const created = await signUp({
      identifier: identifier.value,
      password: input.password,
      name: input.name ?? identifier.value,
      locale: input.locale,
    });
    if (!created.ok) return { ok: false, error: "platform.cli.identifierInvalid" };
    userId = created.userId;
  }
  await db().user.update({ where: { id: userId }, data: { isPlatformAdmin: true } });
  return { ok: true, userId, created: !existing, alreadyAdmin: Boolean(existing?.isPlatformAdmin) };
}
