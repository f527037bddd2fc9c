// The pieces of `npm run cluster` (scripts/cluster.ts): the PostgreSQL primary and its streaming
// replica (Debian's binaries, run as a non-root user), nginx in front of the app nodes, and the
// processes the cluster starts, each logging to a file of its own and stopped in reverse order.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";

export const PG_BIN = process.env.PG_BIN ?? "/usr/lib/postgresql/15/bin";
export const NGINX_BIN = process.env.NGINX_BIN ?? "/usr/sbin/nginx";

/** A file every cluster folder holds: --fresh deletes only a folder that has it. */
export const MARKER = ".yicun-cluster";

/** A failure the cluster reports to the operator: a message key under `cluster.cli.` and its values. */
export class ClusterError extends Error {
  constructor(
    readonly key: string,
    readonly values: Record<string, string | number> = {},
  ) {
    super(`${key} ${JSON.stringify(values)}`);
  }
}

/** What the cluster runs as: itself, or (when root, which PostgreSQL refuses) the `postgres` user. */
export interface OsUser {
  uid: number;
  gid: number;
  name: string;
}

export function postgresUser(): OsUser | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
    return { uid, gid, name: "postgres" };
  } catch {
    throw new ClusterError("noPostgresUser");
  }
}

/** Folders the cluster keeps (the data stays between runs unless --fresh). */
export interface ClusterLayout {
  root: string;
  pg: string;
  primary: string;
  replica: string;
  sockets: string;
  logs: string;
  media: string;
  exports: string;
  nginx: string;
}

export function layout(root: string): ClusterLayout {
  const pgDir = path.join(root, "pg");
  return {
    root,
    pg: pgDir,
    primary: path.join(pgDir, "primary"),
    replica: path.join(pgDir, "replica"),
    sockets: path.join(pgDir, "sockets"),
    logs: path.join(root, "logs"),
    media: path.join(root, "media"),
    exports: path.join(root, "exports"),
    nginx: path.join(root, "nginx"),
  };
}

/** Creates the folders; the PostgreSQL ones belong to `pgUser` when given. */
export function prepareFolders(dirs: ClusterLayout, { fresh, pgUser }: { fresh: boolean; pgUser?: OsUser }) {
  if (fresh && fs.existsSync(dirs.root)) {
    if (!fs.existsSync(path.join(dirs.root, MARKER)))
      throw new ClusterError("freshRefused", { dir: dirs.root, marker: MARKER });
    fs.rmSync(dirs.root, { recursive: true, force: true });
  }
  if (fs.existsSync(dirs.root) && fs.readdirSync(dirs.root).length > 0 && !fs.existsSync(path.join(dirs.root, MARKER)))
    throw new ClusterError("notOurs", { dir: dirs.root });
  for (const dir of [dirs.root, dirs.logs, dirs.media, dirs.exports, dirs.nginx])
    fs.mkdirSync(dir, { recursive: true });
  fs.chmodSync(dirs.root, 0o755);
  fs.writeFileSync(path.join(dirs.root, MARKER), "made by npm run cluster; --fresh deletes this folder\n");
  fs.mkdirSync(dirs.sockets, { recursive: true });
  fs.chmodSync(dirs.pg, 0o700);
  if (pgUser) {
    for (const dir of [dirs.pg, dirs.sockets]) fs.chownSync(dir, pgUser.uid, pgUser.gid);
  }
}

/** Throws when something already listens on one of `ports` (127.0.0.1). */
export async function assertPortsFree(ports: number[]) {
  for (const port of ports) {
    const free = await new Promise<boolean>((resolve) => {
      const probe = net.createServer();
      probe.once("error", () => resolve(false));
      probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
    });
    if (!free) throw new ClusterError("portInUse", { port });
  }
}

export function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** A process the cluster started, its log file, and how it stops. */
export interface Managed {
  name: string;
  proc: ChildProcess;
  log: string;
  /** The signal that stops it cleanly (PostgreSQL: SIGINT = fast shutdown; nginx: SIGQUIT = graceful). */
  stopSignal: NodeJS.Signals;
  exited: Promise<void>;
  stopping: boolean;
}

