import type http from "node:http";
import type { AddressInfo } from "node:net";
import express, { type RequestHandler } from "express";
import { afterEach, describe, expect, it } from "vitest";
import { captureResponse, type CapturedResponse } from "~/modules/caching/capture-response.server";

// What the shared page cache copies of a response on its way out (decisions 019, 033): a page it
// may keep, in full; a download or anything larger than a page, nothing — the visitor still gets
// every byte, and the process does not hold a signed-in coordinator's 277 MB CSV in memory.

const servers: http.Server[] = [];
afterEach(() => Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve)))));

const isHtml = ({ headers }: { headers: [string, string][] }) =>
  headers.some(([name, value]) => name === "content-type" && value.startsWith("text/html"));

async function serve(handler: RequestHandler, maxBytes?: number) {
  const captured: (CapturedResponse | null)[] = [];
  const server = express()
    .use((_req, res, next) => {
      void captureResponse(res, next, { keepable: isHtml, omitHeaders: new Set(["x-request-id"]), maxBytes }).then(
        (copy) => captured.push(copy),
      );
    })
    .get("/", handler)
    .listen(0, "127.0.0.1");
  servers.push(server);
  await new Promise((resolve) => server.once("listening", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const response = await fetch(url);
  const body = await response.text();
  for (let i = 0; i < 100 && captured.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 5));
  return { body, copy: captured[0] };
}

describe("captureResponse", () => {
  it("copies a page it may keep: status, the headers as set (less the omitted ones) and every byte", async () => {
    const { body, copy } = await serve((_req, res) => {
      res.setHeader("X-Request-Id", "r1");
      res.type("html");
      res.write("<p>一村");
      res.end("一品</p>");
    });
    expect(body).toBe("<p>一村一品</p>");
    expect(copy?.status).toBe(200);
    expect(copy?.body.toString("utf8")).toBe("<p>一村一品</p>");
    expect(copy?.headers.find(([name]) => name === "content-type")?.[1]).toMatch(/^text\/html/);
    expect(copy?.headers.some(([name]) => name === "x-request-id")).toBe(false);
  });

  it("passes a download on whole without copying it", async () => {
    const rows = Array.from({ length: 2000 }, (_, i) => `${i},桃,¥9.90\n`);
    const { body, copy } = await serve((_req, res) => {
      res.type("text/csv");
      for (const row of rows) res.write(row);
      res.end();
    });
    expect(body).toBe(rows.join(""));
    expect(copy).toBeNull();
  });

  it("lets go of a page once it grows past the bound, and the visitor still gets all of it", async () => {
    const part = "<p>" + "桃".repeat(1000) + "</p>";
    const { body, copy } = await serve((_req, res) => {
      res.type("html");
      for (let i = 0; i < 10; i++) res.write(part);
      res.end();
    }, 8 * 1024);
    expect(body).toBe(part.repeat(10));
    expect(copy).toBeNull();
  });
});
