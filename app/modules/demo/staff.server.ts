import type { Query } from "./catalog.cross-shop.server";

// The demo cooperatives have no members (tenants/ packs carry none), yet every move a
// cooperative makes names who made it. Demo orders are moved by this one account: it has no
// password and no membership, so nobody can sign in as it; its name says what it is.

export const DEMO_STAFF_ID = "demo-orders-staff";

export async function ensureDemoStaff(query: Query): Promise<string> {
  await query(
    `INSERT INTO "User" (id, email, name, locale, "createdAt", "updatedAt")
     VALUES ($1, 'demo-orders@yicun.invalid', '演示数据 / demo data', 'zh-CN', now(), now())
     ON CONFLICT (id) DO NOTHING`,
    [DEMO_STAFF_ID],
  );
  return DEMO_STAFF_ID;
}
