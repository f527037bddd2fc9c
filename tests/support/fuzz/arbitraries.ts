import fc from "fast-check";
import type { Dictionary } from "./dictionary";

// Generated requests: form bodies (urlencoded, multipart, JSON, text, mismatched types),
// array-style and deeply nested field names, huge indexes, control characters, odd numbers,
// long strings, query strings, headers and body sizes. A case is plain data, shown readably
// when fast-check reports a (shrunk) counterexample.

export type Persona = "anonymous" | "buyer" | "owner";

export interface FileValue {
  file: string;
  type: string;
  size: number;
}
export type FieldValue = string | FileValue;

export type BodyKind = "none" | "urlencoded" | "multipart" | "json" | "text" | "raw";

export interface FuzzCase {
  persona: Persona;
  method: string;
  host: string;
  path: string;
  query: string;
  headers: [string, string][];
  /** Send the persona's CSRF token in the body (when it has one). */
  csrf: boolean;
  body: { kind: BodyKind; contentType: string | null; fields: [string, FieldValue][]; raw: string; padBytes: number };
}

export interface Targets {
  dictionary: Dictionary;
  /** Real values for each path parameter name (ids, slugs, numbers of the fixture). */
  params: Record<string, string[]>;
  /** Real values that may go into any field (variant ids, shop ids …). */
  ids: string[];
  hosts: string[];
}

// ---- strings -------------------------------------------------------------------------

const printable = fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c));
const latin1 = fc.oneof(
  printable,
  fc.integer({ min: 0xa0, max: 0xff }).map((c) => String.fromCharCode(c)),
);
/** Valid in a header value. */
export const headerText = (maxLength = 40) => fc.string({ unit: latin1, maxLength });

const controls = fc.constantFrom(
  "\u0000",
  "\r\n",
  "\n",
  "\r",
  "\t",
  "\u0007",
  "\u001b",
  "\u007f",
  "\u2028",
  "\ufeff",
  "\ud800",
  "\udfff",
  "\u202e",
);
const withControls = fc
  .array(fc.oneof(fc.string({ unit: "grapheme-ascii", maxLength: 6 }), controls), { minLength: 1, maxLength: 6 })
  .map((parts) => parts.join(""));

const numbers = fc.constantFrom(
  "0x10",
  "0X1f",
  "1e9",
  "1e308",
  "-1e309",
  "-0",
  "0",
  "-1",
  "1.5",
  "0.1",
  "NaN",
  "Infinity",
  "-Infinity",
  "9007199254740993",
  "99999999999999999999",
  "00012",
  " 12 ",
  "１２",
  "0b11",
  "0o7",
  "+5",
  "12abc",
  "1_000",
  "٣",
  "2147483648",
);
const dates = fc.constantFrom(
  "2026-02-30",
  "9999-12-31",
  "0000-00-00",
  "2026-13-01T25:61",
  "1970-01-01T00:00:00Z",
  "2026-11-27",
  "tomorrow",
);
const longString = fc
  .record({ char: fc.constantFrom("a", "桃", "\u0000", "%", "😀", " "), length: fc.constantFrom(300, 5_000, 70_000) })
  .map(({ char, length }) => char.repeat(length));
const unicode = fc.string({ unit: "grapheme", maxLength: 30 });
const injection = fc.constantFrom(
  "' OR 1=1 --",
  '"><script>alert(1)</script>',
  "../../../../etc/passwd",
  "%00",
  "${7*7}",
  "{{7*7}}",
  "//evil.example",
  "/\t/evil.example",
  "http://evil.example",
  "javascript:alert(1)",
  "/%0d%0aSet-Cookie:x=1",
  "\\\\evil.example",
);

// ---- field names ---------------------------------------------------------------------

const bigIndexes = fc.constantFrom(
  "0",
  "1",
  "2",
  "199",
  "200",
  "201",
  "99999999",
  "2147483648",
  "9007199254740993",
  "-1",
  "1e9",
  "0x10",
  "",
  "a",
  "__proto__",
);

