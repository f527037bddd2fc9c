// npm run logistics:partner -- --county <code> --name <name> [--name-en <name>] [--kind COUNTY_CENTRE|POST|EXPRESS]
//   [--services home,pickup_point,locker,cold_chain] [--areas 阳山镇,桃源村] [--webhook-url <url>] [--json] [--lang en|zh-CN]
// Registers a county's logistics partner and prints its id, first API key and signing secret
// (both shown once). With --json, stdout carries exactly one JSON object
// {"id","apiKey","signingSecret"} and nothing else; messages go to stderr. Exit 2: bad arguments
// or an unknown county; 1: anything else that failed.
import { parseArgs } from "node:util";

const argv = process.argv.slice(2);
const json = argv.includes("--json");
// In --json mode stdout carries the object alone: the logger (which writes to stdout) is silenced.
if (json) process.env.LOG_LEVEL = "silent";

const { closeDatabase, connection, db } = await import("~/db/index.server");
const { migrate } = await import("~/db/migrate.server");
const { isLanguage } = await import("~/lib/i18n");
const { createI18n } = await import("~/lib/i18n.server");
const { platformOrigin } = await import("~/lib/origins.server");
const { PARTNER_KINDS, PARTNER_SERVICES } = await import("~/modules/logistics/partner-kinds");
const { webhookUrlSchema } = await import("~/modules/logistics/partner-schema");
const { createPartner } = await import("~/modules/logistics/partners.server");

const langArg = process.env.LANG?.startsWith("zh") ? "zh-CN" : "en";
let parsed: ReturnType<typeof parse>;
function parse() {
  return parseArgs({
    args: argv,
    options: {
      county: { type: "string" },
      name: { type: "string" },
      "name-en": { type: "string" },
      kind: { type: "string" },
      services: { type: "string" },
      areas: { type: "string" },
      "webhook-url": { type: "string" },
      json: { type: "boolean" },
      lang: { type: "string" },
    },
  });
}
try {
  parsed = parse();
} catch (error) {
  const { t } = await createI18n(langArg);
  console.error((error as Error).message);
  console.error(t("logisticsPartners.cli.usage"));
  process.exit(2);
}
const values = parsed.values;
const lngValue = values.lang ?? langArg;
const lng = isLanguage(lngValue) ? lngValue : "en";
const { t } = await createI18n(lng);

function fail(code: number, message: string): never {
  console.error(message);
  process.exit(code);
}

const county = values.county?.trim();
const name = values.name?.trim();
if (!county || !name || name.length > 60) fail(2, t("logisticsPartners.cli.usage"));

const kind = (values.kind ?? "COUNTY_CENTRE").trim().toUpperCase();
if (!(PARTNER_KINDS as readonly string[]).includes(kind))
  fail(2, t("logisticsPartners.cli.badInput", { field: "--kind", message: PARTNER_KINDS.join(", ") }));

const services = values.services
  ? [
      ...new Set(
        values.services
          .split(",")
          .map((s) => s.trim().toUpperCase())
          .filter(Boolean),
      ),
    ]
  : PARTNER_SERVICES.filter((s) => s !== "COLD_CHAIN");
if (services.length === 0 || services.some((s) => !(PARTNER_SERVICES as readonly string[]).includes(s)))
  fail(
    2,
    t("logisticsPartners.cli.badInput", { field: "--services", message: PARTNER_SERVICES.join(",").toLowerCase() }),
  );

const areas = values.areas
  ? [
      ...new Set(
        values.areas
          .split(/[,，、]/)
          .map((a) => a.trim())
          .filter(Boolean),
      ),
    ]
  : [];

let exitCode = 0;
try {
  const url = webhookUrlSchema(platformOrigin().startsWith("https:")).safeParse(values["webhook-url"]);
  if (!url.success)
    fail(2, t("logisticsPartners.cli.badInput", { field: "--webhook-url", message: t(url.error.issues[0]!.message) }));
  await migrate(connection().raw);
  const row = await db().county.findUnique({ where: { code: county }, select: { id: true } });
  if (!row) {
    console.error(t("logisticsPartners.cli.badCounty", { county }));
    exitCode = 2;
  } else {
    const created = await createPartner({
      countyId: row.id,
      nameZh: name,
      nameEn: values["name-en"]?.trim() || null,
      kind: kind as (typeof PARTNER_KINDS)[number],
      services: services as (typeof PARTNER_SERVICES)[number][],
      areas,
      webhookUrl: url.data,
    });
    if (json) {
      process.stdout.write(
        `${JSON.stringify({ id: created.id, apiKey: created.apiKey, signingSecret: created.signingSecret })}\n`,
      );
    } else {
      console.log(t("logisticsPartners.cli.created"));
      console.log(`${t("logisticsPartners.cli.id")}: ${created.id}`);
      console.log(`${t("logisticsPartners.cli.apiKey")}: ${created.apiKey}`);
      console.log(`${t("logisticsPartners.cli.signingSecret")}: ${created.signingSecret}`);
    }
  }
} catch (error) {
  console.error((error as Error).message);
  exitCode = 1;
} finally {
  await closeDatabase().catch(() => undefined);
}
process.exit(exitCode);
