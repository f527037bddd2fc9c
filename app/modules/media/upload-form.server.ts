import {
  MaxPartSizeExceededError,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
  type UploadHandler,
} from "@remix-run/node";
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

/** The form of a request that may carry photos; a refusal when its files are too big or too many. */
export async function readPhotoForm(request: Request): Promise<{ ok: true; formData: FormData } | UploadRefusal> {
  if (!isMultipart(request)) return { ok: true, formData: await request.formData() };
  const maxBytes = uploadMaxBytes();
  const tooLarge: UploadRefusal = { ok: false, error: "media.errors.tooLarge", values: { max: megabytes(maxBytes) } };
  const declared = Number(request.headers.get("Content-Length") ?? 0);
  if (declared > MAX_FILES_PER_UPLOAD * maxBytes + TEXT_FIELDS_ALLOWANCE) return tooLarge;

  let files = 0;
  const memory = unstable_createMemoryUploadHandler({ maxPartSize: maxBytes });
  const handler: UploadHandler = async (part) => {
    if (part.filename && ++files > MAX_FILES_PER_UPLOAD) throw new TooManyFiles();
    return memory(part);
  };
  try {
    return { ok: true, formData: await unstable_parseMultipartFormData(request, handler) };
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) return tooLarge;
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