function fieldNames(t: Targets) {
  const word = fc.constantFrom(...t.dictionary.names);
  const plainWord = word.map((w) => w.replace(/[[\].].*$/, "") || "x");
  const arrayStyle = fc
    .tuple(plainWord, bigIndexes, fc.option(plainWord, { nil: undefined }))
    .map(([base, index, leaf]) => `${base}[${index}]${leaf ? `.${leaf}` : ""}`);
  const nested = fc
    .tuple(
      plainWord,
      fc.array(
        fc.oneof(
          bigIndexes.map((i) => `[${i}]`),
          plainWord.map((w) => `.${w}`),
        ),
        { minLength: 2, maxLength: 8 },
      ),
      fc.constantFrom(1, 1, 20, 200),
    )
    .map(([base, parts, repeat]) => base + Array.from({ length: repeat }, () => parts.join("")).join(""));
  const prototype = fc.constantFrom(
    "__proto__",
    "__proto__.polluted",
    "constructor.prototype.polluted",
    "a[__proto__][x]",
    "prototype",
    "toString",
    "hasOwnProperty",
  );
  const weird = fc.oneof(unicode, withControls, fc.constant(""), fc.constant("x".repeat(5_000)));
  return fc.oneof(
    { arbitrary: word, weight: 6 },
    { arbitrary: arrayStyle, weight: 3 },
    { arbitrary: nested, weight: 1 },
    { arbitrary: prototype, weight: 1 },
    { arbitrary: weird, weight: 1 },
  );
}

function fieldValues(t: Targets) {
  const known = fc.constantFrom(...t.dictionary.values, ...t.ids);
  return fc.oneof(
    { arbitrary: known, weight: 5 },
    { arbitrary: numbers, weight: 3 },
    { arbitrary: unicode, weight: 2 },
    { arbitrary: withControls, weight: 2 },
    { arbitrary: injection, weight: 1 },
    { arbitrary: dates, weight: 1 },
    { arbitrary: longString, weight: 1 },
  );
}

const fileValue: fc.Arbitrary<FileValue> = fc.record({
  file: fc.constantFrom("photo.jpg", "a.png", "../../x.svg", "名字.webp", "x\u0000.jpg", ""),
  type: fc.constantFrom("image/jpeg", "image/png", "image/svg+xml", "text/html", "application/octet-stream", ""),
  size: fc.constantFrom(0, 16, 4_096, 300_000),
});

// ---- the request ---------------------------------------------------------------------

function queryString(t: Targets) {
  const key = fc.oneof(
    { arbitrary: fc.constantFrom(...t.dictionary.queryKeys), weight: 4 },
    { arbitrary: fc.string({ unit: printable, maxLength: 10 }), weight: 1 },
  );
  const value = fc.oneof(
    { arbitrary: fc.constantFrom(...t.dictionary.values, ...t.ids).map(encodeURIComponent), weight: 3 },
    { arbitrary: numbers.map(encodeURIComponent), weight: 2 },
    { arbitrary: injection.map(encodeURIComponent), weight: 2 },
    {
      arbitrary: fc.constantFrom("%", "%zz", "%00", "%E0%A4%A", "%0d%0a", "%ff%fe", "+", "a%20b", "%2F%2F", "%09"),
      weight: 2,
    },
    { arbitrary: unicode.map(encodeURIComponentSafe), weight: 1 },
    { arbitrary: fc.constantFrom(300, 10_000).map((n) => "q".repeat(n)), weight: 1 },
  );
  return fc
    .array(fc.tuple(key, value), { maxLength: 5 })
    .map((pairs) => pairs.map(([k, v]) => `${encodeURIComponentSafe(k)}=${v}`).join("&"));
}

/** encodeURIComponent that turns lone surrogates into U+FFFD instead of throwing. */
function encodeURIComponentSafe(text: string): string {
  return encodeURIComponent(
    text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd"),
  );
}

