// Typed permissions, checked by requireShopAccess. Roles: a shop's OWNER and STAFF
// (staff cannot touch money — refunds, the ledger, payout settings —, members or the
// submission for review), and a county coordinator, who may look but not change.
export const PERMISSIONS = [
  "shop:view",
  "shop:edit",
  "shop:submit",
  "shop:money",
  "members:manage",
  "catalog:edit",
  "batches:edit",
  "media:upload",
  /** See the shop's orders. */
  "orders:view",
  /** Move orders along: confirm offline payment, pack, hand over, deliver, cancel unpaid ones. */
  "orders:manage",
  /** Give money back to a buyer. */
  "orders:refund",
  /** Answer buyers' reviews (once each). */
  "reviews:reply",
] as const;
export type Permission = (typeof PERMISSIONS)[number];
export type ShopAccessRole = "OWNER" | "STAFF" | "COORDINATOR" | "PLATFORM_ADMIN";

const STAFF: Permission[] = [
  "shop:view",
  "shop:edit",
  "catalog:edit",
  "batches:edit",
  "media:upload",
  "orders:view",
  "orders:manage",
  "reviews:reply",
];

export const ROLE_PERMISSIONS: Record<ShopAccessRole, readonly Permission[]> = {
  OWNER: PERMISSIONS,
  STAFF,
  COORDINATOR: ["shop:view", "orders:view"],
  PLATFORM_ADMIN: ["shop:view", "orders:view"],
};

export function can(role: ShopAccessRole, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}
