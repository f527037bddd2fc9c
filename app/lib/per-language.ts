// Building an Intl formatter costs about a tenth of a millisecond, and a page may need a dozen:
// a formatter (or a list of names made with one) depends only on the language, so each is made
// once per language and reused by every render (issue #12).

/** `build(lng)` once per language; later calls with that language return the same value. */
export function perLanguage<T>(build: (lng: string) => T): (lng: string) => T {
  const built = new Map<string, T>();
  return (lng) => {
    let value = built.get(lng);
    if (value === undefined) {
      value = build(lng);
      built.set(lng, value);
    }
    return value;
  };
}

/** The locale dates are written in: British English or Chinese. */
export const dateLocale = (lng: string) => (lng === "en" ? "en-GB" : "zh-CN");
