import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, inject } from "vitest";
import { connect, type DatabaseConnection } from "~/db/connection.server";
import { closeDatabase } from "~/db/index.server";
import { migrate } from "~/db/migrate.server";
import { adminQuery, serverUrl, uniqueName, withDatabase } from "../support/database";

// Each test file runs against a database of its own and a media folder of its own,
// installed as the process's connection so that app code uses it unchanged.
const mediaDir = fs.mkdtempSync(path.join(os.tmpdir(), "storefront-media-"));
process.env.MEDIA_DIR = mediaDir;
process.env.LOG_LEVEL = "silent";
process.env.PLATFORM_HOST = "localhost";
// Links and canonical URLs come from the configured origin (issue #9); the tests ask http://localhost/….
process.env.PUBLIC_ORIGIN = "http://localhost";
delete process.env.DATABASE_URL; // app code must use the connection installed below

let databaseName: string | null = null;

function install(connection: DatabaseConnection) {
  const store = globalThis as unknown as { __singletons?: Map<string, unknown> };
  store.__singletons ??= new Map();
  store.__singletons.set("db:connection", connection);
  store.__singletons.delete("db:scoped");
}

beforeAll(async () => {
  const template = inject("templateDatabase");
  const url = serverUrl();
  if (template && url) {
    databaseName = uniqueName("test_file");
    await adminQuery(`CREATE DATABASE "${databaseName}" TEMPLATE "${template}"`);
    install(connect({ kind: "server", url: withDatabase(url, databaseName) }));
  } else {
    const connection = connect({ kind: "embedded", dir: null });
    await migrate(connection.raw);
    install(connection);
  }
});

afterAll(async () => {
  await closeDatabase();
  if (databaseName) await adminQuery(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`);
  fs.rmSync(mediaDir, { recursive: true, force: true });
});
