// The pages of a shop's home: /s/<slug>?page=N on the platform host, /?page=N on the shop's
// own. Shared by the loader and the page's links: the browser imports it, so it imports nothing.

/** Products on one page of a shop's home: a shop listing hundreds costs no more than one listing a few. */
export const SHOP_HOME_PAGE_SIZE = 24;
/** A page of the shop's home, relative to the storefront's base path ("" on its own host). */
export function shopHomeHref(basePath: string, page: number): string {
  const home = basePath || "/";
  return page > 1 ? `${home}?page=${page}` : home;
}
