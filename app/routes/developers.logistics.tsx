import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { CodeBlock, Endpoint, GuideContents, GuideSectionCard } from "~/components/logistics/api-guide";
import { MarketFrame } from "~/components/market-frame";
import { getFixedT } from "~/lib/i18n.server";
import { platformOrigin } from "~/lib/origins.server";
import { PARTNER_API_LIMIT } from "~/modules/logistics/api-http.server";
import { FEED_DEFAULT_LIMIT, FEED_MAX_LIMIT } from "~/modules/logistics/api-schemas";
import { apiGuideExamples } from "~/modules/logistics/api-guide";
import { API_BASE_PATH } from "~/modules/logistics/openapi.server";

// /developers/logistics — the partner API's guide for partners' developers (zh-CN and en).
// Texts are translated here (the staff's texts are not in the buyers' bundle); code examples
// are built from PUBLIC_ORIGIN, never from the request's Host.

export async function loader({ request }: LoaderFunctionArgs) {
  const { t } = await getFixedT(request);
  const k = (key: string, values?: Record<string, unknown>) => t(`developers.logistics.${key}`, values);
  const api = `${platformOrigin()}${API_BASE_PATH}`;
  const errors = ["400", "401", "404", "405", "409", "413", "415", "429"].map((status) => ({
    status,
    text: k(`errors.e${status}`),
  }));
  return {
    api,
    openapiUrl: `${api}/openapi.json`,
    examples: apiGuideExamples(api),
    errors,
    text: {
      metaTitle: k("metaTitle"),
      metaDescription: k("metaDescription"),
      title: k("title"),
      intro: k("intro"),
      contents: k("contents"),
      openapi: k("openapi"),
      auth: {
        title: k("auth.title"),
        body: k("auth.body"),
        limit: k("auth.limit", { points: PARTNER_API_LIMIT.points }),
      },
      endpoints: {
        title: k("endpoints.title"),
        base: k("endpoints.base"),
        list: k("endpoints.list"),
        detail: k("endpoints.detail"),
        accept: k("endpoints.accept"),
        reject: k("endpoints.reject"),
        events: k("endpoints.events"),
        eventsRules: k("endpoints.eventsRules"),
      },
      pagination: {
        title: k("pagination.title"),
        order: k("pagination.order", { max: FEED_MAX_LIMIT, default: FEED_DEFAULT_LIMIT }),
        stable: k("pagination.stable"),
        poll: k("pagination.poll"),
      },
      errors: {
        title: k("errors.title"),
        shape: k("errors.shape"),
        status: k("errors.status"),
        meaning: k("errors.meaning"),
      },
      push: { title: k("push.title"), body: k("push.body"), verify: k("push.verify"), rotation: k("push.rotation") },
      retries: {
        title: k("retries.title"),
        atLeastOnce: k("retries.atLeastOnce"),
        backoff: k("retries.backoff"),
        yours: k("retries.yours"),
      },
    },
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data ? [{ title: data.text.metaTitle }, { name: "description", content: data.text.metaDescription }] : [];

export default function LogisticsApiGuide() {
  const { api, openapiUrl, examples, errors, text } = useLoaderData<typeof loader>();
  const sections = [
    { id: "auth", title: text.auth.title },
    { id: "endpoints", title: text.endpoints.title },
    { id: "pagination", title: text.pagination.title },
    { id: "errors", title: text.errors.title },
    { id: "push", title: text.push.title },
    { id: "retries", title: text.retries.title },
  ];
  return (
    <MarketFrame>
      <div className="mx-auto max-w-3xl min-w-0 py-6">
        <h1 className="text-2xl font-bold">{text.title}</h1>
        <p className="mt-2 text-sm leading-relaxed text-stone-800">{text.intro}</p>
        <p className="mt-2 text-sm">
          {text.openapi}{" "}
          <a className="text-leaf break-all underline underline-offset-2" href={openapiUrl}>
            {openapiUrl}
          </a>
        </p>
        <GuideContents title={text.contents} sections={sections} />

        <GuideSectionCard id="auth" title={text.auth.title}>
          <p>{text.auth.body}</p>
          <CodeBlock code={examples.auth} />
          <p>{text.auth.limit}</p>
        </GuideSectionCard>

        <GuideSectionCard id="endpoints" title={text.endpoints.title}>
          <p>{text.endpoints.base}</p>
          <CodeBlock code={api} />
          <Endpoint method="GET" path="/shipments" text={text.endpoints.list} code={examples.list} />
          <Endpoint method="GET" path="/shipments/{id}" text={text.endpoints.detail} code={examples.detail} />
          <Endpoint method="POST" path="/shipments/{id}/accept" text={text.endpoints.accept} code={examples.accept} />
          <Endpoint method="POST" path="/shipments/{id}/reject" text={text.endpoints.reject} code={examples.reject} />
          <Endpoint method="POST" path="/shipments/{id}/events" text={text.endpoints.events} code={examples.events} />
          <p>{text.endpoints.eventsRules}</p>
        </GuideSectionCard>

        <GuideSectionCard id="pagination" title={text.pagination.title}>
          <p>{text.pagination.order}</p>
          <p>{text.pagination.stable}</p>
          <p>{text.pagination.poll}</p>
          <CodeBlock code={examples.page} />
        </GuideSectionCard>

        <GuideSectionCard id="errors" title={text.errors.title}>
          <p>{text.errors.shape}</p>
          <CodeBlock code={examples.error} />
          <table className="w-full text-left text-sm">
            <thead>
              <tr>
                <th scope="col" className="w-16 py-1 pr-2">
                  {text.errors.status}
                </th>
                <th scope="col" className="py-1">
                  {text.errors.meaning}
                </th>
              </tr>
            </thead>
            <tbody>
              {errors.map((e) => (
                <tr key={e.status} className="border-t border-stone-200 align-top">
                  <td className="py-1 pr-2 font-mono">{e.status}</td>
                  <td className="py-1">{e.text}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </GuideSectionCard>

        <GuideSectionCard id="push" title={text.push.title}>
          <p>{text.push.body}</p>
          <CodeBlock code={examples.pushHeaders} />
          <p>{text.push.verify}</p>
          <CodeBlock code={examples.verify} />
          <p>{text.push.rotation}</p>
        </GuideSectionCard>

        <GuideSectionCard id="retries" title={text.retries.title}>
          <p>{text.retries.atLeastOnce}</p>
          <p>{text.retries.backoff}</p>
          <p>{text.retries.yours}</p>
        </GuideSectionCard>
      </div>
    </MarketFrame>
  );
}
