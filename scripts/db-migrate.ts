// npm run db:migrate — applies pending migrations to DATABASE_URL, or to the embedded database.
import { closeDatabase, connection } from "~/db/index.server";
import { migrate } from "~/db/migrate.server";

try {
  const db = connection();
  const result = await migrate(db.raw);
  console.log(
    `Database ${db.location}: ${result.applied.length} migration(s) applied` +
      (result.applied.length ? ` (${result.applied.join(", ")})` : "") +
      `, ${result.alreadyApplied} already applied` +
      (result.waited ? " (waited for another process that was migrating)." : "."),
  );
  await closeDatabase();
} catch (error) {
  console.error((error as Error).message);
  await closeDatabase().catch(() => undefined);
  process.exit(1);
}
