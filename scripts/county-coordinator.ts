// npm run county:coordinator -- <mobile-or-email> --county <code> [--password <pw>] [--lang en|zh-CN]
// Appoints the account as coordinator of the county, creating the account first (with the
// password) when it does not exist. Exit 0 when it is a coordinator afterwards (also "already"),
// 2 for bad usage or an unknown county, 1 otherwise.
import { parseArgs } from "node:util";
import { closeDatabase, connection } from "~/db/index.server";
import { migrate } from "~/db/migrate.server";
import { isLanguage } from "~/lib/i18n";
import { createI18n } from "~/lib/i18n.server";
import { appointCoordinatorFromCli } from "~/modules/platform/coordinators.server";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { county: { type: "string" }, password: { type: "string" }, lang: { type: "string" } },
});
const langArg = values.lang ?? (process.env.LANG?.startsWith("zh") ? "zh-CN" : "en");
const lng = isLanguage(langArg) ? langArg : "en";
const { t } = await createI18n(lng);

if (positionals.length !== 1 || !values.county) {
  console.error(t("coordinators.cli.usage"));
  process.exit(2);
}
const identifier = positionals[0]!;
const county = values.county;
let exitCode = 0;
try {
  await migrate(connection().raw);
  const result = await appointCoordinatorFromCli({
    identifier,
    countyCode: county,
    password: values.password,
    locale: lng,
  });
  if (!result.ok) {
    const key = result.error.replace(/^coordinators\.errors\./, "coordinators.cli.");
    console.error(t(key, { identifier, county }));
    exitCode = result.error === "coordinators.errors.countyUnknown" ? 2 : 1;
  } else {
    const key = result.created
      ? "coordinators.cli.created"
      : result.already
        ? "coordinators.cli.already"
        : "coordinators.cli.appointed";
    console.log(t(key, { identifier, county }));
    if (!result.created && values.password) console.log(t("coordinators.cli.passwordUnchanged"));
  }
} catch (error) {
  console.error((error as Error).message);
  exitCode = 1;
} finally {
  await closeDatabase().catch(() => undefined);
}
process.exit(exitCode);
