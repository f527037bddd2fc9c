import { Resolver } from "node:dns/promises";
import { env } from "~/env.server";
import { verificationRecordName, verificationRecordValue, type CheckError } from "./verification";

// Reading a domain's verification record. The lookup is a function so that anything that
// answers TXT questions can stand in for DNS; by default it is Node's resolver, sent to
// DOMAIN_DNS_SERVERS when set (tests point it at a local DNS server) or the system's.

/** The TXT records at a name, each as its strings (as node:dns returns them). */
export type TxtLookup = (name: string) => Promise<string[][]>;

/** node:dns error codes meaning "the name or its TXT record does not exist". */
const ABSENT = new Set(["ENODATA", "ENOTFOUND", "NXDOMAIN"]);

let resolver: { servers: string; resolver: Resolver } | undefined;

/** The default lookup: node:dns/promises Resolver, 3 s per try, 2 tries. */
export const systemTxtLookup: TxtLookup = (name) => {
  const servers = env().DOMAIN_DNS_SERVERS ?? "";
  if (resolver?.servers !== servers) {
    const created = new Resolver({ timeout: 3_000, tries: 2 });
    if (servers)
      created.setServers(
        servers
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean),
      );
    resolver = { servers, resolver: created };
  }
  return resolver.resolver.resolveTxt(name);
};

export type RecordCheck = { ok: true } | { ok: false; error: Exclude<CheckError, "taken">; detail?: string };

/** Whether `domain` has the TXT record proving `token`. Never throws. */
export async function checkVerificationRecord(
  domain: string,
  token: string,
  lookup: TxtLookup = systemTxtLookup,
): Promise<RecordCheck> {
  const expected = verificationRecordValue(token);
  let records: string[][];
  try {
    records = await lookup(verificationRecordName(domain));
  } catch (error) {
    const code = (error as { code?: string } | null)?.code ?? "";
    if (ABSENT.has(code)) return { ok: false, error: "missing" };
    return { ok: false, error: "dns", detail: code || (error instanceof Error ? error.message : String(error)) };
  }
  // A long TXT value arrives as several strings: they are one value.
  const values = records.map((chunks) => chunks.join("").trim());
  if (values.includes(expected)) return { ok: true };
  return { ok: false, error: values.length ? "mismatch" : "missing" };
}
