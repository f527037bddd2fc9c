import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseConnection } from "~/db/connection.server";
import { adminQuery, createEmptyDatabase, serverUrl } from "../support/database";

// A connection the server drops while the app holds it (a primary lost mid-transaction, as the
// failover drill does): the transaction fails, the process lives on, and the pool serves the
// next statement on a new connection. Unhandled, the client's 'error' event crashed every node.

const onServer = Boolean(serverUrl());

describe.skipIf(!onServer)("a connection lost while checked out", () => {
  let database: { connection: DatabaseConnection; drop: () => Promise<void> };
  const uncaught: unknown[] = [];
  const noteUncaught = (error: unknown) => uncaught.push(error);

  beforeAll(async () => {
    database = await createEmptyDatabase();
    process.on("uncaughtException", noteUncaught);
  });
  afterAll(async () => {
    process.off("uncaughtException", noteUncaught);
    await database?.drop();
  });

  it("fails the transaction, keeps the process, and the pool recovers", async () => {
    const { raw } = database.connection;
    const attempt = raw.transaction(async (sql) => {
      const [row] = await sql.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
      // Between two statements, no query running: the server ends this backend.
      await adminQuery(`SELECT pg_terminate_backend(${Number(row?.pid)})`);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await sql.query("SELECT 1");
    });
    await expect(attempt).rejects.toThrow();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(uncaught).toEqual([]);
    expect(await raw.query<{ ok: number }>("SELECT 1 AS ok")).toEqual([{ ok: 1 }]);
  });
});
