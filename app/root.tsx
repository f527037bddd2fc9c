import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import {
  data,
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLocation,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { messageUrls } from "virtual:i18n-messages";
import { useNonce } from "~/components/nonce";
import { isStaffPage } from "~/lib/i18n-client";
import { DEFAULT_LANGUAGE } from "~/lib/i18n";
import { getLanguage, languageCookie } from "~/lib/i18n.server";
import { noteVisitorParts } from "~/lib/request-context.server";
import { refusalMessageKey } from "~/lib/request-refusals";
import { cartCount } from "~/modules/cart/cart.cross-shop.server";
import { carriesVisitorCookie } from "~/modules/identity/cookies.server";
import { csrfToken } from "~/modules/identity/csrf.server";
import stylesheet from "~/tailwind.css?url";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
  { rel: "icon", href: "/favicon.ico", sizes: "32x32" },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const lng = await getLanguage(request);
  // A language chosen with ?lng= is remembered in a cookie.
  const chosen = new URL(request.url).searchParams.get("lng");
  const headers = new Headers();
  if (chosen === lng) headers.append("Set-Cookie", await languageCookie.serialize(lng));
  // Only a browser that acts for someone (a session or a cart) gets a CSRF token: its pages
  // are private anyway. Everyone else's pages stay shareable, with no token and no
  // Set-Cookie; their forms are vouched for by the browser's Origin / Sec-Fetch-Site
  // (modules/identity/csrf.server.ts, docs/decisions/012-page-caching.md).
  let csrf: string | null = null;
  if (await carriesVisitorCookie(request)) {
    const issued = await csrfToken(request);
    csrf = issued.token;
    if (issued.setCookie) headers.append("Set-Cookie", issued.setCookie);
  }
  // The header's cart count: no query unless the browser has a cart or session cookie.
  const count = await cartCount(request);
  // A private page differs from the next visitor's only by these (decision 033).
  noteVisitorParts({ csrf, cartCount: count });
  return data({ lng, csrf, cartCount: count }, { headers });
}

export function Layout({ children }: { children: React.ReactNode }) {
  const rootData = useRouteLoaderData<typeof loader>("root");
  const lng = rootData?.lng ?? DEFAULT_LANGUAGE;
  // The browser's texts (app/lib/i18n-client.ts) load beside the scripts, not after them.
  const nonce = useNonce();
  const messages = [messageUrls[lng].buyer, ...(isStaffPage(useLocation().pathname) ? [messageUrls[lng].staff] : [])];
  return (
    <html lang={lng}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="theme-color" content="#2f6b3a" />
        <Meta />
        <Links />
        {messages.map((href) => (
          <link key={href} rel="preload" href={href} as="fetch" crossOrigin="anonymous" />
        ))}
      </head>
      <body className="min-h-screen font-sans antialiased">
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  const { t } = useTranslation();
  const notFound = isRouteErrorResponse(error) && error.status === 404;
  const forbidden = isRouteErrorResponse(error) && error.status === 403;
  const refused = isRouteErrorResponse(error) ? refusalMessageKey(error.status, error.statusText) : null;
  if (!isRouteErrorResponse(error)) console.error(error);
  return (
    <main className="mx-auto flex min-h-[70vh] max-w-xl flex-col items-center justify-center gap-4 px-6 text-center">
      <p className="text-6xl font-bold text-leaf" aria-hidden="true">
        {isRouteErrorResponse(error) ? error.status : 500}
      </p>
      <h1 className="text-2xl font-semibold">
        {notFound
          ? error.statusText === "Shop Not Found"
            ? t("error.shopNotFoundTitle")
            : t("error.notFoundTitle")
          : forbidden
            ? t("error.forbiddenTitle")
            : refused
              ? t("request.refusedTitle")
              : t("error.serverErrorTitle")}
      </h1>
      <p className="text-stone-600">
        {notFound
          ? t("error.notFoundText")
          : forbidden
            ? error.statusText === "CSRF"
              ? t("auth.errors.csrf")
              : t("admin.forbidden")
            : refused
              ? t(refused)
              : t("error.serverErrorText")}
      </p>
      <Link to="/" className="rounded-full bg-leaf px-5 py-2.5 font-medium text-white">
        {t("error.backHome")}
      </Link>
    </main>
  );
}
