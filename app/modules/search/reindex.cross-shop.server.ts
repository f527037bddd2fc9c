import { unscopedDb } from "~/db/index.server";
import { indexShopProducts, type Client } from "./index.server";

// Start-up and `npm run search:reindex`: documents for products that have none (added before
// this module, or changed by a writer that does not index), shop by shop.

/** Indexes every product without a document; returns how many were written. */
export async function indexMissing({ all = false }: { all?: boolean } = {}) {
  const client = unscopedDb() as unknown as Client;
  const shops = await client.$queryRaw<{ shopId: string }[]>`
    SELECT DISTINCT p."shopId" FROM "Product" p
     WHERE ${all} OR NOT EXISTS (SELECT 1 FROM "ProductSearch" ps WHERE ps."shopId" = p."shopId" AND ps."productId" = p.id)`;
  let count = 0;
  for (const { shopId } of shops) count += await indexShopProducts(client, { shopId, onlyMissing: !all });
  return count;
}
