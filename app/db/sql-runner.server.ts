import type { Prisma } from "~/generated/prisma/client";
import { noteSqlStatement } from "~/lib/request-context.server";
import { connection } from "./index.server";

/**
 * Raw SQL, whoever runs it: a Prisma client or transaction, or a transaction straight on the
 * driver (rawSqlTransaction). Statements are written with Prisma.sql`…` either way.
 */
export interface SqlRunner {
  query<Row>(sql: Prisma.Sql): Promise<Row[]>;
}

type PrismaQueryable = { $queryRaw<T = unknown>(query: Prisma.Sql): Prisma.PrismaPromise<T> };

/** A Prisma client or transaction as a SqlRunner. */
export function prismaRunner(client: PrismaQueryable): SqlRunner {
  return { query: <Row>(sql: Prisma.Sql) => client.$queryRaw<Row[]>(sql) };
}

/** Either kind, as a SqlRunner. */
export function asSqlRunner(client: SqlRunner | PrismaQueryable): SqlRunner {
  return "$queryRaw" in client ? prismaRunner(client) : client;
}

/**
 * fn inside BEGIN … COMMIT on one pooled connection of the driver itself (pg, or PGlite),
 * without Prisma's interactive transaction: each statement is one round trip and no query
 * compilation (checkout, issue #12, decision 034), and on the server a prepared statement of the
 * pooled connection (decision 040): fn's statements must be fixed texts (values as parameters). ROLLBACK when fn throws. Each statement is
 * counted like Prisma's (Server-Timing, the SQL-per-request tests).
 */
export async function rawSqlTransaction<T>(fn: (sql: SqlRunner) => Promise<T>): Promise<T> {
  return await connection().raw.transaction(async (raw) =>
    fn({
      async query<Row>(sql: Prisma.Sql) {
        const started = performance.now();
        try {
          // The placement's statements are the same text every time: prepared once per connection.
          return await raw.query<Row>(sql.text, sql.values, { prepare: true });
        } finally {
          noteSqlStatement(performance.now() - started);
        }
      },
    }),
  );
}
