import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { liveCompression, precompressedStatic } from "~/modules/caching/compression.server";

// Static files compressed once, at build time (scripts/precompress.ts writes .br and .gz beside
// them): the server sends those bytes as they are, with Content-Encoding and Vary, and the live
// compression middleware in front of it does not compress them again.

const script = `console.log(${JSON.stringify("一村一品一店 ".repeat(400))});\n`;
let dir: string;
let server: http.Server;
let port: number;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "precompressed-"));
  fs.writeFileSync(path.join(dir, "app.js"), script);
  fs.writeFileSync(path.join(dir, "app.js.br"), zlib.brotliCompressSync(script));
  fs.writeFileSync(path.join(dir, "app.js.gz"), zlib.gzipSync(script, { level: 9 }));
  const app = express();
  app.use(liveCompression());
  app.use(precompressedStatic(dir, { maxAge: "1y", immutable: true }));
  server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  fs.rmSync(dir, { recursive: true, force: true });
});

function fetchRaw(acceptEncoding: string) {
  return new Promise<{ headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    http
      .get({ host: "127.0.0.1", port, path: "/app.js", headers: { "accept-encoding": acceptEncoding } }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on("error", reject);
  });
}

describe("precompressed static files", () => {
  it("sends the .br file to a browser that accepts Brotli, as it is", async () => {
    const { headers, body } = await fetchRaw("gzip, deflate, br");
    expect(headers["content-encoding"]).toBe("br");
    expect(headers.vary).toContain("Accept-Encoding");
    expect(headers["cache-control"]).toContain("immutable");
    expect(body.equals(fs.readFileSync(path.join(dir, "app.js.br")))).toBe(true);
    expect(zlib.brotliDecompressSync(body).toString()).toBe(script);
  });

  it("sends the .gz file to one that only takes gzip, and the file itself to one that takes neither", async () => {
    const gz = await fetchRaw("gzip");
    expect(gz.headers["content-encoding"]).toBe("gzip");
    expect(zlib.gunzipSync(gz.body).toString()).toBe(script);
    const plain = await fetchRaw("identity");
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.body.toString()).toBe(script);
  });
});