function headers(t: Targets) {
  const optional = (name: string, value: fc.Arbitrary<string>) =>
    fc.option(
      value.map((v) => [name, v] as [string, string]),
      { nil: undefined, freq: 2 },
    );
  return fc
    .tuple(
      optional(
        "Origin",
        fc.oneof(
          fc.constantFrom(
            "same",
            "null",
            "http://evil.example",
            "https://localhost",
            "http://localhost:1",
            "not a url",
            "http://[::1]",
          ),
          headerText(20),
        ),
      ),
      optional("Sec-Fetch-Site", fc.constantFrom("same-origin", "same-site", "cross-site", "none", "garbage")),
      optional(
        "X-Forwarded-Host",
        fc.oneof(fc.constantFrom(...t.hosts, "evil.example", "a,b", "localhost:99999"), headerText(20)),
      ),
      optional("X-Forwarded-Proto", fc.constantFrom("https", "http", "gopher", "https,http")),
      optional("X-Forwarded-For", fc.constantFrom("1.2.3.4", "1.2.3.4, 5.6.7.8", "::1", "garbage", "999.999.999.999")),
      optional(
        "Accept-Language",
        fc.oneof(fc.constantFrom("en", "zh-CN", "en;q=0.5,zh-CN;q=abc", "*", "xx-YY"), headerText(30)),
      ),
      optional(
        "Accept",
        fc.constantFrom("text/html", "application/json", "*/*", "text/vnd.turbo-stream.html", "image/avif,image/webp"),
      ),
      optional("Cookie", fc.constantFrom("sid=garbage", "cart=%zz", "csrf=; sid=", "lng=xx", "a".repeat(8_000))),
      optional("If-None-Match", fc.constantFrom('W/"x"', "*", "garbage")),
      optional("User-Agent", fc.oneof(fc.constantFrom("Googlebot/2.1", "curl/8"), headerText(60))),
      optional("Range", fc.constantFrom("bytes=0-1", "bytes=-1", "bytes=99999999999-", "garbage")),
      optional("Content-Length", fc.constantFrom("0", "-1", "99999999999")),
    )
    .map((list) => list.filter((h): h is [string, string] => h !== undefined));
}

const contentTypes = fc.constantFrom(
  "application/json",
  "multipart/form-data",
  "multipart/form-data; boundary=nothing-matches",
  "application/x-www-form-urlencoded; charset=utf-16",
  "text/plain",
  "application/octet-stream",
  "application/x-www-form-urlencoded",
  "",
);

function body(t: Targets, hasBody: boolean) {
  if (!hasBody)
    return fc.constant({
      kind: "none" as BodyKind,
      contentType: null,
      fields: [] as [string, FieldValue][],
      raw: "",
      padBytes: 0,
    });
  const value = fieldValues(t);
  const field = fc.tuple(
    fieldNames(t),
    fc.oneof({ arbitrary: value as fc.Arbitrary<FieldValue>, weight: 9 }, { arbitrary: fileValue, weight: 1 }),
  );
  // Many fields at once (short values: the size of a body is the padding's business).
  const many = fc
    .tuple(fc.constantFrom(...t.dictionary.names), fc.oneof(fc.constantFrom(...t.dictionary.values, ...t.ids), numbers))
    .map(([name, v]) => Array.from({ length: 5_000 }, () => [name, v] as [string, FieldValue]));
  return fc.record({
    kind: fc.constantFrom<BodyKind>(
      "urlencoded",
      "urlencoded",
      "multipart",
      "multipart",
      "json",
      "text",
      "raw",
      "none",
    ),
    contentType: fc.option(contentTypes, { nil: null, freq: 4 }),
    fields: fc.oneof({ arbitrary: fc.array(field, { maxLength: 8 }), weight: 30 }, { arbitrary: many, weight: 1 }),
    raw: fc.oneof(fc.constantFrom("%", "a=%zz&b", "=&=&", "a[=1", '{"x":', "--x\r\n", "a=1&".repeat(100)), unicode),
    padBytes: fc.constantFrom(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 70_000, 1_100_000, 3_000_000),
  });
}

