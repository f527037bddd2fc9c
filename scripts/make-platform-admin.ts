// npm run platform:admin -- <mobile-or-email> [--password <pw>] [--name <name>] [--lang en|zh-CN]
// Makes the account a platform admin, creating it first (with the password) when it does not exist.
import { parseArgs } from "node:util";
import { closeDatabase, connection } from "~/db/index.server";
import { migrate } from "~/db/migrate.server";
import { isLanguage } from "~/lib/i18n";
import { createI18n } from "~/lib/i18n.server";
import { makePlatformAdmin } from "~/modules/platform/admins.server";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { password: { type: "string" }, name: { type: "string" }, lang: { type: "string" } },
});
const langArg = values.lang ?? (process.env.LANG?.startsWith("zh") ? "zh-CN" : "en");
const lng = isLanguage(langArg) ? langArg : "en";
const { t } = await createI18n(lng);

let exitCode = 0;
if (positionals.length !== 1) {
  console.error(t("platform.cli.usage"));
  process.exit(2);
}
try {
  await migrate(connection().raw);
  const result = await makePlatformAdmin({
    identifier: positionals[0]!,
    password: values.password,
    name: values.name,
    locale: lng,
  });
  if (!result.ok) {
    console.error(t(result.error, { identifier: positionals[0] }));
    exitCode = 1;
  } else {
    const key = result.created
      ? "platform.cli.created"
      : result.alreadyAdmin
        ? "platform.cli.alreadyAdmin"
        : "platform.cli.promoted";
    console.log(t(key, { identifier: positionals[0] }));
    if (!result.created && values.password) console.log(t("platform.cli.passwordUnchanged"));
  }
} catch (error) {
  console.error((error as Error).message);
  exitCode = 1;
} finally {
  await closeDatabase().catch(() => undefined);
}
process.exit(exitCode);
