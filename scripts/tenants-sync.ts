// npm run tenants:sync — imports tenants/ into the database (idempotent).
// Options: --dir <folder> (default TENANTS_DIR), --if-empty (only when no shop exists), --lang en|zh-CN.
import { parseArgs } from "node:util";
import { closeDatabase, connection } from "~/db/index.server";
import { migrate } from "~/db/migrate.server";
import { env } from "~/env.server";
import { createI18n } from "~/lib/i18n.server";
import { isLanguage } from "~/lib/i18n";
import { hasAnyShop, syncTenants } from "~/modules/tenants/sync.server";
import { formatResults } from "~/modules/tenants/report";

const { values } = parseArgs({
  options: { dir: { type: "string" }, "if-empty": { type: "boolean" }, lang: { type: "string" } },
});
const langArg = values.lang ?? (process.env.LANG?.startsWith("zh") ? "zh-CN" : "en");
const lng = isLanguage(langArg) ? langArg : "en";
const { t } = await createI18n(lng);

let exitCode = 0;
try {
  await migrate(connection().raw);
  if (values["if-empty"] && (await hasAnyShop())) {
    console.log(t("sync.skipped"));
  } else {
    const results = await syncTenants(values.dir ?? env().TENANTS_DIR);
    console.log(formatResults(results, t));
    if (results.some((r) => !r.ok)) exitCode = 1;
  }
} catch (error) {
  console.error((error as Error).message);
  exitCode = 1;
} finally {
  await closeDatabase().catch(() => undefined);
}
process.exit(exitCode);
