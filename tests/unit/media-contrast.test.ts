import { describe, expect, it } from "vitest";
import { brandContrast, contrastRatio, formatRatio } from "~/modules/branding/contrast";
import { chosenColour } from "~/modules/branding/schema";
import { sniffImageFormat } from "~/modules/media/upload.server";

describe("brand colour contrast", () => {
  it("computes WCAG ratios", () => {
    expect(contrastRatio("#ffffff", "#000000")).toBeCloseTo(21, 5);
    expect(contrastRatio("#777777", "#ffffff")).toBeCloseTo(4.48, 2);
    expect(brandContrast("#2f6b3a", "#f2c14e")).toEqual({ primary: expect.closeTo(6.39, 2), accent: expect.closeTo(9.39, 2) });
  });

  it("never rounds a ratio up past the limit", () => {
    expect(formatRatio(4.4999)).toBe("4.49");
    expect(formatRatio(21)).toBe("21.00");
  });

  it("takes the colour the owner changed when the picker and the text disagree", () => {
    expect(chosenColour("#2f6b3a", "#112233", "#2f6b3a")).toBe("#112233");
    expect(chosenColour("2F6B3B", "#2f6b3a", "#2f6b3a")).toBe("#2f6b3b");
    expect(chosenColour("#abcdef", "#abcdef", "#2f6b3a")).toBe("#abcdef");
  });
});

describe("image format sniffing", () => {
  it("knows JPEG, PNG and WebP by their first bytes, and nothing else", () => {
    expect(sniffImageFormat(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe("jpeg");
    expect(sniffImageFormat(Buffer.from("\x89PNG\r\n\x1a\n", "latin1"))).toBe("png");
    expect(sniffImageFormat(Buffer.from("RIFF\0\0\0\0WEBPVP8 ", "latin1"))).toBe("webp");
    expect(sniffImageFormat(Buffer.from("RIFF\0\0\0\0WAVEfmt ", "latin1"))).toBeNull();
    expect(sniffImageFormat(Buffer.from("GIF89a", "latin1"))).toBeNull();
    expect(sniffImageFormat(Buffer.from("<svg", "latin1"))).toBeNull();
    expect(sniffImageFormat(Buffer.alloc(0))).toBeNull();
  });
});
