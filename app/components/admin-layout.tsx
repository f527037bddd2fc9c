import { Form, Link, NavLink } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CsrfInput } from "./forms";
import { LanguageSwitch } from "./language-switch";

export interface AdminNavItem {
  to: string;
  label: string;
  end?: boolean;
  /** A count beside the label (e.g. new orders), with its own accessible wording. */
  badge?: { count: number; label: string };
}

/** The admin's frame: works at 360 px, the section tabs scroll sideways on a phone. */
export function AdminLayout({
  userName,
  title,
  nav,
  home = "/admin",
  children,
}: {
  userName: string;
  title?: string;
  /** Where the title links to. */
  home?: string;
  nav?: AdminNavItem[];
  children: React.ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <div className="flex min-h-screen flex-col bg-stone-50">
      <header className="bg-leaf text-white">
        <div className="mx-auto flex max-w-5xl items-center gap-2 px-4 py-2">
          <Link to={home} className="min-w-0 flex-1 truncate font-bold">
            {title ?? t("admin.title")}
          </Link>
          <Link
            to="/account"
            className="hidden max-w-32 truncate text-sm text-white/90 underline-offset-4 hover:underline sm:inline"
          >
            {userName}
          </Link>
          <LanguageSwitch className="text-white" />
          <Form method="post" action="/logout">
            <CsrfInput />
            <button
              type="submit"
              className="min-h-10 rounded-full px-2 text-sm text-white/90 underline-offset-4 hover:underline"
            >
              {t("auth.signOut")}
            </button>
          </Form>
        </div>
        {nav ? (
          // On a phone the tabs scroll sideways; the right edge fades out so that it shows
          // there is more (issue #13), and the last tab can scroll clear of the fade: the list is as
          // wide as its tabs (w-max), so its right padding is at the end of what scrolls.
          <nav
            aria-label={t("admin.sections")}
            className="mx-auto max-w-5xl overflow-x-auto px-2 [mask-image:linear-gradient(to_right,#000_calc(100%-2.5rem),transparent)] md:[mask-image:none]"
            data-testid="admin-tabs"
          >
            <ul className="flex w-max gap-1 pr-10 md:pr-0">
              {nav.map((item) => (
                <li key={item.to}>
                  <NavLink
                    to={item.to}
                    end={item.end}
                    className={({ isActive }) =>
                      `inline-flex min-h-11 items-center whitespace-nowrap border-b-4 px-3 text-sm font-medium ${
                        isActive ? "border-amber-300 text-white" : "border-transparent text-white/80 hover:text-white"
                      }`
                    }
                  >
                    {item.label}
                    {item.badge && item.badge.count > 0 ? (
                      <span
                        className="ml-1.5 inline-flex min-w-5 items-center justify-center rounded-full bg-amber-300 px-1.5 text-xs font-bold text-stone-900"
                        data-testid="nav-badge"
                      >
                        <span aria-hidden>{item.badge.count}</span>
                        <span className="sr-only">{item.badge.label}</span>
                      </span>
                    ) : null}
                  </NavLink>
                </li>
              ))}
            </ul>
          </nav>
        ) : null}
      </header>
      <main id="main" className="mx-auto w-full max-w-5xl flex-1 px-4 py-5">
        {children}
      </main>
    </div>
  );
}
