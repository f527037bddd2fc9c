import type { TestProject } from "vitest/node";
import { connect } from "~/db/connection.server";
import { migrate } from "~/db/migrate.server";
import { adminQuery, serverUrl, uniqueName, withDatabase } from "../support/database";

declare module "vitest" {
  export interface ProvidedContext {
    templateDatabase: string | null;
  }
}

/** On a server: one migrated template database per run, cloned by each test file. */
export default async function setup(project: TestProject) {
  const url = serverUrl();
  if (!url) {
    console.log("Integration tests: embedded PGlite (set TEST_DATABASE_URL to use a PostgreSQL server).");
    project.provide("templateDatabase", null);
    return;
  }
  const template = uniqueName("test_template");
  await adminQuery(`CREATE DATABASE "${template}"`);
  const connection = connect({ kind: "server", url: withDatabase(url, template) });
  try {
    await migrate(connection.raw);
  } finally {
    await connection.close();
  }
  console.log(`Integration tests: PostgreSQL server, template database ${template}.`);
  project.provide("templateDatabase", template);
  return async () => {
    await adminQuery(`DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`);
  };
}