/**
 * Starts `command` in a process group of its own (a terminal's Ctrl-C reaches only the cluster,
 * which then stops everything in order), output appended to `log`.
 */
export function startProcess(
  name: string,
  command: string,
  args: string[],
  options: { log: string; env?: NodeJS.ProcessEnv; user?: OsUser; stopSignal?: NodeJS.Signals; cwd?: string },
): Managed {
  const out = fs.openSync(options.log, "a");
  if (options.user) fs.fchownSync(out, options.user.uid, options.user.gid);
  const proc = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ["ignore", out, out],
    detached: true,
    ...(options.user ? { uid: options.user.uid, gid: options.user.gid } : {}),
  });
  fs.closeSync(out);
  const exited = new Promise<void>((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) resolve();
    else proc.once("exit", () => resolve());
    proc.once("error", () => resolve());
  });
  return { name, proc, log: options.log, stopSignal: options.stopSignal ?? "SIGTERM", exited, stopping: false };
}

/** Runs a command to its end (output to `log`); throws with the log's tail when it fails. */
export async function runToEnd(
  name: string,
  command: string,
  args: string[],
  options: { log: string; env?: NodeJS.ProcessEnv; user?: OsUser; cwd?: string },
): Promise<void> {
  const managed = startProcess(name, command, args, options);
  const code = await new Promise<number | null>((resolve) => {
    managed.proc.once("exit", (exitCode) => resolve(exitCode));
    managed.proc.once("error", () => resolve(-1));
  });
  if (code !== 0) throw new ClusterError("failed", { name, code: String(code), log: tail(options.log) });
}

/** The last lines of a log, for a failure's message. */
export function tail(file: string, lines = 15): string {
  try {
    return fs.readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

/** Signals `managed` to stop and waits; SIGKILL (to its whole group) after `graceMs`. */
export async function stopProcess(managed: Managed, graceMs: number): Promise<void> {
  const { proc } = managed;
  managed.stopping = true;
  if (proc.exitCode !== null || proc.signalCode !== null || proc.pid === undefined) return;
  try {
    process.kill(proc.pid, managed.stopSignal);
  } catch {
    return;
  }
  const done = await Promise.race([managed.exited.then(() => true), sleep(graceMs).then(() => false)]);
  if (!done) {
    try {
      process.kill(-proc.pid, "SIGKILL");
    } catch {
      // gone meanwhile
    }
    await managed.exited;
  }
}

/** Polls `check` until it holds; after `timeoutMs`, or once `managed` has ended, throws "notReady" with its log. */
export async function waitFor(
  check: () => Promise<boolean>,
  { timeoutMs, managed }: { timeoutMs: number; managed: Managed },
) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (!isRunning(managed) || Date.now() > until)
      throw new ClusterError("notReady", { name: managed.name, log: tail(managed.log) });
    await sleep(100);
  }
}

export function isRunning(managed: Managed) {
  return managed.proc.exitCode === null && managed.proc.signalCode === null;
}

// PostgreSQL ------------------------------------------------------------------------------------

/** Settings given on the postgres command line (they win over any postgresql.conf). */
function postgresArgs(dataDir: string, port: number, sockets: string, standby: boolean) {
  const settings: Record<string, string> = {
    port: String(port),
    listen_addresses: "127.0.0.1",
    unix_socket_directories: sockets,
    wal_level: "replica",
    max_wal_senders: "10",
    // Enough WAL kept for a replica that was stopped a while to catch up without a slot.
    wal_keep_size: "512MB",
    hot_standby: "on",
    max_connections: "200",
    // The replica answers reads that conflict with vacuum on the primary instead of cancelling them.
    hot_standby_feedback: standby ? "on" : "off",
    logging_collector: "off",
  };
  return ["-D", dataDir, ...Object.entries(settings).flatMap(([name, value]) => ["-c", `${name}=${value}`])];
}

