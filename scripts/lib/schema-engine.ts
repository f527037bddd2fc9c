/**
 * Prisma's schema engine without its native binary: the WASM build
 * (`@prisma/schema-engine-wasm`), driven through driver adapters.
 *
 * Developer-time only (new migrations, the drift check); never on the app's
 * start-up path. See /work/shared/notes/offline-toolchain.md, "Prisma 7 without internet".
 *
 * The engine replays the migration history on a *shadow database* to learn the
 * schema the migrations produce, then diffs that against schema.prisma:
 * - TEST_DATABASE_URL or DATABASE_URL set (postgres:// URL): a temporary database
 *   `shadow_<time>_<random>` on that server, dropped afterwards (also on error and Ctrl-C);
 * - neither set: an in-memory PGlite (embedded PostgreSQL), slower but needs nothing running.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { PrismaPg } from "@prisma/adapter-pg";
import {
  bindMigrationAwareSqlAdapterFactory,
  ColumnTypeEnum,
  DriverAdapterError,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
  type SqlQuery,
  type SqlResultSet,
} from "@prisma/driver-adapter-utils";
import type {
  SchemaEngine as Engine,
  MigrationDirectory,
  MigrationList,
  SchemaContainer,
} from "@prisma/schema-engine-wasm";
import pg from "pg";
import type * as SchemaEngineBindings from "@prisma/schema-engine-wasm/schema_engine_bg";
import { PrismaPGlite } from "pglite-prisma-adapter";

// ─── Shadow database choice ────────────────────────────────────────────────

export type ShadowDatabase =
  /**
   * A temporary database created on this PostgreSQL server. The URL's own database is
   * only connected to (CREATE/DROP DATABASE, and one read-only version query by the engine).
   */
  | { kind: "server"; url: string }
  /** An in-memory PGlite. */
  | { kind: "pglite" };

/** TEST_DATABASE_URL, else DATABASE_URL, else in-memory PGlite. */
export function chooseShadowDatabase(env: Record<string, string | undefined> = process.env): ShadowDatabase {
  for (const name of ["TEST_DATABASE_URL", "DATABASE_URL"] as const) {
    const url = env[name]?.trim();
    if (!url) continue;
    if (!/^postgres(ql)?:\/\//.test(url)) {
      throw new SchemaEngineError(
        `${name} must be a postgresql:// URL, e.g. postgresql://postgres@127.0.0.1:5432/postgres.`,
      );
    }
    return { kind: "server", url };
  }
  return { kind: "pglite" };
}

export function describeShadowDatabase(shadow: ShadowDatabase): string {
  return shadow.kind === "server"
    ? `a temporary database on ${redact(shadow.url)}`
    : "an in-memory PGlite (set TEST_DATABASE_URL or DATABASE_URL to use a PostgreSQL server: faster)";
}

export class SchemaEngineError extends Error {
  override name = "SchemaEngineError";
}

// ─── Inputs: schema files and the migration history ────────────────────────

/** The Prisma schema: one file, or every *.prisma file under a folder. */
export async function readSchemaFiles(schemaPath: string): Promise<SchemaContainer[]> {
  const absolute = path.resolve(schemaPath);
  const stat = await fs.stat(absolute).catch(() => null);
  if (!stat) throw new SchemaEngineError(`Prisma schema not found: ${absolute}`);
  const paths = stat.isDirectory()
    ? (await fs.readdir(absolute, { recursive: true }))
        .filter((name) => name.endsWith(".prisma"))
        .sort()
        .map((name) => path.join(absolute, name))
    : [absolute];
  if (paths.length === 0) throw new SchemaEngineError(`No .prisma files under ${absolute}`);
  return Promise.all(paths.map(async (file) => ({ path: file, content: await fs.readFile(file, "utf8") })));
}

