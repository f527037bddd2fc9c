import {
  MaxPartSizeExceededError,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
  type UploadHandler,
} from "@remix-run/node";
import {
  BodyTooLarge,
  declaresMoreThan,
  formShapeRefusal,
  limitedStream,
  readForm,
  refusalResponse,
} from "~/lib/request-bounds.server";
import { megabytes, MAX_FILES_PER_UPLOAD } from "./limits";
import { uploadMaxBytes, type UploadRefusal } from "./upload.server";

// Reading a photo form: each file part is cut off as soon as it passes the size limit, and a
// request that cannot hold fewer than MAX_FILES_PER_UPLOAD files is refused before it is read.

class TooManyFiles extends Error {}

/** Room for the form's text fields besides its files. */
const TEXT_FIELDS_ALLOWANCE = 64 * 1024;

export function isMultipart(request: Request): boolean {
  return (request.headers.get("Content-Type") ?? "").startsWith("multipart/form-data");
}

/** The most bytes a photo form may send (the server refuses larger bodies before they reach Remix). */
export function uploadRequestMaxBytes(): number {
  return MAX_FILES_PER_UPLOAD * uploadMaxBytes() + TEXT_FIELDS_ALLOWANCE;
}

/**
 * The form of a request that may carry photos; a refusal when its files are too big or too
 * many. The body is counted as it streams (a body that declares no length is cut off at the
 * same limit), and its fields pass the same checks as every other form (readForm).
 */
export async function readPhotoForm(request: Request): Promise<{ ok: true; formData: FormData } | UploadRefusal> {
  if (!isMultipart(request)) return { ok: true, formData: await readForm(request) };
  const maxBytes = uploadMaxBytes();
  const tooLarge: UploadRefusal = { ok: false, error: "media.errors.tooLarge", values: { max: megabytes(maxBytes) } };
  if (declaresMoreThan(request, uploadRequestMaxBytes())) return tooLarge;
  const counted = new Request(request.url, {
    method: request.method,
    headers: request.headers,
    body: request.body ? limitedStream(request.body, uploadRequestMaxBytes()) : null,
    ...(request.body ? { duplex: "half" } : {}),
  } as RequestInit);

  let files = 0;
  const memory = unstable_createMemoryUploadHandler({ maxPartSize: maxBytes });
  const handler: UploadHandler = async (part) => {
    if (part.filename && ++files > MAX_FILES_PER_UPLOAD) throw new TooManyFiles();
    return memory(part);
  };
  try {
    const formData = await unstable_parseMultipartFormData(counted, handler);
    const refusal = formShapeRefusal(formData);
    if (refusal) throw await refusalResponse(request, refusal);
    return { ok: true, formData };
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError || error instanceof BodyTooLarge) return tooLarge;
    if (error instanceof TooManyFiles) {
      return { ok: false, error: "media.errors.tooManyFiles", values: { max: MAX_FILES_PER_UPLOAD } };
    }
    throw error;
  }
}

/** The files chosen in a file input; an input left empty sends one nameless, empty part. */
export function chosenFiles(formData: FormData, name: string): File[] {
  return formData
    .getAll(name)
    .filter((value): value is File => typeof value !== "string" && (value.size > 0 || value.name !== ""));
}
