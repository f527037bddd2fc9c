// The upload benchmark's worker, run by scripts/bench.ts in a process of its own (so its memory
// figures are the upload's, not the load tester's) with MEDIA_DIR and PGLITE_DIR set to temp
// folders. It stores the 12-megapixel JPEG given with --photo through storeUpload (presets in
// WebP and JPEG), then --count more in a row, and prints one line of JSON with times and memory.
import fs from "node:fs";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import sharp from "sharp";
import { closeDatabase, connection, db } from "~/db/index.server";
import { migrate } from "~/db/migrate.server";
import { storeUpload } from "~/modules/media/upload.server";
import { readMemory, resetPeakRss } from "./bench-proc";

const { values: args } = parseArgs({ options: { photo: { type: "string" }, count: { type: "string", default: "100" } } });
const count = Number(args.count);
if (!args.photo) throw new Error("--photo <file.jpg> is required");


export interface UploadBenchResult {
  database: string;
  sharpConcurrency: number;
  jpegBytes: number;
  width: number;
  height: number;
  single: { ms: number; rssBeforeMb: number; peakRssMb: number; rssAfterMb: number; storedBytes: number };
  series: {
    count: number;
    totalS: number;
    msPerUpload: number;
    rssStartMb: number;
    peakRssMb: number;
    rssEndMb: number;
    /** RSS after every tenth upload: a leak climbs, a steady state levels off. */
    rssEveryTenMb: number[];
  };
}

const mb = (kb: number) => Math.round(kb / 1024);
function memory() {
  const m = readMemory(process.pid);
  if (!m) throw new Error("cannot read /proc/self/status (Linux only)");
  return m;
}

/** A JPEG with a comment segment right after SOI: same pixels, different bytes (and content hash). */
function withComment(jpeg: Buffer, text: string): Buffer {
  const body = Buffer.from(text, "latin1");
  const segment = Buffer.alloc(4 + body.length);
  segment.writeUInt16BE(0xfffe, 0);
  segment.writeUInt16BE(body.length + 2, 2);
  body.copy(segment, 4);
  return Buffer.concat([jpeg.subarray(0, 2), segment, jpeg.subarray(2)]);
}

async function main(): Promise<UploadBenchResult> {
  await migrate(connection().raw);
  const county = await db().county.create({
    data: { code: "320000", slug: "bench", nameZh: "测试", nameEn: "Bench", cityZh: "测试", cityEn: "Bench" },
  });
  const shop = await db().shop.create({
    data: { slug: "bench-uploads", nameZh: "测试", nameEn: "Bench", countyId: county.id, villageZh: "村", villageEn: "Village" },
  });
  const product = await db().product.create({ data: { shopId: shop.id, slug: "p", kind: "PRODUCE", titleZh: "桃" } });

  const photo = fs.readFileSync(args.photo!);
  const { width = 0, height = 0 } = await sharp(photo).metadata();
  const upload = async (bytes: Buffer) => {
    const file = new File([new Uint8Array(bytes)], "photo.jpg", { type: "image/jpeg" });
    const result = await storeUpload({ shopId: shop.id, productId: product.id, role: "PRODUCT", file });
    if (!result.ok || result.reused) throw new Error(`upload not stored: ${JSON.stringify(result)}`);
    return result.imageId;
  };

  // One upload: time and peak RSS (VmHWM reset just before).
  const before = memory();
  resetPeakRss(process.pid);
  const started = performance.now();
  const imageId = await upload(photo);
  const ms = performance.now() - started;
  const after = memory();
  const stored = await db().imageRendition.aggregate({ where: { shopId: shop.id, imageId }, _sum: { bytes: true } });

  // Many uploads in a row: does memory come back down?
  const seriesStart = memory();
  resetPeakRss(process.pid);
  const seriesStarted = performance.now();
  const rssEveryTenMb: number[] = [];
  for (let n = 1; n <= count; n++) {
    await upload(withComment(photo, `bench ${n}`));
    if (n % 10 === 0) rssEveryTenMb.push(mb(memory().rssKb));
  }
  const totalMs = performance.now() - seriesStarted;
  const seriesEnd = memory();

  return {
    database: connection().kind,
    sharpConcurrency: sharp.concurrency(),
    jpegBytes: photo.length,
    width,
    height,
    single: {
      ms,
      rssBeforeMb: mb(before.rssKb),
      peakRssMb: mb(after.peakKb),
      rssAfterMb: mb(after.rssKb),
      storedBytes: stored._sum.bytes ?? 0,
    },
    series: {
      count,
      totalS: totalMs / 1000,
      msPerUpload: totalMs / count,
      rssStartMb: mb(seriesStart.rssKb),
      peakRssMb: mb(seriesEnd.peakKb),
      rssEndMb: mb(seriesEnd.rssKb),
      rssEveryTenMb,
    },
  };
}

let exitCode = 0;
try {
  console.log(JSON.stringify(await main()));
} catch (error) {
  console.error(error instanceof Error ? error.stack : error);
  exitCode = 1;
} finally {
  await closeDatabase().catch(() => undefined);
}
process.exit(exitCode);
