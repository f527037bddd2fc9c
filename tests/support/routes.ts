import type { LoaderFunctionArgs } from "@remix-run/node";

type Loader = (args: LoaderFunctionArgs) => Promise<unknown>;

/** Calls a route loader as Remix would for a GET of `url` (the host comes from the URL). */
export async function callLoader<T = Record<string, unknown>>(
  loader: Loader,
  url: string,
  params: Record<string, string> = {},
  headers: Record<string, string> = {},
): Promise<{ status: number; data?: T }> {
  try {
    const result = await loader({ request: new Request(url, { headers }), params, context: {} });
    if (result instanceof Response) return { status: result.status };
    return { status: 200, data: result as T };
  } catch (thrown) {
    if (thrown instanceof Response) return { status: thrown.status };
    throw thrown;
  }
}
