// Trace codes: 12 characters printed under a QR code and typed by hand when a scan fails.
// The accepted pattern is the tenant packs' ([0-9A-HJ-NP-Z], no I or O); new codes also
// leave out 0 and 1, so nobody mistakes them for O, I or L.
export const TRACE_CODE_PATTERN = /^[0-9A-HJ-NP-Z]{12}$/;
export const TRACE_CODE_LENGTH = 12;

/** The 32 characters new codes use: 32 = 2⁵, so each random byte maps without bias. */
export const TRACE_CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

/**
 * A code as typed or scanned ("mtuh xuxu s7e5", "MTUH-XUXU-S7E5") in its stored form, or null
 * when it cannot be one. O and I never occur in codes, so they are read as 0 and 1.
 */
export function normaliseTraceCode(input: string | null | undefined): string | null {
  if (!input) return null;
  const code = input
    .replace(/[\s-]+/g, "")
    .toUpperCase()
    .replace(/O/g, "0")
    .replace(/I/g, "1");
  return TRACE_CODE_PATTERN.test(code) ? code : null;
}

/** The public page a label's QR code points at. */
export function tracePageUrl(origin: string, traceCode: string): string {
  return `${origin.replace(/\/+$/, "")}/t/${traceCode}`;
}
