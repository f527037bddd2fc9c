// npm run db:rollups:rebuild — recomputes the county dashboard's roll-ups (SalesDaily,
// ProductSalesDaily) from ShopOrder/ShopOrderLine, e.g. after loading data with triggers off or
// for a benchmark. Prints {"shopDays": n, "ms": t}. See docs/decisions/018-dashboard-rollups.md.
import { closeDatabase, connection } from "~/db/index.server";
import { migrate } from "~/db/migrate.server";
import { rebuildSalesRollups } from "~/modules/reports/dashboard.cross-shop.server";

let exitCode = 0;
try {
  await migrate(connection().raw);
  const started = performance.now();
  const shopDays = await rebuildSalesRollups();
  console.log(JSON.stringify({ shopDays, ms: Math.round(performance.now() - started) }));
} catch (error) {
  console.error((error as Error).message);
  exitCode = 1;
} finally {
  await closeDatabase().catch(() => undefined);
}
process.exit(exitCode);
