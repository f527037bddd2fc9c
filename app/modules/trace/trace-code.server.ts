import { randomBytes } from "node:crypto";
import { TRACE_CODE_ALPHABET, TRACE_CODE_LENGTH } from "./trace-code";

/** A fresh, unguessable trace code (60 random bits from the OS's CSPRNG). */
export function newTraceCode(): string {
  const bytes = randomBytes(TRACE_CODE_LENGTH);
  let code = "";
  for (const byte of bytes) code += TRACE_CODE_ALPHABET[byte & 31];
  return code;
}
