// npm run platform:admin -- <mobile-or-email> [--password <pw>] [--name <name>] [--lang en|zh-CN]
// Makes the account a platform admin, creating it first (with the password) when it does not exist.
import { parseArgs } from "node:util";
import { makePlatformAdmin } from "~/modules/platform/admins.server";
import { cliTranslator, runOnDatabase } from "./lib/cli";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { password: { type: "string" }, name: { type: "string" }, lang: { type: "string" } },
});
const { lng, t } = await cliTranslator(values.lang);

if (positionals.length !== 1) {
  console.error(t("platform.cli.usage"));
  process.exit(2);
}
const identifier = positionals[0]!;
await runOnDatabase(async () => {
  const result = await makePlatformAdmin({ identifier, password: values.password, name: values.name, locale: lng });
  if (!result.ok) {
    console.error(t(result.error, { identifier }));
    return 1;
  }
  const key = result.created
    ? "platform.cli.created"
    : result.alreadyAdmin
      ? "platform.cli.alreadyAdmin"
      : "platform.cli.promoted";
  console.log(t(key, { identifier }));
  if (!result.created && values.password) console.log(t("platform.cli.passwordUnchanged"));
  return 0;
});
