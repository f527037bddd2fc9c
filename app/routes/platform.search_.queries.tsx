import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { SearchQueries } from "~/components/search/search-queries";
import { getFixedT } from "~/lib/i18n.server";
import { requirePlatformAdmin } from "~/modules/identity/session.server";
import { parseWeek, queryWeek } from "~/modules/search/query-log.server";

// /platform/search/queries?week=YYYY-MM-DD: what buyers searched for in a Shanghai week (Monday
// first), the most searched and those that found nothing (docs/decisions/026-search-queries.md).
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePlatformAdmin(request);
  const { t } = await getFixedT(request);
  const now = new Date();
  const week = parseWeek(new URL(request.url).searchParams.get("week"), now);
  const data = await queryWeek(week);
  return { title: t("search.queries.title"), thisWeek: parseWeek(null, now), ...data };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export default function SearchQueriesPage() {
  const data = useLoaderData<typeof loader>();
  return <SearchQueries {...data} />;
}
