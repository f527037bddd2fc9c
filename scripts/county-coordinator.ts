// npm run county:coordinator -- <mobile-or-email> --county <code> [--password <pw>] [--lang en|zh-CN]
// Appoints the account as coordinator of the county, creating the account first (with the
// password) when it does not exist. Exit 0 when it is a coordinator afterwards (also "already"),
// 2 for bad usage or an unknown county, 1 otherwise.
import { parseArgs } from "node:util";
import { appointCoordinatorFromCli } from "~/modules/platform/coordinators.server";
import { cliTranslator, runOnDatabase } from "./lib/cli";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { county: { type: "string" }, password: { type: "string" }, lang: { type: "string" } },
});
const { lng, t } = await cliTranslator(values.lang);

if (positionals.length !== 1 || !values.county) {
  console.error(t("coordinators.cli.usage"));
  process.exit(2);
}
const identifier = positionals[0]!;
const county = values.county;
await runOnDatabase(async () => {
  const result = await appointCoordinatorFromCli({
    identifier,
    countyCode: county,
    password: values.password,
    locale: lng,
  });
  if (!result.ok) {
    const key = result.error.replace(/^coordinators\.errors\./, "coordinators.cli.");
    console.error(t(key, { identifier, county }));
    return result.error === "coordinators.errors.countyUnknown" ? 2 : 1;
  }
  const key = result.created
    ? "coordinators.cli.created"
    : result.already
      ? "coordinators.cli.already"
      : "coordinators.cli.appointed";
  console.log(t(key, { identifier, county }));
  if (!result.created && values.password) console.log(t("coordinators.cli.passwordUnchanged"));
  return 0;
});