/** prisma/migrations as the engine wants it: every `<name>/migration.sql`, in name order. */
export async function readMigrationsList(migrationsDir: string): Promise<MigrationList> {
  const baseDir = path.resolve(migrationsDir);
  const entries = await fs.readdir(baseDir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return [];
    throw error;
  });
  const migrationDirectories: MigrationDirectory[] = [];
  for (const entry of entries.filter((e) => e.isDirectory()).sort((a, b) => compare(a.name, b.name))) {
    const file = path.join(baseDir, entry.name, "migration.sql");
    const content = await fs.readFile(file, "utf8").then(
      (value) => ({ tag: "ok" as const, value }),
      (error: Error) => ({ tag: "error" as const, value: `Could not read ${file}: ${error.message}` }),
    );
    migrationDirectories.push({ path: entry.name, migrationFile: { path: "migration.sql", content } });
  }
  const lockfile = await fs.readFile(path.join(baseDir, "migration_lock.toml"), "utf8").catch(() => null);
  return {
    baseDir,
    lockfile: { path: "migration_lock.toml", content: lockfile },
    shadowDbInitScript: "",
    migrationDirectories,
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// ─── The diff ──────────────────────────────────────────────────────────────

export interface DiffOptions {
  /** prisma/schema.prisma (or a folder of .prisma files). */
  schemaPath: string;
  /** prisma/migrations. */
  migrationsDir: string;
  /** Defaults to chooseShadowDatabase(). */
  shadow?: ShadowDatabase;
  /** Engine log lines (JSON strings); default: printed when SCHEMA_ENGINE_DEBUG is set. */
  onLog?: (line: string) => void;
}

/**
 * The SQL that brings a database built by the migrations in `migrationsDir` to
 * the schema in `schemaPath`; "" when they agree.
 */
export async function diffMigrationsToSchema(options: DiffOptions): Promise<string> {
  const files = await readSchemaFiles(options.schemaPath);
  const migrations = await readMigrationsList(options.migrationsDir);
  const result = await withSchemaEngine(files, options, (engine) =>
    engine.diff({
      from: { tag: "migrations", ...migrations },
      to: { tag: "schemaDatamodel", files },
      script: true,
      exitCode: null,
      filters: { externalTables: [], externalEnums: [] },
    }),
  );
  return normaliseDiffScript(result.stdout ?? "");
}

/** The engine's script, or "" when it only says the migration would be empty. */
export function normaliseDiffScript(script: string): string {
  const trimmed = script.trim();
  if (trimmed === "" || /^--\s*This is an empty migration\.?$/i.test(trimmed)) return "";
  return `${trimmed}\n`;
}

type Bindings = typeof SchemaEngineBindings;

async function withSchemaEngine<T>(
  files: SchemaContainer[],
  options: Pick<DiffOptions, "shadow" | "onLog">,
  run: (engine: Engine) => Promise<T>,
): Promise<T> {
  const bindings = await loadSchemaEngine();
  const factory = new ShadowAwareFactory(options.shadow ?? chooseShadowDatabase());
  const onLog =
    options.onLog ?? (process.env.SCHEMA_ENGINE_DEBUG ? (line: string) => console.error(line) : () => undefined);

  // Ctrl-C while the engine runs: drop the temporary database before leaving.
  const onSignal = (signal: NodeJS.Signals) => {
    void factory.cleanup().finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
  };
  // A Rust panic inside an async step surfaces as an uncaught WebAssembly.RuntimeError,
  // not as a rejection, and the pending call never settles: turn it into this call's
  // error (so the temporary database is still dropped) and load a fresh instance next time.
  let onCrash: (error: Error) => void = () => undefined;
  const crashed = new Promise<never>((_, reject) => {
    onCrash = (error) => {
      if (!(error instanceof WebAssembly.RuntimeError) && panics.last === undefined) {
        // Not ours: behave as if this listener were not there.
        if (process.listenerCount("uncaughtException") === 1) throw error;
        return;
      }
      loading = undefined;
      reject(error);
    };
  });
  crashed.catch(() => undefined);
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  process.on("uncaughtException", onCrash);

  let engine: Engine | undefined;
  try {
    const started = bindings.SchemaEngine.new(
      { datamodels: files.map((f): [string, string] => [f.path, f.content]) },
      (line: unknown) => onLog(String(line)),
      bindMigrationAwareSqlAdapterFactory(factory),
    );
    engine = await Promise.race([started, crashed]);
    return await Promise.race([run(engine), crashed]);
  } catch (error) {
    throw toError(error);
  } finally {
    process.off("uncaughtException", onCrash);
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    try {
      engine?.free();
    } catch {
      // a panicked instance may refuse; it is dropped anyway
    }
    // A failed cleanup is reported, never thrown: it must not hide the real result.
    await factory.cleanup().catch((cleanupError: unknown) => console.error(messageOf(cleanupError)));
  }
}

/** The engine rejects with plain objects or strings; make them Errors with a readable message. */
function toError(error: unknown): Error {
  const panic = panics.last;
  panics.last = undefined;
  if (panic !== undefined) {
    return new SchemaEngineError(`The schema engine panicked: ${panic}`, { cause: error });
  }
  if (error instanceof Error) {
    // Drop the engine's Rust span trace ("   0: schema_engine_wasm::… at …rs:242") from the message.
    error.message = error.message.replace(/\n\s*0: schema_engine[\s\S]*$/, "").trimEnd();
    return error;
  }
  if (typeof error === "string") return new SchemaEngineError(error);
  if (error && typeof error === "object") {
    const { message, error: inner } = error as { message?: unknown; error?: unknown };
    const text = typeof message === "string" ? message : typeof inner === "string" ? inner : JSON.stringify(error);
    return new SchemaEngineError(text);
  }
  return new SchemaEngineError(String(error));
}

// ─── Loading the WASM engine (once per process) ────────────────────────────

let loading: Promise<Bindings> | undefined;

/**
 * The package is a wasm-bindgen "bundler" build (`import * as wasm from "./x.wasm"`),
 * which Node cannot import: instantiate the .wasm ourselves and hand it to the JS glue.
 */
export function loadSchemaEngine(): Promise<Bindings> {
  loading ??= instantiate().catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

/** Where the engine's Rust panics leave their message (the glue code writes to this global). */
const panics: { last: string | undefined } = { last: undefined };

async function instantiate(): Promise<Bindings> {
  const registry = globalThis as { PRISMA_WASM_PANIC_REGISTRY?: { set_message(message: string): void } };
  registry.PRISMA_WASM_PANIC_REGISTRY ??= {
    set_message: (message: string) => {
      panics.last = message;
    },
  };
  const bindings: Bindings = await import("@prisma/schema-engine-wasm/schema_engine_bg");
  const glue = bindings as unknown as Record<string, unknown>;
  const require = createRequire(import.meta.url);
  const wasmPath = path.join(
    path.dirname(require.resolve("@prisma/schema-engine-wasm/schema_engine_bg")),
    "schema_engine_bg.wasm",
  );
  const module = await WebAssembly.compile(await fs.readFile(wasmPath));
  const imports: Record<string, Record<string, WebAssembly.ImportValue>> = {};
  for (const { module: from, name } of WebAssembly.Module.imports(module)) {
    // The engine's timers (e.g. idle connection pools) would keep Node alive for
    // ~10 s after we are done: let them run, but not hold the process open.
    const value = name.startsWith("__wbg_setTimeout_") ? unrefSetTimeout : glue[name];
    if (typeof value !== "function") {
      throw new SchemaEngineError(`@prisma/schema-engine-wasm: the glue code has no import ${from}.${name}`);
    }
    (imports[from] ??= {})[name] = value as WebAssembly.ImportValue;
  }
  const instance = await WebAssembly.instantiate(module, imports);
  bindings.__wbg_set_wasm(instance.exports);
  const start = instance.exports.__wbindgen_start;
  if (typeof start === "function") (start as () => void)();
  return bindings;
}

function unrefSetTimeout(callback: () => void, ms: number): NodeJS.Timeout {
  const timer = setTimeout(callback, ms >>> 0);
  timer.unref();
  return timer;
}

// ─── Driver adapters for the engine ────────────────────────────────────────

/**
 * A migration-aware adapter factory whose shadow databases are temporary
 * databases on a server, or in-memory PGlites, and that works around the
 * defects of the 7.10 adapters (see the notes):
 * - adapter-pg throws on PostgreSQL's `"char"` type (oid 18), which the engine's
 *   introspection reads: such columns are reported as Character (see reportCharAsText);
 * - adapter-pg's executeScript splits on ";" (breaks `$$` bodies, not atomic):
 *   scripts go in one simple-protocol query, as the native engine sends them;
 * - adapter-pg drops its shadow database while its pool is still open: ours ends
 *   the pool first, then drops the database;
 * - pglite-prisma-adapter's executeScript does not await, so failures vanish: awaited here.
 */
class ShadowAwareFactory implements SqlMigrationAwareDriverAdapterFactory {
  readonly provider = "postgres" as const;
  readonly adapterName = "yicun-shadow";
  private readonly cleanups: Array<() => Promise<void>> = [];

  constructor(private readonly shadow: ShadowDatabase) {}

  /** The "main" database. A diff between migrations and a schema never writes to it. */
  async connect(): Promise<SqlDriverAdapter> {
    return this.shadow.kind === "server" ? this.serverAdapter(this.shadow.url) : this.pgliteAdapter();
  }

  async connectToShadowDb(): Promise<SqlDriverAdapter> {
    if (this.shadow.kind === "pglite") return this.pgliteAdapter();
    const name = `shadow_${Date.now()}_${randomBytes(4).toString("hex")}`;
    const adminUrl = this.shadow.url;
    await withClient(adminUrl, (c) => c.query(`CREATE DATABASE "${name}" TEMPLATE template0`)).catch(
      (error: unknown) => {
        throw new SchemaEngineError(
          `Could not create the temporary shadow database on ${redact(adminUrl)}: ${messageOf(error)}. ` +
            `The role needs CREATEDB; or unset TEST_DATABASE_URL/DATABASE_URL to use an in-memory PGlite.`,
        );
      },
    );
    let dropped = false;
    const drop = async () => {
      if (dropped) return;
      dropped = true;
      await withClient(adminUrl, async (c) => {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(async (error: { code?: string }) => {
          if (error.code !== "42601") throw error; // WITH (FORCE) needs PostgreSQL 13+
          await c.query(`DROP DATABASE IF EXISTS "${name}"`);
        });
      });
    };
    this.cleanups.push(drop);
    return this.serverAdapter(withDatabase(adminUrl, name), drop);
  }

  /** Closes every connection and drops every temporary database; safe to call twice. */
  async cleanup(): Promise<void> {
    const errors: unknown[] = [];
    // Pools before the databases they point at (registered later = closed first).
    for (const step of this.cleanups.splice(0).reverse()) {
      await step().catch((error: unknown) => errors.push(error));
    }
    if (errors.length > 0) {
      throw new SchemaEngineError(`Cleaning up the shadow database failed: ${errors.map(messageOf).join("; ")}`);
    }
  }

  private serverAdapter(url: string, afterDispose?: () => Promise<void>): SqlDriverAdapter {
    const pool = new pg.Pool({ connectionString: url, max: 4 });
    pool.on("error", () => undefined); // an idle client's error must not crash the process
    pool.on("connect", (client) => reportCharAsText(client));
    let ended = false;
    const end = async () => {
      if (ended) return;
      ended = true;
      await pool.end();
    };
    this.cleanups.push(end);
    const inner = new PrismaPg(pool).connect();
    return {
      provider: "postgres",
      adapterName: "@prisma/adapter-pg",
      queryRaw: withCharColumns(async (query) => (await inner).queryRaw(query)),
      executeRaw: async (query) => (await inner).executeRaw(query),
      startTransaction: async (isolationLevel) => {
        const transaction = await (await inner).startTransaction(isolationLevel);
        transaction.queryRaw = withCharColumns(transaction.queryRaw.bind(transaction));
        return transaction;
      },
      getConnectionInfo: () => ({ supportsRelationJoins: true }),
      executeScript: async (script) => {
        try {
          await pool.query(script);
        } catch (error) {
          throw toDriverAdapterError(error);
        }
      },
      dispose: async () => {
        await end();
        await afterDispose?.();
      },
    };
  }

  private async pgliteAdapter(): Promise<SqlDriverAdapter> {
    const db = new PGlite({ extensions: { pg_trgm } }); // in memory
    await db.waitReady;
    let closed = false;
    const close = async () => {
      if (closed) return;
      closed = true;
      await db.close();
    };
    this.cleanups.push(close);
    const inner = await new PrismaPGlite(db).connect();
    return {
      provider: "postgres",
      adapterName: inner.adapterName,
      queryRaw: (query) => inner.queryRaw(query),
      executeRaw: (query) => inner.executeRaw(query),
      startTransaction: (isolationLevel) => inner.startTransaction(isolationLevel),
      getConnectionInfo: () => ({ supportsRelationJoins: true }),
      executeScript: async (script) => {
        try {
          await db.exec(script);
        } catch (error) {
          throw toDriverAdapterError(error);
        }
      },
      dispose: close,
    };
  }
}

/**
 * adapter-pg throws "UnsupportedNativeDataType" on PostgreSQL's `"char"` type (oid 18),
 * which the engine's introspection reads (pg_constraint.contype …) and expects as
 * ColumnType Character. So: each pool client reports such columns as text (oid 25,
 * which adapter-pg accepts; the value is a string either way) and remembers them by
 * the result's rows array, which adapter-pg hands back unchanged; queryRaw then
 * turns those columns' type into Character.
 */
const charColumnsByRows = new WeakMap<unknown[], number[]>();

function reportCharAsText(client: pg.PoolClient): void {
  type Fields = { fields?: Array<{ dataTypeID: number }>; rows?: unknown[] };
  const fix = <R>(result: R): R => {
    const { fields, rows } = (result ?? {}) as Fields;
    const charColumns: number[] = [];
    fields?.forEach((field, index) => {
      if (field.dataTypeID !== 18) return;
      field.dataTypeID = 25;
      charColumns.push(index);
    });
    if (charColumns.length > 0 && rows) charColumnsByRows.set(rows, charColumns);
    return result;
  };
  const original = client.query.bind(client) as (...args: unknown[]) => unknown;
  const patched = (...args: unknown[]): unknown => {
    const last = args[args.length - 1];
    if (typeof last === "function") {
      const callback = last as (error: unknown, result: unknown) => void;
      return original(...args.slice(0, -1), (error: unknown, result: unknown) => callback(error, fix(result)));
    }
    const returned = original(...args);
    return returned instanceof Promise ? returned.then(fix) : returned;
  };
  (client as unknown as { query: typeof patched }).query = patched;
}

function withCharColumns(queryRaw: (query: SqlQuery) => Promise<SqlResultSet>) {
  return async (query: SqlQuery): Promise<SqlResultSet> => {
    const result = await queryRaw(query);
    for (const index of charColumnsByRows.get(result.rows) ?? []) result.columnTypes[index] = ColumnTypeEnum.Character;
    return result;
  };
}

function toDriverAdapterError(error: unknown): Error {
  const e = error as {
    code?: unknown;
    severity?: unknown;
    message?: unknown;
    detail?: unknown;
    hint?: unknown;
    column?: unknown;
  };
  if (typeof e?.code !== "string" || typeof e.message !== "string")
    return error instanceof Error ? error : new Error(String(error));
  const text = (v: unknown) => (typeof v === "string" ? v : undefined);
  return new DriverAdapterError({
    kind: "postgres",
    code: e.code,
    severity: text(e.severity) ?? "ERROR",
    message: e.message,
    detail: text(e.detail),
    column: text(e.column),
    hint: text(e.hint),
  });
}

async function withClient<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  client.on("error", () => undefined);
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The same server URL, pointing at another database. */
function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparseable URL)";
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
