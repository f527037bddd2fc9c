// npm run tenants:sync — imports tenants/ into the database (idempotent).
// Options: --dir <folder> (default TENANTS_DIR), --if-empty (only when no shop exists), --lang en|zh-CN.
import { parseArgs } from "node:util";
import { env } from "~/env.server";
import { hasAnyShop, syncTenants } from "~/modules/tenants/sync.server";
import { formatResults } from "~/modules/tenants/report";
import { cliTranslator, runOnDatabase } from "./lib/cli";

const { values } = parseArgs({
  options: { dir: { type: "string" }, "if-empty": { type: "boolean" }, lang: { type: "string" } },
});
const { t } = await cliTranslator(values.lang);

await runOnDatabase(async () => {
  if (values["if-empty"] && (await hasAnyShop())) {
    console.log(t("sync.skipped"));
    return 0;
  }
  const results = await syncTenants(values.dir ?? env().TENANTS_DIR);
  console.log(formatResults(results, t));
  return results.some((r) => !r.ok) ? 1 : 0;
});
