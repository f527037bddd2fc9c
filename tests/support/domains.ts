import { unscopedDb } from "~/db/index.server";

// Custom domains are served only once verified through DNS (issue #9; the check itself is
// tested in domains-verification.test.ts). Tests about what a verified domain shows mark the
// shop's domain verified directly, as a passing check would.
export async function markDomainVerified(slug: string, now = new Date()) {
  const shop = await unscopedDb().shop.findUniqueOrThrow({ where: { slug }, select: { customDomain: true } });
  if (!shop.customDomain) throw new Error(`shop ${slug} has no custom domain to verify`);
  await unscopedDb().shop.update({
    where: { slug },
    data: { verifiedDomain: shop.customDomain, customDomainVerifiedAt: now, customDomainCheckedAt: now },
  });
}
