import { useNonce } from "~/components/nonce";
import { jsonLdHtml } from "~/modules/seo/meta";

/** Structured data for search engines; the JSON is escaped so it cannot end the script early. */
export function JsonLd({ data }: { data: unknown }) {
  return (
    <script
      type="application/ld+json"
      nonce={useNonce()}
      suppressHydrationWarning
      dangerouslySetInnerHTML={{ __html: jsonLdHtml(data) }}
    />
  );
}
