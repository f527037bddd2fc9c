import { db } from "~/db/index.server";
import { requireUser, type SignedInUser } from "./session.server";

export interface CountyAccess {
  user: SignedInUser;
  county: { id: string; code: string; nameZh: string; nameEn: string };
}

/**
 * The signed-in coordinator of one county (the pages under /county/:code). Anyone signed out is
 * sent to sign in; a coordinator of another county, or a platform admin (whose pages are under
 * /platform), gets a 404 (the county's pages are not confirmed); any other account a 403.
 */
export async function requireCountyAccess(request: Request, code: string | undefined): Promise<CountyAccess> {
  const user = await requireUser(request);
  const county =
    code && /^\d{6}$/.test(code)
      ? await db().county.findUnique({ where: { code }, select: { id: true, code: true, nameZh: true, nameEn: true } })
      : null;
  if (county) {
    const coordinator = await db().countyCoordinator.findUnique({
      where: { countyId_userId: { countyId: county.id, userId: user.id } },
      select: { id: true },
    });
    if (coordinator) return { user, county };
  }
  const coordinatesAny = await db().countyCoordinator.count({ where: { userId: user.id } });
  if (coordinatesAny > 0 || user.isPlatformAdmin) throw new Response(null, { status: 404, statusText: "Not Found" });
  throw new Response(null, { status: 403, statusText: "Forbidden" });
}
