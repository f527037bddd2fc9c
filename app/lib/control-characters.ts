// Control characters (C0, DEL and C1): invisible, never typed by a person, and some of them
// harmful — PostgreSQL refuses NUL in text (22021), URL parsers silently drop tabs and new
// lines, header values cannot hold new lines. Shared by the browser and the server.

/** Any control character at all: for URLs, names and one-line values. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const ANY_CONTROL = /[\u0000-\u001F\u007F-\u009F]/;

/** Control characters other than tab, line feed and carriage return: for form values, where a textarea's lines are text. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const CONTROL_EXCEPT_WHITESPACE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

/** The text with its control characters decoded once from percent-escapes, or null when it does not decode. */
export function percentDecoded(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}
