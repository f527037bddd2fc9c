import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { MarketFrame } from "~/components/market-frame";
import { getFixedT } from "~/lib/i18n.server";
import { publicPage } from "~/modules/caching/page-cache";
import { isStaticPage } from "~/modules/platform/static-pages";

// /pages/about, /pages/help, /pages/privacy, /pages/terms: the footer's pages, the same for
// everyone (cached like the home page), their text in the locale files.

export const headers = publicPage();

export async function loader({ request, params }: LoaderFunctionArgs) {
  if (!isStaticPage(params.page)) throw new Response(null, { status: 404, statusText: "Not Found" });
  const { t } = await getFixedT(request);
  const text = (part: string) => t(`staticPages.${params.page}.${part}`);
  // The text comes with the page (not in the buyers' client texts: these pages are long and rare).
  return {
    title: `${text("title")} · ${t("app.name")}`,
    heading: text("title"),
    intro: text("intro"),
    body: blocks(text("body")),
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.title },
  { name: "description", content: data?.title },
];

/** The body is plain text: blocks separated by a blank line, a block starting "## " a heading. */
function blocks(body: string) {
  return body
    .split(/\n{2,}/)
    .map((block) => block.trim())
    .filter(Boolean)
    .map((block) => (block.startsWith("## ") ? { heading: block.slice(3) } : { paragraph: block }));
}

export default function StaticPageRoute() {
  const { heading, intro, body } = useLoaderData<typeof loader>();
  return (
    <MarketFrame>
      <article className="mx-auto max-w-3xl py-6 leading-relaxed" data-testid="static-page">
        <h1 className="text-2xl font-bold">{heading}</h1>
        <p className="mt-2 text-stone-700">{intro}</p>
        {body.map((b, i) =>
          "heading" in b ? (
            <h2 key={i} className="mt-6 text-lg font-semibold">
              {b.heading}
            </h2>
          ) : (
            <p key={i} className="mt-2 text-stone-800">
              {b.paragraph}
            </p>
          ),
        )}
      </article>
    </MarketFrame>
  );
}