export function fuzzCases(
  t: Targets,
  route: { pattern: string; params: string[] },
  methods: string[],
): fc.Arbitrary<FuzzCase> {
  const paramValue = (name: string) =>
    fc.oneof(
      { arbitrary: fc.constantFrom(...(t.params[name] ?? t.params["*"] ?? ["x"])), weight: 6 },
      { arbitrary: fc.oneof(unicode, withControls, injection, numbers, fc.constant("")), weight: 1 },
    );
  const paramRecord = fc.tuple(...route.params.map((name) => paramValue(name).map((v) => [name, v] as const)));
  return fc
    .record({
      persona: fc.constantFrom<Persona>("anonymous", "buyer", "owner"),
      method: fc.constantFrom(...methods),
      host: fc.oneof(
        { arbitrary: fc.constant("localhost"), weight: 6 },
        { arbitrary: fc.constantFrom(...t.hosts, "evil.example", "127.0.0.1:3000", "[::1]"), weight: 2 },
      ),
      params: route.params.length ? paramRecord : fc.constant([] as (readonly [string, string])[]),
      singleFetch: fc.constantFrom(false, false, false, true),
      query: fc.option(queryString(t), { nil: "", freq: 2 }),
      headers: headers(t),
      csrf: fc.boolean(),
    })
    .chain((c) => body(t, c.method !== "GET" && c.method !== "HEAD").map((b) => ({ ...c, body: b })))
    .map(({ params, singleFetch, ...rest }) => {
      const values = Object.fromEntries(params);
      const filled = fillPath(route.pattern, values);
      const path = singleFetch ? (filled === "/" ? "/_root.data" : `${filled.replace(/\/$/, "")}.data`) : filled;
      const fuzzCase: FuzzCase = { ...rest, path };
      return withDescription(fuzzCase);
    });
}

function fillPath(pattern: string, values: Record<string, string>): string {
  const filled = pattern
    .split("/")
    .map((segment) => {
      if (segment === "*") return (values["*"] ?? "").split("/").map(encodeURIComponentSafe).join("/");
      if (segment.startsWith(":")) return encodeURIComponentSafe(values[segment.slice(1).replace(/\?$/, "")] ?? "");
      return segment;
    })
    .join("/");
  return filled || "/";
}

// ---- how a case reads in a failure report ----------------------------------------------

function short(text: string, max = 120): string {
  const shown = JSON.stringify(text.length > max ? text.slice(0, max) : text);
  return text.length > max ? `${shown}…(${text.length} chars)` : shown;
}

function showValue(value: FieldValue): string {
  return typeof value === "string"
    ? short(value)
    : `<file ${short(value.file)} ${value.type || "no type"} ${value.size} bytes>`;
}

export function describeCase(c: FuzzCase): string {
  const lines = [
    `${c.method} http://${c.host}${c.path}${c.query.length > 300 ? `?${c.query.slice(0, 300)}…(${c.query.length} chars)` : c.query ? `?${c.query}` : ""} as ${c.persona}${c.csrf ? " (+csrf token)" : ""}`,
  ];
  for (const [name, value] of c.headers) lines.push(`  ${name}: ${short(value, 80)}`);
  if (c.body.kind !== "none") {
    lines.push(
      `  body: ${c.body.kind}${c.body.contentType !== null ? `, Content-Type ${JSON.stringify(c.body.contentType)}` : ""}${c.body.padBytes ? `, padded by ${c.body.padBytes} bytes` : ""}`,
    );
    if (c.body.kind === "raw") lines.push(`    ${short(c.body.raw)}`);
    const fields = c.body.fields;
    for (const [name, value] of fields.slice(0, 12)) lines.push(`    ${short(name, 80)} = ${showValue(value)}`);
    if (fields.length > 12) lines.push(`    … ${fields.length - 12} more fields`);
  }
  return lines.join("\n");
}

function withDescription(c: FuzzCase): FuzzCase {
  Object.defineProperty(c, fc.toStringMethod, { value: () => `\n${describeCase(c)}\n`, enumerable: false });
  return c;
}
