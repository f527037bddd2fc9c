// Starts the production server for the end-to-end tests on a fresh database.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";

const temp = fs.mkdtempSync(path.join(os.tmpdir(), "storefront-e2e-"));
process.env.PORT = process.env.E2E_PORT ?? "3210";
process.env.HOST = "127.0.0.1";
process.env.MEDIA_DIR = path.join(temp, "media");
process.env.PGLITE_DIR = path.join(temp, "pglite");
process.env.LOG_LEVEL = "warn";
process.env.NODE_ENV = "production";
process.env.TENANTS_SYNC_ON_START = "empty";

const serverUrl = process.env.TEST_DATABASE_URL;
if (serverUrl) {
  const name = "storefront_e2e";
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  process.env.DATABASE_URL = url.toString();
} else {
  delete process.env.DATABASE_URL;
}

await import("../../server");
