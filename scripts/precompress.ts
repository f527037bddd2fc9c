// After `remix vite:build`: writes a Brotli (quality 11) and a gzip (level 9) copy beside each
// compressible file of build/client, so the server sends static files compressed once at build
// time instead of compressing them per request (docs/decisions/019-shared-page-cache.md;
// served by precompressedStatic in app/modules/caching/compression.server.ts).
import fs from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import zlib from "node:zlib";

const ROOT = path.resolve("build/client");
const COMPRESSIBLE = /\.(js|mjs|css|svg|json|txt|xml|ico|webmanifest|html|map)$/;
/** Smaller files gain too little to be worth a second file. */
const MIN_BYTES = 1024;

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

async function* files(dir: string): AsyncGenerator<string> {
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* files(full);
    else if (COMPRESSIBLE.test(entry.name)) yield full;
  }
}

let count = 0;
let before = 0;
let after = 0;
for await (const file of files(ROOT)) {
  const body = await fs.readFile(file);
  if (body.byteLength < MIN_BYTES) continue;
  const [br, gz] = await Promise.all([
    brotli(body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }),
    gzip(body, { level: 9 }),
  ]);
  // Only where it is smaller: the server falls back to the file itself.
  if (br.byteLength < body.byteLength) await fs.writeFile(`${file}.br`, br);
  if (gz.byteLength < body.byteLength) await fs.writeFile(`${file}.gz`, gz);
  count++;
  before += body.byteLength;
  after += Math.min(br.byteLength, body.byteLength);
}
console.log(
  `precompressed ${count} files in build/client: ${(before / 1024).toFixed(0)} KB → ${(after / 1024).toFixed(0)} KB of Brotli`,
);
