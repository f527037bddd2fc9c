import fs from "node:fs";
import path from "node:path";
import sharp from "sharp";

// Photos as a phone would send them: real JPEG/PNG files with some content (a gradient),
// so that the upload pipeline decodes, resizes and re-encodes them for real.

type Rgb = [number, number, number];

function gradient(width: number, height: number, from: Rgb, to: Rgb): Buffer {
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const mix = (x / width + y / height) / 2;
      const at = (y * width + x) * 3;
      for (let c = 0; c < 3; c++) pixels[at + c] = Math.round(from[c]! + (to[c]! - from[c]!) * mix);
    }
  }
  return pixels;
}

async function write(file: string, width: number, height: number, from: Rgb, to: Rgb) {
  const image = sharp(gradient(width, height, from, to), { raw: { width, height, channels: 3 } });
  await (file.endsWith(".png") ? image.png() : image.jpeg({ quality: 85 })).toFile(file);
  return file;
}

/** A square PNG logo, a wide banner and three product photos, written into `dir`. */
export async function makeImages(dir: string) {
  fs.mkdirSync(dir, { recursive: true });
  const at = (name: string) => path.join(dir, name);
  const [logo, banner, orchard, basket, jar] = await Promise.all([
    write(at("logo.png"), 512, 512, [29, 91, 58], [242, 193, 78]),
    write(at("banner.jpg"), 1600, 600, [120, 170, 90], [250, 220, 150]),
    write(at("orchard.jpg"), 1200, 900, [230, 120, 130], [250, 210, 170]),
    write(at("basket.jpg"), 1200, 900, [200, 90, 60], [255, 200, 120]),
    write(at("jar.jpg"), 900, 1200, [150, 100, 50], [240, 200, 140]),
  ]);
  return { logo, banner, orchard, basket, jar };
}
