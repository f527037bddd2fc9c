// WCAG 2 contrast of the brand colours (shared by the server and the live preview).
// The storefront header puts white text on the primary colour, and dark text goes on the accent.

export const LIGHT_TEXT = "#ffffff";
export const DARK_TEXT = "#1f2421";
/** WCAG AA for normal text. */
export const MIN_CONTRAST = 4.5;

function relativeLuminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const v = parseInt(hex.slice(i, i + 2), 16) / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** Contrast ratio of two #rrggbb colours, from 1 to 21. */
export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/** A ratio as people read it, never rounded up past the limit: 4.496 → "4.49". */
export function formatRatio(ratio: number): string {
  return (Math.floor(ratio * 100) / 100).toFixed(2);
}

export interface BrandContrast {
  /** White text on the primary colour. */
  primary: number;
  /** Dark text on the accent colour. */
  accent: number;
}

export function brandContrast(primary: string, accent: string): BrandContrast {
  return { primary: contrastRatio(LIGHT_TEXT, primary), accent: contrastRatio(DARK_TEXT, accent) };
}
