// What every database command (tenants:sync, platform:admin, county:coordinator, …) does around
// its own work: pick the language of its messages, migrate, run, report a crash, close the
// database and exit with the work's code.
import { closeDatabase, connection } from "~/db/index.server";
import { migrate } from "~/db/migrate.server";
import { isLanguage } from "~/lib/i18n";
import { createI18n } from "~/lib/i18n.server";

/** --lang, else the shell's LANG (zh… → zh-CN), else English. */
export async function cliTranslator(langArg: string | undefined) {
  const wanted = langArg ?? (process.env.LANG?.startsWith("zh") ? "zh-CN" : "en");
  const lng = isLanguage(wanted) ? wanted : "en";
  const { t } = await createI18n(lng);
  return { lng, t };
}

/** Migrates, runs `work` (which returns the exit code) and exits; a crash prints its message and exits 1. */
export async function runOnDatabase(work: () => Promise<number>): Promise<never> {
  let exitCode = 1;
  try {
    await migrate(connection().raw);
    exitCode = await work();
  } catch (error) {
    console.error((error as Error).message);
    exitCode = 1;
  } finally {
    await closeDatabase().catch(() => undefined);
  }
  process.exit(exitCode);
}

/** A whole number in [min, max] as typed on the command line, or null; `fallback` (or null) when not given. */
export function wholeArg(text: string | undefined, min: number, max: number, fallback: number | null = null) {
  if (text === undefined) return fallback;
  if (!/^\d{1,10}$/.test(text)) return null;
  const n = Number(text);
  return n >= min && n <= max ? n : null;
}
