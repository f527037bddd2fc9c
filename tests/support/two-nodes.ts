import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import {
  NGINX_BIN,
  nginxConfig,
  nginxWorkerUser,
  portOpen,
  startProcess,
  stopProcess,
  tail,
  type Managed,
} from "../../scripts/lib/cluster";
import { spawnBuiltServer, waitUntil } from "./built-server";

// Two nodes of the compiled server (build/server.mjs) on one database, behind nginx with the
// configuration `npm run cluster` writes (round robin), and a browser that talks to them over
// HTTP: its cookies kept between requests, forms posted as rendered. Which node answered is
// the X-Node header (NODE_NAME).

export const NGINX_PORT = 8461;
export const NODE_PORTS = [3461, 3462] as const;
export const NODE_NAMES = ["node-a", "node-b"] as const;
/** What the nodes take as their public origin: the balancer's. */
export const ORIGIN = `http://localhost:${NGINX_PORT}`;

/** Why the two nodes cannot run here, or null. */
export function twoNodesMissing(databaseUrl: string | undefined): string | null {
  if (!databaseUrl) return "needs a PostgreSQL server (TEST_DATABASE_URL)";
  if (!fs.existsSync(NGINX_BIN)) return `${NGINX_BIN} is not installed (apt-get install nginx)`;
  return null;
}

export interface AppNode {
  name: string;
  port: number;
  proc: ChildProcess;
  /** The last lines the node printed, for a failure's message. */
  output: () => string;
}

export interface TwoNodes {
  nodes: [AppNode, AppNode];
  nginx: Managed;
  stop(): Promise<void>;
}

/**
 * Starts both nodes on `databaseUrl` (the background worker in node A only, as one deployment
 * runs one), their photos and exports in `dir`, then nginx in front; resolves once nginx answers.
 */
