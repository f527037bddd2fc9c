import { db } from "~/db/index.server";
import type { AddressInput } from "./address-schema";

// A buyer's saved addresses (issue #13, decision 025). They belong to the user, not to a
// shop: every query names the userId, so one buyer can never read or change another's.
// At most one is the default; the first saved becomes it.

/** How many addresses one account keeps. */
export const MAX_ADDRESSES = 20;

export interface SavedAddress {
  id: string;
  recipientName: string;
  phone: string;
  region: string;
  line: string;
  isDefault: boolean;
}

const FIELDS = { id: true, recipientName: true, phone: true, region: true, line: true, isDefault: true } as const;

/** The default first, then the newest. */
export function listAddresses(userId: string): Promise<SavedAddress[]> {
  return db().buyerAddress.findMany({
    where: { userId },
    select: FIELDS,
    orderBy: [{ isDefault: "desc" }, { createdAt: "desc" }, { id: "asc" }],
    take: MAX_ADDRESSES,
  });
}

export function getAddress({ userId, id }: { userId: string; id: string }): Promise<SavedAddress | null> {
  return db().buyerAddress.findFirst({ where: { id, userId }, select: FIELDS });
}

export type SaveResult =
  { ok: true; id: string } | { ok: false; error: "account.addresses.errors.tooMany" } | { ok: false; notFound: true };

/** Creates (no id) or updates one of the user's addresses. */
export async function saveAddress({
  userId,
  id,
  input,
}: {
  userId: string;
  id?: string | null;
  input: AddressInput;
}): Promise<SaveResult> {
  const { isDefault, ...fields } = input;
  return db().$transaction(async (tx) => {
    // One change to a user's addresses at a time: the default stays single.
    await tx.$queryRaw`SELECT id FROM "User" WHERE id = ${userId} FOR UPDATE`;
    let savedId: string;
    if (id) {
      const { count } = await tx.buyerAddress.updateMany({ where: { id, userId }, data: fields });
      if (count !== 1) return { ok: false as const, notFound: true as const };
      savedId = id;
    } else {
      const existing = await tx.buyerAddress.count({ where: { userId } });
      if (existing >= MAX_ADDRESSES) return { ok: false as const, error: "account.addresses.errors.tooMany" as const };
      const row = await tx.buyerAddress.create({
        data: { ...fields, userId, isDefault: isDefault || existing === 0 },
        select: { id: true },
      });
      savedId = row.id;
    }
    if (isDefault) {
      await tx.buyerAddress.updateMany({ where: { userId, id: { not: savedId } }, data: { isDefault: false } });
      await tx.buyerAddress.updateMany({ where: { userId, id: savedId }, data: { isDefault: true } });
    }
    return { ok: true as const, id: savedId };
  });
}

/** Makes one of the user's addresses the default. */
export async function setDefaultAddress({ userId, id }: { userId: string; id: string }): Promise<boolean> {
  return db().$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM "User" WHERE id = ${userId} FOR UPDATE`;
    const owned = await tx.buyerAddress.count({ where: { id, userId } });
    if (owned !== 1) return false;
    await tx.buyerAddress.updateMany({ where: { userId, id: { not: id } }, data: { isDefault: false } });
    await tx.buyerAddress.updateMany({ where: { userId, id }, data: { isDefault: true } });
    return true;
  });
}

/** Deletes one of the user's addresses; when it was the default, the newest left becomes it. */
export async function deleteAddress({ userId, id }: { userId: string; id: string }): Promise<boolean> {
  return db().$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM "User" WHERE id = ${userId} FOR UPDATE`;
    const gone = await tx.buyerAddress.findFirst({ where: { id, userId }, select: { isDefault: true } });
    if (!gone) return false;
    await tx.buyerAddress.deleteMany({ where: { id, userId } });
    if (gone.isDefault) {
      const next = await tx.buyerAddress.findFirst({
        where: { userId },
        orderBy: [{ createdAt: "desc" }, { id: "asc" }],
        select: { id: true },
      });
      if (next) await tx.buyerAddress.updateMany({ where: { userId, id: next.id }, data: { isDefault: true } });
    }
    return true;
  });
}
