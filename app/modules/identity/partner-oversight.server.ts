import { db } from "~/db/index.server";
import { requirePlatformAdmin, requireUser, type SignedInUser } from "./session.server";

// Who may oversee one logistics partner (its push deliveries): the platform admin, under
// /platform/logistics/:partner, and a coordinator of the partner's own county, under
// /county/:code/logistics/:partner. A partner that is not found, or not of that county, is a 404
// (nothing says whether it exists). Named apart from the partners part's county guard so the
// two can be merged; a coordinator check here mirrors it.

export interface PartnerOversight {
  user: SignedInUser;
  partner: { id: string; nameZh: string; nameEn: string | null; countyId: string; webhookUrl: string | null };
}

const notFound = () => new Response(null, { status: 404, statusText: "Not Found" });
const ID = /^[a-z0-9]{10,40}$/;

async function partnerRow(partnerId: string | undefined) {
  if (!partnerId || !ID.test(partnerId)) return null;
  return db().logisticsPartner.findUnique({
    where: { id: partnerId },
    select: { id: true, nameZh: true, nameEn: true, countyId: true, webhookUrl: true },
  });
}

/** The platform admin overseeing any county's partner. */
export async function requirePartnerOversightAsAdmin(
  request: Request,
  partnerId: string | undefined,
): Promise<PartnerOversight> {
  const user = await requirePlatformAdmin(request);
  const partner = await partnerRow(partnerId);
  if (!partner) throw notFound();
  return { user, partner };
}

/** A coordinator of county `code` overseeing one of that county's partners. */
export async function requirePartnerOversightAsCoordinator(
  request: Request,
  code: string | undefined,
  partnerId: string | undefined,
): Promise<PartnerOversight> {
  const user = await requireUser(request);
  const county =
    code && /^\d{6}$/.test(code) ? await db().county.findUnique({ where: { code }, select: { id: true } }) : null;
  const coordinator = county
    ? await db().countyCoordinator.findUnique({
        where: { countyId_userId: { countyId: county.id, userId: user.id } },
        select: { id: true },
      })
    : null;
  if (!coordinator) {
    const coordinatesAny = await db().countyCoordinator.count({ where: { userId: user.id } });
    if (coordinatesAny > 0 || user.isPlatformAdmin) throw notFound();
    throw new Response(null, { status: 403, statusText: "Forbidden" });
  }
  const partner = await partnerRow(partnerId);
  if (!partner || partner.countyId !== county!.id) throw notFound();
  return { user, partner };
}