/** initdb into `dataDir` when it holds no cluster yet (trust on 127.0.0.1 and the socket, replication included). */
export async function initPrimary(dataDir: string, logs: string, user?: OsUser): Promise<boolean> {
  if (fs.existsSync(path.join(dataDir, "PG_VERSION"))) return false;
  await runToEnd(
    "initdb",
    path.join(PG_BIN, "initdb"),
    ["-D", dataDir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"],
    { log: path.join(logs, "initdb.log"), user },
  );
  return true;
}

export function startPostgres(
  name: string,
  dataDir: string,
  {
    port,
    sockets,
    logs,
    user,
    standby,
  }: { port: number; sockets: string; logs: string; user?: OsUser; standby: boolean },
): Managed {
  return startProcess(name, path.join(PG_BIN, "postgres"), postgresArgs(dataDir, port, sockets, standby), {
    log: path.join(logs, `${name}.log`),
    user,
    stopSignal: "SIGINT",
  });
}

export async function query<Row = Record<string, unknown>>(url: string, sql: string, params: unknown[] = []) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  client.on("error", () => undefined);
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as Row[];
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The URL with another host, port or database. */
export function moveUrl(url: string, change: { host?: string; port?: number; database?: string }): string {
  const parsed = new URL(url);
  if (change.host) parsed.hostname = change.host;
  if (change.port) parsed.port = String(change.port);
  if (change.database) parsed.pathname = `/${change.database}`;
  return parsed.toString();
}

/** Creates `database` on the server at `adminUrl` when missing. */
export async function ensureDatabase(adminUrl: string, database: string) {
  const rows = await query(adminUrl, "SELECT 1 FROM pg_database WHERE datname = $1", [database]);
  if (rows.length === 0) await query(adminUrl, `CREATE DATABASE "${database.replace(/"/g, '""')}"`);
}

/**
 * A standby of the primary at `primaryUrl` in `dataDir` (pg_basebackup -R: it streams from the
 * primary as the URL's user), made when the folder holds none yet. A base backup of a Debian
 * cluster has no configuration files (they live in /etc/postgresql): minimal ones are written.
 */
export async function initReplica(dataDir: string, primaryUrl: string, logs: string, user?: OsUser): Promise<boolean> {
  if (fs.existsSync(path.join(dataDir, "PG_VERSION"))) return false;
  const parsed = new URL(primaryUrl);
  fs.rmSync(dataDir, { recursive: true, force: true });
  await runToEnd(
    "pg_basebackup",
    path.join(PG_BIN, "pg_basebackup"),
    [
      "-h",
      parsed.hostname,
      "-p",
      parsed.port || "5432",
      "-U",
      decodeURIComponent(parsed.username || "postgres"),
      "-D",
      dataDir,
      "-R",
      "-X",
      "stream",
      "-c",
      "fast",
      "-w",
    ],
    {
      log: path.join(logs, "pg_basebackup.log"),
      user,
      env: { ...process.env, ...(parsed.password ? { PGPASSWORD: decodeURIComponent(parsed.password) } : {}) },
    },
  );
  const write = (file: string, text: string) => {
    const target = path.join(dataDir, file);
    if (fs.existsSync(target)) return;
    fs.writeFileSync(target, text, { mode: 0o600 });
    if (user) fs.chownSync(target, user.uid, user.gid);
  };
  write("postgresql.conf", "# written by npm run cluster: settings come from the command line\n");
  write(
    "pg_hba.conf",
    "local all all trust\nhost all all 127.0.0.1/32 trust\nhost replication all 127.0.0.1/32 trust\n",
  );
  write("pg_ident.conf", "");
  return true;
}

/** Whether the primary at `primaryUrl` streams to a standby (pg_stat_replication). */
export async function replicaStreaming(primaryUrl: string): Promise<boolean> {
  const rows = await query<{ state: string }>(primaryUrl, "SELECT state FROM pg_stat_replication");
  return rows.some((row) => row.state === "streaming");
}

/** nginx's `user` directive when run as root (its workers drop to nobody), else none (ignored anyway). */
export function nginxWorkerUser(): string | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    return `nobody ${execFileSync("id", ["-gn", "nobody"], { encoding: "utf8" }).trim()}`;
  } catch {
    return undefined;
  }
}

// nginx -----------------------------------------------------------------------------------------

/**
 * nginx in front of the app nodes: round robin, a failed node's idempotent requests retried on the
 * next (never a POST), /readyz passed through as the balancer's own health, gzip off (the app
 * compresses and serves pre-compressed assets), bodies up to what the upload routes take.
 */
