import { unscopedDb } from "~/db/index.server";
import { hashToken } from "~/modules/identity/tokens.server";

// An invitation link carries only its token: which shop it is for is what we look up,
// so this one read cannot name a shop first. Everything after it does. The primary key is
// (shopId, id) (decision 028); the plain index on id serves this read.

/** The invitation behind a link's token (stored as its sha256), with its shop's name; null if unknown. */
export async function findInvitationByToken(token: string) {
  if (!token || token.length > 100) return null;
  return unscopedDb().invitation.findFirst({
    where: { id: hashToken(token) },
    include: { shop: { select: { id: true, slug: true, nameZh: true, nameEn: true } } },
  });
}
