import { ANY_CONTROL, CONTROL_EXCEPT_WHITESPACE } from "./control-characters";
import { getFixedT } from "./i18n.server";
import { REFUSAL_STATUS, type Refusal } from "./request-refusals";

// What one request may ask of the server, checked before anything is parsed (issue #9,
// finding 1). A form is read only as far as its kind's byte limit, then its field names are
// checked before Conform turns them into objects: `shops[99999999].shopId` would otherwise
// make an array that long, and zod walk it. Past a limit the answer is 413 (bytes) or 400
// (fields, names, control characters); a body that is not a form is 415. Nothing is written.

/** Bytes an ordinary form may send: the largest legitimate one (a checkout for 50 shops, every field full of Chinese, percent-encoded) stays under it. */
export const FORM_MAX_BYTES = 1024 * 1024;
/** Fields one form may carry (a batch ticks at most 500 products; a refund lists ≤ 200 lines × 2). */
export const FORM_MAX_FIELDS = 1000;
/** The largest array index in a field name (`lines[199].quantity`; zod schemas cap arrays at 200 or fewer). */
export const FORM_MAX_INDEX = 200;
/** Segments of a field name (`shops[0].addressLine` has 3). */
export const FORM_MAX_DEPTH = 4;
/** Characters of a field name. */
export const FORM_MAX_NAME_LENGTH = 200;

/**
 * The refusal as a Response to throw: a page route's error boundary shows it translated (by
 * its statusText), and a resource route (cart/add, logout) sends its body, the translated text.
 */
export async function refusalResponse(request: Request, reason: Refusal): Promise<Response> {
  const { t } = await getFixedT(request);
  return new Response(t(`request.${reason}`), {
    ...REFUSAL_STATUS[reason],
    headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
  });
}

class Refused extends Error {
  constructor(readonly reason: Refusal) {
    super(reason);
  }
}

function refuse(reason: Refusal): never {
  throw new Refused(reason);
}

const URLENCODED = "application/x-www-form-urlencoded";
const MULTIPART = "multipart/form-data";

/** The media type of a Content-Type header, lower-cased, without parameters; null when absent. */
export function mediaType(request: Request): string | null {
  const header = request.headers.get("Content-Type");
  if (header === null) return null;
  return header.split(";")[0]!.trim().toLowerCase();
}

/** True when the declared Content-Length is not a number or is larger than maxBytes. */
export function declaresMoreThan(request: Request, maxBytes: number): boolean {
  const declared = request.headers.get("Content-Length");
  return declared !== null && (!/^\d{1,16}$/.test(declared.trim()) || Number(declared) > maxBytes);
}

/** A stream that passes the body through and fails with `BodyTooLarge` once more than maxBytes went by. */
export class BodyTooLarge extends Error {
  constructor() {
    super("request body too large");
  }
}

export function limitedStream(body: ReadableStream<Uint8Array>, maxBytes: number): ReadableStream<Uint8Array> {
  let seen = 0;
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > maxBytes) controller.error(new BodyTooLarge());
        else controller.enqueue(chunk);
      },
    }),
  );
}

/** The body's bytes, read no further than maxBytes (throws a 413 Response past it, whether declared or streamed). */
export async function readBoundedBody(request: Request, maxBytes: number): Promise<Uint8Array> {
  return answeringRefusals(request, () => boundedBytes(request, maxBytes));
}

/** Runs `read`, turning a refusal into the Response to throw. */
async function answeringRefusals<T>(request: Request, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof Refused) throw await refusalResponse(request, error.reason);
    throw error;
  }
}

async function boundedBytes(request: Request, maxBytes: number): Promise<Uint8Array> {
  if (declaresMoreThan(request, maxBytes)) refuse("tooLarge");
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      refuse("tooLarge");
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

const SEGMENT = /^(?:\[(\d+)\]|\.?([^.[\]]+))/;
const UNSAFE_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/** Whether a field name is one Conform may turn into objects safely: few segments, small indices. */
export function isBoundedName(name: string): boolean {
  if (name.length > FORM_MAX_NAME_LENGTH || ANY_CONTROL.test(name)) return false;
  let rest = name;
  let depth = 0;
  while (rest) {
    const match = SEGMENT.exec(rest);
    if (!match) return false;
    if (match[1] !== undefined && Number(match[1]) > FORM_MAX_INDEX) return false;
    if (match[2] !== undefined && UNSAFE_KEYS.has(match[2])) return false;
    if (++depth > FORM_MAX_DEPTH) return false;
    rest = rest.slice(match[0].length);
  }
  return true;
}

/** The refusal a form earns for too many fields, an unbounded name, or control characters in a value; null when it is fine. */
export function formShapeRefusal(formData: FormData): Refusal | null {
  try {
    checkFormShape(formData);
    return null;
  } catch (error) {
    if (error instanceof Refused) return error.reason;
    throw error;
  }
}

function checkFormShape(formData: FormData): void {
  let fields = 0;
  let control = false;
  for (const [name, value] of formData) {
    if (++fields > FORM_MAX_FIELDS || !isBoundedName(name)) refuse("badForm");
    if (typeof value === "string" && CONTROL_EXCEPT_WHITESPACE.test(value)) control = true;
  }
  if (control) refuse("controlCharacters");
}

/**
 * A request's form, bounded: its kind's byte limit (413), a form media type (415), at most
 * FORM_MAX_FIELDS fields with bounded names (400), and no control characters other than tab
 * and line ends in a value (400). Every action reads its form through this (or, for photo
 * uploads, through readPhotoForm, which applies the same checks with its own byte limit).
 */
export async function readForm(
  request: Request,
  { maxBytes = FORM_MAX_BYTES }: { maxBytes?: number } = {},
): Promise<FormData> {
  return answeringRefusals(request, () => boundedForm(request, maxBytes));
}

async function boundedForm(request: Request, maxBytes: number): Promise<FormData> {
  const type = mediaType(request);
  if (type !== null && type !== URLENCODED && type !== MULTIPART) refuse("notAForm");
  const bytes = await boundedBytes(request, maxBytes);
  if (bytes.byteLength === 0) return new FormData();
  if (type === null) refuse("notAForm");
  let formData: FormData;
  if (type === URLENCODED) {
    const text = new TextDecoder().decode(bytes);
    // Count before parsing: "&&&&…" is a megabyte of empty fields.
    let separators = 0;
    for (let i = text.indexOf("&"); i !== -1; i = text.indexOf("&", i + 1))
      if (++separators >= FORM_MAX_FIELDS) refuse("badForm");
    formData = new FormData();
    for (const [name, value] of new URLSearchParams(text)) formData.append(name, value);
  } else {
    try {
      formData = await new Request(request.url, {
        method: "POST",
        headers: { "Content-Type": request.headers.get("Content-Type")! },
        body: bytes as Uint8Array<ArrayBuffer>,
      }).formData();
    } catch {
      refuse("badForm");
    }
  }
  checkFormShape(formData);
  return formData;
}
