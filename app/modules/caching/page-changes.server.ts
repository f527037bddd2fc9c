import { randomUUID } from "node:crypto";
import pg from "pg";
import { connection } from "~/db/index.server";
import { logger } from "~/lib/logger.server";
import { EVERY_PAGE, type PageStore } from "./page-store.server";

// What pages show changed: the database says so. Triggers on the tables pages are made from
// (prisma/migrations/…_page_cache_notify) send `NOTIFY page_changes, '<shop id>'` (or '*'),
// which PostgreSQL delivers when the writing transaction commits, to every process that
// listens — whichever module, script or process wrote. Each process's shared page cache
// listens on a connection of its own; while that connection is down the cache serves nothing
// (it cannot know what changed) and empties itself when it is back.
// See docs/decisions/019-shared-page-cache.md.

export const PAGE_CHANGES_CHANNEL = "page_changes";
const SYNC_PREFIX = "sync:";
const HEARTBEAT_MS = 10_000;
const HEARTBEAT_TIMEOUT_MS = 5_000;

export interface PageChangeListener {
  /** True while changes are being heard: only then may the cache answer. */
  readonly online: boolean;
  /**
   * Resolves once every change committed before the call has reached this listener
   * (a notification of its own, delivered after all earlier ones). For tests and scripts.
   */
  sync(): Promise<void>;
  close(): Promise<void>;
}

/** Listens for this process's database: its own connection on a server, PGlite's channel when embedded. */
export function listenForPageChanges(store: PageStore): Promise<PageChangeListener> {
  const db = connection();
  if (db.kind === "server" && db.url) return ServerListener.start(db.url, store);
  if (!db.listen) throw new Error("this database connection cannot listen for notifications");
  return EmbeddedListener.start(db.listen, store);
}

class SyncWaiters {
  #waiting = new Map<string, () => void>();

  /** A token to send; resolves when it comes back. */
  expect(): { token: string; arrived: Promise<void> } {
    const token = `${SYNC_PREFIX}${randomUUID()}`;
    const arrived = new Promise<void>((resolve) => this.#waiting.set(token, resolve));
    return { token, arrived };
  }

  /** True when the payload was a sync token rather than a change. */
  deliver(payload: string): boolean {
    if (!payload.startsWith(SYNC_PREFIX)) return false;
    this.#waiting.get(payload)?.();
    this.#waiting.delete(payload);
    return true;
  }
}

/** A PostgreSQL server: a dedicated pg connection in LISTEN, reopened after it is lost. */
export class ServerListener implements PageChangeListener {
  #client: pg.Client | null = null;
  #online = false;
  #closed = false;
  #retry: NodeJS.Timeout | null = null;
  #heartbeat: NodeJS.Timeout | null = null;
  #sync = new SyncWaiters();

  private constructor(
    private readonly url: string,
    private readonly store: PageStore,
    private readonly retryMs: number,
  ) {}

  static async start(url: string, store: PageStore, retryMs = 1_000): Promise<ServerListener> {
    const listener = new ServerListener(url, store, retryMs);
    await listener.#connect();
    return listener;
  }

  get online() {
    return this.#online;
  }

  /** The server process behind the LISTEN connection (tests end it to cut the bus). */
  get backendPid(): number | null {
    return (this.#client as unknown as { processID?: number } | null)?.processID ?? null;
  }

  async #connect() {
    const client = new pg.Client({ connectionString: this.url, keepAlive: true });
    client.on("notification", (message) => {
      if (message.channel !== PAGE_CHANGES_CHANNEL) return;
      const payload = message.payload ?? EVERY_PAGE;
      if (!this.#sync.deliver(payload)) this.store.invalidate(payload);
    });
    client.on("error", (error) => this.#lost(client, error));
    client.on("end", () => this.#lost(client, null));
    try {
      await client.connect();
      await client.query(`LISTEN ${PAGE_CHANGES_CHANNEL}`);
    } catch (error) {
      this.#lost(client, error);
      return;
    }
    if (this.#closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.#client = client;
    // Whatever changed while nobody listened is unknown: start from nothing.
    this.store.invalidate(EVERY_PAGE);
    this.#online = true;
    logger.info({ channel: PAGE_CHANGES_CHANNEL }, "page cache: listening for changes");
    // A connection can die without a word (a network partition): a notification of its own must
    // come back every heartbeat, or the connection counts as lost.
    this.#heartbeat ??= setInterval(() => {
      const current = this.#client;
      if (!current) return;
      const timeout = new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error("no heartbeat")), HEARTBEAT_TIMEOUT_MS).unref(),
      );
      Promise.race([this.sync(), timeout]).catch((error: unknown) => this.#lost(current, error));
    }, HEARTBEAT_MS).unref();
  }

  #lost(client: pg.Client, error: unknown) {
    if (this.#client !== null && this.#client !== client) return;
    const wasOnline = this.#online;
    this.#online = false;
    this.#client = null;
    this.store.invalidate(EVERY_PAGE);
    client.removeAllListeners("end");
    client.on("error", () => undefined);
    client.end().catch(() => undefined);
    if (this.#closed) return;
    if (wasOnline)
      logger.warn(
        { err: error ?? undefined },
        "page cache: change notifications lost; rendering every page until back",
      );
    if (!this.#retry)
      this.#retry = setTimeout(() => {
        this.#retry = null;
        if (!this.#closed) void this.#connect();
      }, this.retryMs).unref();
  }

  async sync() {
    const client = this.#client;
    if (!client) throw new Error("page cache: not listening");
    const { token, arrived } = this.#sync.expect();
    await client.query("SELECT pg_notify($1, $2)", [PAGE_CHANGES_CHANNEL, token]);
    await arrived;
  }

  async close() {
    this.#closed = true;
    this.#online = false;
    if (this.#retry) clearTimeout(this.#retry);
    if (this.#heartbeat) clearInterval(this.#heartbeat);
    const client = this.#client;
    this.#client = null;
    if (client) {
      client.removeAllListeners("end");
      await client.end().catch(() => undefined);
    }
  }
}

type Listen = NonNullable<ReturnType<typeof connection>["listen"]>;

/** The embedded database belongs to this process alone: its own notifications are all there is. */
class EmbeddedListener implements PageChangeListener {
  readonly online = true;
  #sync = new SyncWaiters();
  #unlisten: (() => Promise<void>) | null = null;

  static async start(listen: Listen, store: PageStore): Promise<EmbeddedListener> {
    const listener = new EmbeddedListener();
    listener.#unlisten = await listen(PAGE_CHANGES_CHANNEL, (payload) => {
      if (!listener.#sync.deliver(payload)) store.invalidate(payload || EVERY_PAGE);
    });
    listener.#notify = (token) => connection().raw.query("SELECT pg_notify($1, $2)", [PAGE_CHANGES_CHANNEL, token]);
    return listener;
  }

  #notify: ((token: string) => Promise<unknown>) | null = null;

  async sync() {
    const { token, arrived } = this.#sync.expect();
    await this.#notify?.(token);
    await arrived;
  }

  async close() {
    await this.#unlisten?.();
  }
}
