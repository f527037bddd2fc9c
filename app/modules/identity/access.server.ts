import { db } from "~/db/index.server";
import { can, type Permission, type ShopAccessRole } from "./permissions";
import { requireUser, type SignedInUser } from "./session.server";

export interface ShopAccess {
  user: SignedInUser;
  role: ShopAccessRole;
  shop: { id: string; slug: string; nameZh: string; nameEn: string; status: string; countyId: string };
}

/**
 * The signed-in user's access to one shop's admin. Someone with no role there gets a
 * 404 (the shop's existence is not confirmed); a role without the permission gets a 403.
 */
export async function requireShopAccess(request: Request, slug: string | undefined, permission: Permission): Promise<ShopAccess> {
  const user = await requireUser(request);
  const shop = slug
    ? await db().shop.findUnique({
        where: { slug },
        select: { id: true, slug: true, nameZh: true, nameEn: true, status: true, countyId: true },
      })
    : null;
  if (!shop) throw new Response(null, { status: 404, statusText: "Not Found" });

  const membership = await db().membership.findUnique({
    where: { shopId_userId: { shopId: shop.id, userId: user.id }, shopId: shop.id },
    select: { role: true },
  });
  let role: ShopAccessRole | null = membership?.role ?? null;
  if (!role) {
    const coordinator = await db().countyCoordinator.findUnique({
      where: { countyId_userId: { countyId: shop.countyId, userId: user.id } },
    });
    role = coordinator ? "COORDINATOR" : user.isPlatformAdmin ? "PLATFORM_ADMIN" : null;
  }
  if (!role) throw new Response(null, { status: 404, statusText: "Not Found" });
  if (!can(role, permission)) throw new Response(null, { status: 403, statusText: "Forbidden" });
  return { user, role, shop };
}
