import { redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { isRouteErrorResponse, Link, useLoaderData, useRouteError } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ShopFrame } from "~/components/shop-frame";
import { groupedCode } from "~/components/trace-label";
import { getFixedT } from "~/lib/i18n.server";
import { formatDate } from "~/lib/time";
import { shopFromHost } from "~/modules/tenancy/storefront.server";
import { normaliseTraceCode } from "~/modules/trace/trace-code";
import { getPublicTrace } from "~/modules/trace/trace-page.cross-shop.server";
import { recordTraceScan } from "~/modules/trace/trace-scans.cross-shop.server";
import { publicPage } from "~/modules/caching/page-cache";

// A batch's record hardly changes once printed on a label.
export const headers = publicPage(300);

// The page a label's QR code opens: public, no sign-in, read on a phone right after scanning.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const traceCode = normaliseTraceCode(params.code);
  if (!traceCode) throw new Response(null, { status: 404, statusText: "Trace Not Found" });
  const url = new URL(request.url);
  // A code typed by hand ("mtuh xuxu s7e5") goes to its one shareable address.
  if (traceCode !== params.code) throw redirect(`/t/${traceCode}${url.search}`, 301);

  const byHost = await shopFromHost(request);
  const { t, lng } = await getFixedT(request);
  const trace = await getPublicTrace({ traceCode, lng, hostShopId: byHost?.shop.id ?? null });
  if (!trace) throw new Response(null, { status: 404, statusText: "Trace Not Found" });
  await recordTraceScan(traceCode, request);
  const basis = trace.certificate.basis;
  return {
    trace,
    // Translated here: these labels belong to the staff's texts, which buyers' pages do
    // not download (app/locales/*/buyer.ts).
    basisLabel: basis ? t(`batches.basis.${basis}`, { defaultValue: basis }) : null,
    inputKindLabels: Object.fromEntries(trace.inputs.map((input) => [input.kind, t(`batches.inputKind.${input.kind}`)])),
    meta: {
      title: t("trace.metaTitle", { product: trace.batch.productName, cooperative: trace.cooperative.name }),
      description: t("trace.metaDescription", {
        product: trace.batch.productName,
        date: formatDate(trace.batch.harvestDate, lng),
        origin: trace.batch.originPlot,
      }),
    },
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data
    ? [
        { title: data.meta.title },
        { name: "description", content: data.meta.description },
        { property: "og:title", content: data.meta.title },
        { property: "og:description", content: data.meta.description },
        { property: "og:type", content: "article" },
      ]
    : [];

function Tick() {
  return (
    <span
      aria-hidden="true"
      className="mr-2 inline-flex size-5 shrink-0 items-center justify-center rounded-full bg-emerald-600 text-xs font-bold text-white"
    >
      ✓
    </span>
  );
}

function Card({ title, id, children }: { title: string; id: string; children: React.ReactNode }) {
  return (
    <section aria-labelledby={id} className="mt-4 rounded-2xl bg-white p-4 ring-1 ring-stone-200">
      <h2 id={id} className="mb-3 text-lg font-semibold">
        {title}
      </h2>
      {children}
    </section>
  );
}

function Row({ term, children }: { term: string; children: React.ReactNode }) {
  return (
    <div className="flex flex-col gap-0.5 py-1.5 sm:flex-row sm:gap-4">
      <dt className="shrink-0 text-sm text-stone-600 sm:w-40">{term}</dt>
      <dd className="min-w-0 break-words">{children}</dd>
    </div>
  );
}

export default function TracePage() {
  const { trace, basisLabel, inputKindLabels } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const date = (iso: string) => formatDate(iso, lng);
  const { batch, cooperative, certificate } = trace;
  const place = [cooperative.village, cooperative.town, cooperative.county, cooperative.city]
    .filter(Boolean)
    .join(" · ");
  const giProducts = trace.products.filter((p) => p.gi);

  return (
    <ShopFrame shop={trace.header}>
      <article className="mx-auto max-w-2xl py-5" data-testid="trace-record">
        <p className="text-sm font-medium text-[var(--brand)]">{t("trace.kicker")}</p>
        <h1 className="mt-1 text-2xl font-bold leading-tight">{batch.productName}</h1>
        <p className="mt-1 text-stone-700">
          {t("trace.code")}{" "}
          <span className="font-mono font-semibold" data-testid="trace-code">
            {groupedCode(batch.traceCode)}
          </span>
        </p>

        <ul className="mt-4 space-y-2 rounded-2xl bg-emerald-50 p-4 text-emerald-950 ring-1 ring-emerald-200">
          <li className="flex items-start">
            <Tick />
            {t("trace.summaryCert")}
          </li>
          {trace.lastTreatmentDaysBeforeHarvest !== null ? (
            <li className="flex items-start" data-testid="last-treatment">
              <Tick />
              {t("trace.summaryInterval", { count: trace.lastTreatmentDaysBeforeHarvest })}
            </li>
          ) : null}
          {trace.test?.testedAt ? (
            <li className="flex items-start">
              <Tick />
              {t("trace.summaryTested", { date: date(trace.test.testedAt) })}
            </li>
          ) : null}
        </ul>

        <Card title={t("trace.batch")} id="batch">
          <dl>
            <Row term={t("trace.harvestDate")}>{date(batch.harvestDate)}</Row>
            <Row term={t("trace.originPlot")}>{batch.originPlot}</Row>
            <Row term={t("trace.quantity")}>
              {t("trace.quantityValue", { quantity: batch.quantity.toLocaleString(lng), unit: batch.quantityUnit })}
            </Row>
          </dl>
        </Card>

        <Card title={t("trace.cooperative")} id="cooperative">
          <dl>
            <Row term={t("trace.cooperative")}>
              {cooperative.href ? (
                <Link to={cooperative.href} className="font-medium text-[var(--brand)] underline underline-offset-4">
                  {cooperative.name}
                </Link>
              ) : (
                cooperative.name
              )}
            </Row>
            <Row term={t("trace.place")}>{place}</Row>
            {cooperative.creditCode ? (
              <Row term={t("trace.creditCode")}>
                <span className="font-mono">{cooperative.creditCode}</span>
              </Row>
            ) : null}
          </dl>
        </Card>

        <Card title={t("trace.inputs")} id="inputs">
          {trace.inputs.length === 0 ? (
            <p className="text-stone-600">{t("trace.noInputs")}</p>
          ) : (
            <ol className="space-y-3" data-testid="inputs">
              {trace.inputs.map((input, i) => (
                <li key={i} className="border-l-4 border-[var(--accent)] pl-3">
                  <p className="text-sm text-stone-600">
                    {inputKindLabels[input.kind]} · {t("trace.appliedOn", { date: date(input.appliedOn) })}
                  </p>
                  <p className="font-medium">{input.name}</p>
                  {input.safetyIntervalDays !== null ? (
                    <p className="text-sm text-stone-700">
                      {t("trace.safetyInterval", { count: input.safetyIntervalDays })} ·{" "}
                      {t("trace.daysBeforeHarvest", { count: input.daysBeforeHarvest })}
                      {input.daysBeforeHarvest >= input.safetyIntervalDays ? (
                        <span className="ml-2 inline-block whitespace-nowrap rounded bg-emerald-100 px-1.5 py-0.5 text-xs font-medium text-emerald-800">
                          ✓ {t("trace.intervalMet")}
                        </span>
                      ) : null}
                    </p>
                  ) : null}
                </li>
              ))}
            </ol>
          )}
        </Card>

        {trace.test ? (
          <Card title={t("trace.test")} id="test">
            {trace.test.report ? <p className="whitespace-pre-line">{trace.test.report}</p> : null}
            <dl className="mt-2">
              {trace.test.testedAt ? <Row term={t("trace.testedAt")}>{date(trace.test.testedAt)}</Row> : null}
              {trace.test.testedBy ? <Row term={t("trace.testedBy")}>{trace.test.testedBy}</Row> : null}
            </dl>
          </Card>
        ) : null}

        <Card title={t("trace.certificate")} id="certificate">
          <p className="text-sm text-stone-600">{t("trace.certPromise")}</p>
          <ul className="mt-2 space-y-2" data-testid="commitments">
            {certificate.commitments.map((commitment) => (
              <li key={commitment} className="flex items-start">
                <Tick />
                {t(`trace.commitment.${commitment}`, { defaultValue: commitment })}
              </li>
            ))}
          </ul>
          <dl className="mt-3">
            <Row term={t("trace.producer")}>{certificate.producer}</Row>
            <Row term={t("trace.contact")}>
              <a href={`tel:${certificate.contactPhone}`} className="underline underline-offset-4">
                {certificate.contactPhone}
              </a>
            </Row>
            <Row term={t("trace.origin")}>{certificate.origin}</Row>
            <Row term={t("trace.issuedOn")}>{date(certificate.issuedOn)}</Row>
            {basisLabel ? <Row term={t("trace.basis")}>{basisLabel}</Row> : null}
          </dl>
        </Card>

        {giProducts.length ? (
          <Card title={t("trace.gi")} id="gi">
            <ul className="space-y-1">
              {giProducts.map((p) => (
                <li key={p.title}>
                  {p.gi!.name}
                  {p.gi!.authNumber ? (
                    <span className="ml-2 text-stone-600">{t("trace.giAuth", { number: p.gi!.authNumber })}</span>
                  ) : null}
                </li>
              ))}
            </ul>
          </Card>
        ) : null}

        {trace.products.length ? (
          <Card title={t("trace.products")} id="products">
            <ul className="space-y-1" data-testid="products">
              {trace.products.map((p) => (
                <li key={p.title}>
                  {p.href ? (
                    <Link
                      to={p.href}
                      className="inline-flex min-h-11 items-center font-medium text-[var(--brand)] underline underline-offset-4"
                    >
                      {p.title}
                    </Link>
                  ) : (
                    <span className="inline-flex min-h-11 items-center text-stone-600">
                      {p.title} · {t("trace.productUnavailable")}
                    </span>
                  )}
                </li>
              ))}
            </ul>
          </Card>
        ) : null}

        <p className="mt-6 text-sm text-stone-600">{t("trace.disclaimer")}</p>
      </article>
    </ShopFrame>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const { t } = useTranslation();
  if (!isRouteErrorResponse(error) || error.status !== 404) throw error; // the root boundary handles the rest
  return (
    <main className="mx-auto flex min-h-[70vh] max-w-xl flex-col items-center justify-center gap-4 px-6 text-center">
      <p className="text-6xl font-bold text-leaf" aria-hidden="true">
        404
      </p>
      <h1 className="text-2xl font-semibold">{t("trace.notFoundTitle")}</h1>
      <p className="text-stone-600">{t("trace.notFoundText")}</p>
      <Link to="/" className="rounded-full bg-leaf px-5 py-2.5 font-medium text-white">
        {t("trace.backHome")}
      </Link>
    </main>
  );
}
