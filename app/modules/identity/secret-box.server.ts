import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { env } from "~/env.server";

// Authenticator secrets at rest: AES-256-GCM under a key derived from TWO_FACTOR_KEY, so a
// copy of the database alone gives no usable secret. Without a key (a laptop, the demo),
// the value is stored as it is, marked so; sealing again once a key is set is not needed for
// reading: both forms open.

const SEALED = "v1";
const PLAIN = "plain";

function key(): Buffer | null {
  const secret = env().TWO_FACTOR_KEY;
  return secret ? createHash("sha256").update(`two-factor:${secret}`).digest() : null;
}

export function sealSecret(value: string): string {
  const k = key();
  if (!k) return `${PLAIN}.${Buffer.from(value).toString("base64url")}`;
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", k, iv);
  const body = Buffer.concat([cipher.update(value, "utf8"), cipher.final()]);
  return [SEALED, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), body.toString("base64url")].join(
    ".",
  );
}

export class SecretBoxError extends Error {}

export function openSecret(sealed: string): string {
  const [kind, ...parts] = sealed.split(".");
  if (kind === PLAIN && parts.length === 1) return Buffer.from(parts[0]!, "base64url").toString("utf8");
  if (kind !== SEALED || parts.length !== 3) throw new SecretBoxError("unknown sealed format");
  const k = key();
  if (!k) throw new SecretBoxError("TWO_FACTOR_KEY is not set, but a secret was sealed with one");
  const [iv, tag, body] = parts.map((p) => Buffer.from(p, "base64url")) as [Buffer, Buffer, Buffer];
  const decipher = createDecipheriv("aes-256-gcm", k, iv);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(body), decipher.final()]).toString("utf8");
}
