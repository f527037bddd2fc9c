// npm run demo:orders -- --orders <n> --days <d> [--seed <s>] [--real <k>] [--lang en|zh-CN]
// Fills DATABASE_URL (or the embedded database) with demo orders across the demo cooperatives:
// the first <k> (default: all up to 500) through checkout and the order writer, the rest by the
// bulk path (app/modules/demo). Exit 2 for bad usage, 1 when it could not run.
import { parseArgs } from "node:util";
import { closeDatabase, connection } from "~/db/index.server";
import { migrate } from "~/db/migrate.server";
import { isLanguage } from "~/lib/i18n";
import { createI18n } from "~/lib/i18n.server";
import { logger } from "~/lib/logger.server";
import { insertBulkOrders } from "~/modules/demo/bulk-orders.cross-shop.server";
import { loadDemoCatalog } from "~/modules/demo/catalog.cross-shop.server";
import { placeRealOrders } from "~/modules/demo/real-orders.cross-shop.server";
import { wholeArg } from "./lib/cli";

const REAL_DEFAULT = 500;

let parsed;
try {
  parsed = parseArgs({
    options: {
      orders: { type: "string" },
      days: { type: "string" },
      seed: { type: "string" },
      real: { type: "string" },
      lang: { type: "string" },
    },
  });
} catch {
  parsed = null;
}
const langArg = parsed?.values.lang ?? (process.env.LANG?.startsWith("zh") ? "zh-CN" : "en");
const lng = isLanguage(langArg) ? langArg : "en";
const { t } = await createI18n(lng);

const orders = wholeArg(parsed?.values.orders, 1, 5_000_000);
const days = wholeArg(parsed?.values.days, 1, 3_650);
const seed = parsed?.values.seed === undefined ? 1 : wholeArg(parsed.values.seed, 0, 4_294_967_295);
const realArg = parsed?.values.real === undefined ? null : wholeArg(parsed.values.real, 0, 5_000_000);
if (
  !parsed ||
  orders === null ||
  days === null ||
  seed === null ||
  (parsed.values.real !== undefined && realArg === null)
) {
  console.error(t("demo.cli.usage"));
  process.exit(2);
}
const real = Math.min(orders, realArg ?? REAL_DEFAULT);
const seconds = (s: number) => s.toFixed(1);

let exitCode = 0;
try {
  await migrate(connection().raw);
  const catalog = await loadDemoCatalog(connection().raw.query);
  if (!catalog.shops.some((s) => s.variants.length > 0)) {
    console.error(t("demo.cli.noShops"));
    exitCode = 1;
  } else {
    console.log(
      t("demo.cli.start", { orders, days, seed, real, bulk: orders - real, location: connection().location }),
    );
    // One line per buyer notification would drown the progress: only warnings while filling.
    logger.level = "warn";
    const now = new Date();
    const started = performance.now();
    const made = await placeRealOrders({
      orders: real,
      planned: orders,
      days,
      seed,
      now,
      onProgress: (p) => console.log(t("demo.cli.realProgress", { orders: p.orders, seconds: seconds(p.seconds) })),
    });
    const bulk =
      orders > real
        ? await insertBulkOrders(connection().raw, {
            orders: orders - real,
            days,
            seed,
            now,
            skip: real,
            onProgress: (p) => console.log(t("demo.cli.bulkProgress", { ...p, seconds: seconds(p.seconds) })),
          })
        : { orders: 0, shopOrders: 0, lines: 0 };
    // Rows written in bulk carry no hint bits and no statistics yet: the first full read (a county
    // export) would set them, at its own cost (docs/perf.md, run 6). Vacuumed and analysed here.
    if (bulk.orders > 0) await connection().raw.exec(`VACUUM (ANALYZE) "Order", "ShopOrder", "ShopOrderLine"`);
    console.log(
      t("demo.cli.done", {
        orders: made.orders + bulk.orders,
        shopOrders: made.shopOrders + bulk.shopOrders,
        lines: made.lines + bulk.lines,
        seconds: seconds((performance.now() - started) / 1000),
      }),
    );
  }
} catch (error) {
  console.error((error as Error).message);
  exitCode = 1;
} finally {
  await closeDatabase().catch(() => undefined);
}
process.exit(exitCode);