export function nginxConfig({
  listenPort,
  nodePorts,
  folder,
  logs,
  maxBodyBytes,
  workerUser,
}: {
  listenPort: number;
  nodePorts: number[];
  folder: string;
  logs: string;
  maxBodyBytes: number;
  workerUser?: string;
}): string {
  const temp = (name: string) => `${name} ${path.join(folder, name.replace(/_path$/, ""))};`;
  return `# Written by npm run cluster on each start; edit scripts/lib/cluster.ts instead. deploy/nginx.conf is the
# same layout for a real deployment.
${workerUser ? `user ${workerUser};` : ""}
worker_processes 1;
pid ${path.join(folder, "nginx.pid")};
error_log ${path.join(logs, "nginx-error.log")} warn;

events {
  worker_connections 1024;
}

http {
  access_log ${path.join(logs, "nginx-access.log")};
  ${temp("client_body_temp_path")}
  ${temp("proxy_temp_path")}
  ${temp("fastcgi_temp_path")}
  ${temp("uwsgi_temp_path")}
  ${temp("scgi_temp_path")}
  gzip off;
  server_tokens off;
  client_max_body_size ${maxBodyBytes};

  upstream yicun_app {
${nodePorts.map((port) => `    server 127.0.0.1:${port} max_fails=1 fail_timeout=5s;`).join("\n")}
    keepalive 16;
  }

  server {
    listen 127.0.0.1:${listenPort};

    location / {
      proxy_pass http://yicun_app;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header X-Request-Id $request_id;
      # A node that refuses, times out or is draining: idempotent requests go to the next one.
      proxy_next_upstream error timeout http_502 http_503 http_504;
      proxy_next_upstream_tries 3;
      proxy_connect_timeout 2s;
      proxy_read_timeout 120s;
      # Uploads stream to the node; the node bounds what it reads.
      proxy_request_buffering off;
    }
  }
}
`;
}

/** `pg_ctl <args> -D dataDir` to its end, as `user`: e.g. `stop -m immediate` (a crash) or `promote`. */
export async function pgCtl(args: string[], dataDir: string, { logs, user }: { logs: string; user?: OsUser }) {
  await runToEnd("pg_ctl", path.join(PG_BIN, "pg_ctl"), [...args, "-D", dataDir, "-w", "-t", "60"], {
    log: path.join(logs, "pg_ctl.log"),
    user,
  });
}

/** SIGKILL to a started process and its group (a node that crashes, as `kill -9` does); resolves when it is gone. */
export async function killProcess(managed: Managed): Promise<void> {
  managed.stopping = true;
  if (managed.proc.pid === undefined || !isRunning(managed)) return;
  try {
    process.kill(-managed.proc.pid, "SIGKILL");
  } catch {
    // gone meanwhile
  }
  await managed.exited;
}

/** nginx's TCP proxy module (Debian: libnginx-mod-stream). */
export const NGINX_STREAM_MODULE = process.env.NGINX_STREAM_MODULE ?? "/usr/lib/nginx/modules/ngx_stream_module.so";

/**
 * A stable database address: nginx's `stream {}` proxy on `listenPort` passing TCP to the PostgreSQL
 * on `targetPort`. Failing over is rewriting this file with the new target and reloading nginx
 * (SIGHUP, what `nginx -s reload` sends): new connections go to the new primary.
 */
export function databaseProxyConfig({
  listenPort,
  targetPort,
  folder,
  logs,
  workerUser,
}: {
  listenPort: number;
  targetPort: number;
  folder: string;
  logs: string;
  workerUser?: string;
}): string {
  return `# Written by npm run drill; edit scripts/lib/cluster.ts instead.
load_module ${NGINX_STREAM_MODULE};
${workerUser ? `user ${workerUser};` : ""}
worker_processes 1;
pid ${path.join(folder, "nginx.pid")};
error_log ${path.join(logs, "db-proxy-error.log")} warn;

events {
  worker_connections 1024;
}

stream {
  upstream database {
    server 127.0.0.1:${targetPort};
  }
  server {
    listen 127.0.0.1:${listenPort};
    proxy_pass database;
    proxy_connect_timeout 2s;
    # Pooled connections sit idle for long; only the app's own idle timeout ends them.
    proxy_timeout 24h;
  }
}
`;
}