export async function startTwoNodes({
  databaseUrl,
  dir,
  maxBodyBytes,
}: {
  databaseUrl: string;
  dir: string;
  maxBodyBytes: number;
}): Promise<TwoNodes> {
  for (const port of [NGINX_PORT, ...NODE_PORTS])
    if (await portOpen(port)) throw new Error(`port ${port} is already in use`);
  // nginx's workers run as nobody when the test runs as root: they must reach its folders.
  fs.chmodSync(dir, 0o755);
  const nodes = NODE_PORTS.map((port, i) =>
    startNode(port, NODE_NAMES[i]!, dir, {
      DATABASE_URL: databaseUrl,
      JOB_WORKER: i === 0 ? "in-process" : "separate",
    }),
  ) as [AppNode, AppNode];
  const logs = path.join(dir, "logs");
  const folder = path.join(dir, "nginx");
  fs.mkdirSync(logs, { recursive: true });
  fs.mkdirSync(folder, { recursive: true });
  const config = path.join(folder, "nginx.conf");
  fs.writeFileSync(
    config,
    nginxConfig({
      listenPort: NGINX_PORT,
      nodePorts: [...NODE_PORTS],
      folder,
      logs,
      maxBodyBytes,
      workerUser: nginxWorkerUser(),
    }),
  );
  let nginx: Managed | undefined;
  const stop = async () => {
    if (nginx) await stopProcess(nginx, 5_000);
    await Promise.all(nodes.map((node) => stopNode(node)));
  };
  try {
    for (const node of nodes) {
      await waitUntil(
        async () => {
          if (node.proc.exitCode !== null) throw new Error(`${node.name} exited:\n${node.output()}`);
          return (await request(node.port, "GET", "/readyz")).status === 200;
        },
        90_000,
        100,
      ).catch((error: Error) => {
        throw new Error(`${node.name} did not get ready (${error.message}):\n${node.output()}`);
      });
    }
    nginx = startProcess("nginx", NGINX_BIN, ["-c", config, "-p", folder, "-g", "daemon off;"], {
      log: path.join(logs, "nginx.log"),
      stopSignal: "SIGQUIT",
    });
    await waitUntil(async () => (await request(NGINX_PORT, "GET", "/readyz")).status === 200, 15_000, 100).catch(() => {
      throw new Error(`nginx did not answer:\n${tail(path.join(logs, "nginx.log"))}`);
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { nodes, nginx, stop };
}

function startNode(port: number, name: string, dir: string, env: Record<string, string>): AppNode {
  const proc = spawnBuiltServer(port, dir, {
    ...env,
    NODE_NAME: name,
    WEB_CONCURRENCY: "1",
    DATABASE_POOL_SIZE: "6",
    EXPORTS_DIR: path.join(dir, "exports"),
    // nginx on this machine names the client in X-Forwarded-For.
    TRUST_PROXY: "loopback",
    PUBLIC_ORIGIN: ORIGIN,
    PLATFORM_HOST: "localhost",
    LOG_LEVEL: "warn",
  });
  // Read everything it prints (a full pipe would stall it); keep the end for failures.
  let output = "";
  const keep = (chunk: string) => {
    output = (output + chunk).slice(-8_000);
  };
  proc.stdout!.setEncoding("utf8").on("data", keep);
  proc.stderr!.setEncoding("utf8").on("data", keep);
  return { name, port, proc, output: () => output };
}

async function stopNode(node: AppNode) {
  const { proc } = node;
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise((resolve) => proc.once("exit", resolve));
  proc.kill("SIGTERM");
  const timer = setTimeout(() => proc.kill("SIGKILL"), 15_000);
  await exited;
  clearTimeout(timer);
}

export interface Answer {
  status: number;
  /** The node that answered (X-Node). */
  node: string | undefined;
  location: string | null;
  /** The shared page cache's word on it (X-Page-Cache: hit, miss, bypass), if any. */
  cache: string | undefined;
  setCookies: string[];
  body: string;
}

/** One HTTP request to 127.0.0.1:`port` on a connection of its own, for the balancer's host. */
export function request(
  port: number,
  method: "GET" | "POST",
  pathname: string,
  { headers = {}, body }: { headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const outgoing = http.request(
      {
        host: "127.0.0.1",
        port,
        method,
        path: pathname,
        agent: false,
        headers: {
          Host: `localhost:${NGINX_PORT}`,
          ...(body === undefined ? {} : { "Content-Length": String(Buffer.byteLength(body)) }),
          ...headers,
        },
      },
      (response) => {
        let text = "";
        response.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
        response.on("end", () =>
          resolve({
            status: response.statusCode ?? 0,
            node: response.headers["x-node"] as string | undefined,
            location: (response.headers.location as string | undefined) ?? null,
            cache: response.headers["x-page-cache"] as string | undefined,
            setCookies: response.headers["set-cookie"] ?? [],
            body: text,
          }),
        );
        response.on("error", reject);
      },
    );
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}

/**
 * A browser without JavaScript: keeps the cookies it is given, sends them back, posts forms
 * url-encoded, by default with no Origin or Fetch Metadata (an older browser's: the CSRF token
 * of the form is its only proof). `address` plays the client's address in X-Forwarded-For (nginx adds its own).
 */
export class Browser {
  private readonly cookies = new Map<string, string>();

  constructor(
    cookieHeader = "",
    private readonly address?: string,
  ) {
    for (const pair of cookieHeader.split(/;\s*/).filter(Boolean)) this.keep(pair);
  }

  private keep(pair: string) {
    const at = pair.indexOf("=");
    this.cookies.set(pair.slice(0, at), pair.slice(at + 1));
  }

  private headers(): Record<string, string> {
    return {
      "Accept-Language": "zh-CN",
      ...(this.cookies.size ? { Cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ") } : {}),
      ...(this.address ? { "X-Forwarded-For": this.address } : {}),
    };
  }

  private remember(answer: Answer) {
    for (const line of answer.setCookies) {
      const [pair, ...attributes] = line.split(/;\s*/);
      const gone = attributes.some((a) => /^max-age=0$/i.test(a) || /^expires=Thu, 01 Jan 1970/i.test(a));
      const name = pair!.slice(0, pair!.indexOf("="));
      if (gone) this.cookies.delete(name);
      else this.keep(pair!);
    }
    return answer;
  }

  async get(pathname: string, port: number = NGINX_PORT): Promise<Answer> {
    return this.remember(await request(port, "GET", pathname, { headers: this.headers() }));
  }

  /** Posts a form; with `origin`, as a current browser does (its Origin header vouches for the page). */
  async post(
    pathname: string,
    form: FormData | Record<string, string>,
    { port = NGINX_PORT, origin = false }: { port?: number; origin?: boolean } = {},
  ): Promise<Answer> {
    const body = new URLSearchParams();
    const entries = form instanceof FormData ? [...form] : Object.entries(form);
    for (const [name, value] of entries) body.append(name, String(value));
    return this.remember(
      await request(port, "POST", pathname, {
        headers: {
          ...this.headers(),
          "Content-Type": "application/x-www-form-urlencoded",
          ...(origin ? { Origin: ORIGIN } : {}),
        },
        body: body.toString(),
      }),
    );
  }

  has(cookie: string) {
    return Boolean(this.cookies.get(cookie));
  }
}
