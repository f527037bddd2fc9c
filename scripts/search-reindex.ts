// npm run search:reindex — search words for products that have none; --all rebuilds every one
// (after a change to how words are cut, docs/decisions/022-search-words.md).
import { parseArgs } from "node:util";
import { closeDatabase, connection } from "~/db/index.server";
import { migrate } from "~/db/migrate.server";
import { indexMissing } from "~/modules/search/reindex.cross-shop.server";

const { values } = parseArgs({ options: { all: { type: "boolean" } } });
try {
  await migrate(connection().raw);
  const count = await indexMissing({ all: values.all ?? false });
  console.log(`Search words written for ${count} product(s).`);
  await closeDatabase();
} catch (error) {
  console.error((error as Error).message);
  await closeDatabase().catch(() => undefined);
  process.exit(1);
}
