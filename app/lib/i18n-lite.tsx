import { createContext, createElement, useContext, type ReactNode } from "react";

// The browser's stand-in for i18next + react-i18next (docs/decisions/014-client-javascript.md).
// The server renders with i18next; in the browser, `react-i18next` resolves to this file
// (vite.config.ts), which reads the same message files the same way for what the app uses:
// nested keys, {{name}} interpolation, plurals by Intl.PluralRules (`_zero` for 0 first, then
// `_one`/`_other`…, then the bare key), `defaultValue`, and the key itself when nothing is found.
// tests/unit/i18n-lite.test.ts checks it against i18next for every message in both languages.
// 1 KB instead of i18next's 15 KB gzipped.

type Messages = { [key: string]: string | Messages };
type Options = { count?: unknown; defaultValue?: string; [name: string]: unknown };

export interface LiteI18n {
  language: string;
  t: (key: string, options?: Options) => string;
  exists: (key: string) => boolean;
  /** Adds (or replaces) top-level message groups, e.g. the admin's after a lazy load. */
  addMessages: (messages: Messages) => void;
}

function lookup(messages: Messages, key: string): string | undefined {
  let node: string | Messages | undefined = messages;
  for (const part of key.split(".")) {
    if (typeof node !== "object" || node === null) return undefined;
    node = node[part];
  }
  return typeof node === "string" ? node : undefined;
}

const INTERPOLATION = /\{\{\s*([^{}]+?)\s*\}\}/g;

export function createLiteI18n(language: string, initial: Messages): LiteI18n {
  const messages: Messages = { ...initial };
  // Made on the first count only: building Intl objects in the browser is a long task (docs/perf.md).
  let plurals: Intl.PluralRules | undefined;
  const find = (key: string, options: Options | undefined): string | undefined => {
    if (typeof options?.count === "number") {
      const count = options.count;
      const found =
        (count === 0 ? lookup(messages, `${key}_zero`) : undefined) ??
        lookup(messages, `${key}_${(plurals ??= new Intl.PluralRules(language)).select(count)}`);
      if (found !== undefined) return found;
    }
    return lookup(messages, key);
  };
  const t = (key: string, options?: Options): string => {
    const message =
      find(key, options) ?? (typeof options?.defaultValue === "string" ? options.defaultValue : undefined);
    if (message === undefined) return key;
    return message.replace(INTERPOLATION, (whole, name: string) => {
      const value = options?.[name];
      if (value === undefined) return whole;
      return value === null ? "" : String(value);
    });
  };
  return {
    language,
    t,
    exists: (key) => lookup(messages, key) !== undefined,
    addMessages: (more) => Object.assign(messages, more),
  };
}

const Context = createContext<LiteI18n | null>(null);

export function I18nextProvider({ i18n, children }: { i18n: LiteI18n; children?: ReactNode }) {
  return createElement(Context.Provider, { value: i18n }, children);
}

export function useTranslation() {
  const i18n = useContext(Context);
  if (!i18n) throw new Error("useTranslation outside <I18nextProvider>");
  return { t: i18n.t, i18n, ready: true } as const;
}
