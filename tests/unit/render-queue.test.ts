import { AsyncLocalStorage } from "node:async_hooks";
import type http from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterEach, describe, expect, it } from "vitest";
import { renderQueue } from "~/lib/render-queue.server";

// The bound on requests worked on at once (decision 035): a burst waits in arrival order, a
// request whose client left while it waited costs nothing, and each request keeps its own context.

const servers: http.Server[] = [];
afterEach(() => Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve)))));

async function app(max: number) {
  const context = new AsyncLocalStorage<string>();
  const started: string[] = [];
  const gates = new Map<string, () => void>();
  const queue = renderQueue({ max });
  const server = express()
    .use((req, _res, next) => context.run(String(req.query.id), next))
    .use(queue)
    .get("/", (req, res) => {
      const id = String(req.query.id);
      started.push(id);
      const store = context.getStore(); // as the handler starts, perhaps from another request's end
      gates.set(id, () => res.send(`id ${id} in context ${store}`));
    })
    .post("/", (_req, res) => {
      res.send("posted");
    })
    .listen(0, "127.0.0.1");
  servers.push(server);
  await new Promise((resolve) => server.once("listening", resolve));
  const port = (server.address() as AddressInfo).port;
  const get = (id: string, signal?: AbortSignal) =>
    fetch(`http://127.0.0.1:${port}/?id=${id}`, { signal }).then((r) => r.text());
  const post = () => fetch(`http://127.0.0.1:${port}/`, { method: "POST", body: "x" }).then((r) => r.text());
  const until = async (check: () => boolean) => {
    for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(check()).toBe(true);
  };
  return { started, gates, queue, get, post, until };
}

describe("renderQueue", () => {
  it("works on at most `max` requests at once and starts the others in arrival order, each in its own context", async () => {
    const { started, gates, queue, get, until } = await app(2);
    const answers = ["a", "b", "c", "d"].map((id) => get(id));
    await until(() => started.length === 2 && queue.stats().waiting === 2);
    expect(started).toEqual(["a", "b"]);
    gates.get("a")!();
    await until(() => started.length === 3);
    expect(started).toEqual(["a", "b", "c"]);
    gates.get("b")!();
    gates.get("c")!();
    await until(() => started.length === 4);
    gates.get("d")!();
    expect(await Promise.all(answers)).toEqual(["a", "b", "c", "d"].map((id) => `id ${id} in context ${id}`));
    expect(queue.stats()).toEqual({ active: 0, waiting: 0, dropped: 0 });
  });

  it("never holds a form or an upload behind the page views", async () => {
    const { started, gates, queue, get, post, until } = await app(1);
    const view = get("view");
    await until(() => started.length === 1);
    expect(await post()).toBe("posted");
    expect(queue.stats()).toMatchObject({ active: 1, waiting: 0 });
    gates.get("view")!();
    expect(await view).toBe("id view in context view");
  });

  it("drops a waiting request whose client has gone, without working on it", async () => {
    const { started, gates, queue, get, until } = await app(1);
    const first = get("first");
    const leaving = new AbortController();
    const left = get("left", leaving.signal).catch(() => "aborted");
    const last = get("last");
    await until(() => queue.stats().waiting === 2);
    leaving.abort();
    expect(await left).toBe("aborted");
    await new Promise((resolve) => setTimeout(resolve, 50));
    gates.get("first")!();
    await until(() => started.length === 2);
    expect(started).toEqual(["first", "last"]);
    gates.get("last")!();
    expect([await first, await last]).toEqual(["id first in context first", "id last in context last"]);
    expect(queue.stats()).toMatchObject({ active: 0, waiting: 0, dropped: 1 });
  });
});
