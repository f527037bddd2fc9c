import type { LoaderFunctionArgs } from "@remix-run/node";
import { readMedia } from "~/modules/media/serve.server";

// Content-hashed image presets: the URL changes when the picture does, so they cache forever.
export async function loader({ params }: LoaderFunctionArgs) {
  const file = await readMedia(params["*"] ?? "");
  if (!file) return new Response("Not Found", { status: 404, headers: { "Cache-Control": "no-store" } });
  return new Response(new Uint8Array(file.bytes), {
    headers: {
      "Content-Type": file.contentType,
      "Content-Length": String(file.bytes.length),
      "Cache-Control": "public, max-age=31536000, immutable",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
