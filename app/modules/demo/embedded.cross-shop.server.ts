import { connection, unscopedDb } from "~/db/index.server";
import { appointCoordinatorFromCli } from "~/modules/platform/coordinators.server";
import { insertBulkOrders, type BulkResult } from "./bulk-orders.cross-shop.server";
import { loadDemoCatalog } from "./catalog.cross-shop.server";
import { insertDemoReviews } from "./reviews.cross-shop.server";

// The embedded demo (`npm start` without DATABASE_URL): the first start imports the demo
// cooperatives and then, with no order in the database yet, makes a few hundred orders over
// the last 90 days, so /county/<code> shows a believable county at first open, and a demo
// coordinator of every demo county to see it with; about half of the delivered lines get a
// buyer's review (some answered by the cooperative), so cards show ratings at first open.
// Bulk path: a second or two on PGlite, where checkout order by order would take minutes.
// Never on a database server: a real server is filled only by someone running npm run demo:orders.

export const EMBEDDED_DEMO = { orders: 400, days: 90, seed: 1 } as const;
/** Printed by npm start and written in the README; a local, embedded demo only. */
export const DEMO_COORDINATOR = { identifier: "county@demo.yicun.localhost", password: "demo-county" } as const;

export type EmbeddedFill =
  | { filled: false }
  | {
      filled: true;
      result: BulkResult;
      reviews: { written: number; seconds: number };
      coordinator: typeof DEMO_COORDINATOR;
    };

export async function fillEmbeddedDemo({
  onStart,
  now = new Date(),
}: { onStart?: () => void; now?: Date } = {}): Promise<EmbeddedFill> {
  const db = connection();
  if (db.kind !== "embedded") return { filled: false };
  if ((await unscopedDb().order.count({ take: 1 })) > 0) return { filled: false };
  const catalog = await loadDemoCatalog(db.raw.query);
  if (!catalog.shops.some((s) => s.variants.length > 0)) return { filled: false };
  onStart?.();
  const result = await insertBulkOrders(db.raw, { ...EMBEDDED_DEMO, now });
  const reviewsStarted = performance.now();
  const written = await insertDemoReviews(db.raw.query, { seed: EMBEDDED_DEMO.seed, now });
  const reviews = { written, seconds: (performance.now() - reviewsStarted) / 1000 };
  const counties = await unscopedDb().county.findMany({
    where: { shops: { some: { isDemo: true, status: "LIVE" } } },
    orderBy: { code: "asc" },
    select: { code: true },
  });
  for (const county of counties) {
    const appointed = await appointCoordinatorFromCli({
      identifier: DEMO_COORDINATOR.identifier,
      countyCode: county.code,
      password: DEMO_COORDINATOR.password,
      locale: "zh-CN",
    });
    if (!appointed.ok) throw new Error(`demo coordinator for ${county.code}: ${appointed.error}`);
  }
  return { filled: true, result, reviews, coordinator: DEMO_COORDINATOR };
}
