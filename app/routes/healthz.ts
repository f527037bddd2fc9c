import { checkDatabase } from "~/modules/platform/health.server";

// 200 when the database answers, 503 otherwise. Never cached.
export async function loader() {
  const ok = await checkDatabase();
  return new Response(JSON.stringify({ status: ok ? "ok" : "unavailable", database: ok }), {
    status: ok ? 200 : 503,
    headers: { "Content-Type": "application/json", "Cache-Control": "no-store" },
  });
}
