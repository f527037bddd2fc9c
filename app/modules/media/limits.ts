// Upload limits and helpers shared by the server and the pages (no server-only imports).

/** The only formats accepted, as the file input's `accept` (the server checks the bytes). */
export const ACCEPTED_IMAGE_TYPES = "image/jpeg,image/png,image/webp";

/** Photos one form submission may carry. */
export const MAX_FILES_PER_UPLOAD = 10;

/** Bytes as megabytes with one decimal, for messages ("12.5"). */
export function megabytes(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(1);
}
