import { useNavigate } from "@remix-run/react";
import { useEffect, useId, useRef, useState } from "react";
import { useTranslation } from "react-i18next";

// The search box with suggestions as the buyer types (issue #13 §1): the WAI-ARIA 1.2 combobox
// pattern (a text box that controls a listbox popup, options grouped products / shops / villages,
// Up/Down/Enter/Escape, aria-activedescendant, a polite live region with the count). Rendered
// on the server as the plain text box of a GET form, so it works without JavaScript; the
// combobox roles are added once the page is hydrated, when they can be honoured.
// Small on purpose, no library: docs/decisions/026-search-queries.md.

interface Suggestions {
  products: { title: string; href: string; shop: string }[];
  shops: { name: string; href: string; village: string }[];
  villages: { name: string; href: string }[];
}

interface Option {
  label: string;
  detail?: string;
  href: string;
}

type Group = { key: "products" | "shops" | "villages"; options: Option[] };

/** Milliseconds of quiet typing before asking for suggestions. */
const DEBOUNCE_MS = 150;

function groupsOf(s: Suggestions): Group[] {
  const groups: Group[] = [
    { key: "products", options: s.products.map((p) => ({ label: p.title, detail: p.shop, href: p.href })) },
    { key: "shops", options: s.shops.map((p) => ({ label: p.name, detail: p.village, href: p.href })) },
    { key: "villages", options: s.villages.map((p) => ({ label: p.name, href: p.href })) },
  ];
  return groups.filter((g) => g.options.length > 0);
}

export function SearchCombobox({
  id,
  name,
  defaultValue,
  maxLength,
  placeholder,
  className,
}: {
  id: string;
  name: string;
  defaultValue: string;
  maxLength: number;
  placeholder: string;
  className: string;
}) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const listId = useId();
  const [enhanced, setEnhanced] = useState(false);
  const [groups, setGroups] = useState<Group[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [announcement, setAnnouncement] = useState("");
  const timer = useRef<ReturnType<typeof setTimeout>>();
  const inFlight = useRef<AbortController>();
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    setEnhanced(true);
    return () => {
      clearTimeout(timer.current);
      inFlight.current?.abort();
    };
  }, []);

  useEffect(() => {
    if (active >= 0) document.getElementById(`${listId}-${active}`)?.scrollIntoView({ block: "nearest" });
  }, [active, listId]);

  const options = groups.flatMap((g) => g.options);
  const expanded = open && options.length > 0;
  const optionId = (i: number) => `${listId}-${i}`;

  const close = () => {
    setOpen(false);
    setActive(-1);
  };

  /** Forgets the suggestions asked for and not yet shown (the search was submitted, or the box left). */
  const cancel = () => {
    clearTimeout(timer.current);
    inFlight.current?.abort();
    close();
  };

  const request = (value: string) => {
    cancel();
    const q = value.trim();
    if (!q) {
      setGroups([]);
      setAnnouncement("");
      return;
    }
    timer.current = setTimeout(() => {
      const controller = new AbortController();
      inFlight.current = controller;
      fetch(`/search/suggest?q=${encodeURIComponent(q)}&lng=${encodeURIComponent(i18n.language)}`, {
        signal: controller.signal,
        headers: { Accept: "application/json" },
      })
        .then((response) => (response.ok ? (response.json() as Promise<Suggestions>) : null))
        .then((body) => {
          if (!body || controller.signal.aborted || document.activeElement !== input.current) return;
          const found = groupsOf(body);
          const count = found.reduce((n, g) => n + g.options.length, 0);
          setGroups(found);
          setActive(-1);
          setOpen(true);
          setAnnouncement(t("market.search.suggest.count", { count }));
        })
        .catch(() => undefined); // aborted, or offline: the box still submits as a form
    }, DEBOUNCE_MS);
  };

  const go = (option: Option) => {
    cancel();
    navigate(option.href);
  };

  const onKeyDown = (event: React.KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!options.length) return;
      event.preventDefault();
      if (!open) setOpen(true);
      const step = event.key === "ArrowDown" ? 1 : -1;
      setActive((i) => (i < 0 ? (step > 0 ? 0 : options.length - 1) : (i + step + options.length) % options.length));
    } else if (event.key === "Enter") {
      const option = expanded && active >= 0 ? options[active] : undefined;
      if (option) {
        event.preventDefault();
        go(option);
      } else cancel(); // the form submits the text as a search
    } else if (event.key === "Escape") {
      if (expanded) {
        event.preventDefault();
        close();
      } else if (event.currentTarget.value) {
        event.preventDefault();
        event.currentTarget.value = "";
        request("");
      }
    }
  };

  let index = 0;
  return (
    <div className="relative min-w-0 flex-1">
      <input
        ref={input}
        id={id}
        type="search"
        name={name}
        defaultValue={defaultValue}
        maxLength={maxLength}
        placeholder={placeholder}
        enterKeyHint="search"
        autoComplete="off"
        className={`w-full ${className}`}
        {...(enhanced
          ? {
              role: "combobox",
              "aria-autocomplete": "list" as const,
              "aria-expanded": expanded,
              "aria-controls": listId,
              "aria-activedescendant": expanded && active >= 0 ? optionId(active) : undefined,
              onInput: (event: React.FormEvent<HTMLInputElement>) => request(event.currentTarget.value),
              onKeyDown,
              onBlur: cancel,
              onFocus: () => options.length > 0 && setOpen(true),
            }
          : {})}
      />
      {enhanced ? (
        <>
          <div
            id={listId}
            role="listbox"
            aria-label={t("market.search.suggest.label")}
            hidden={!expanded}
            data-testid="search-suggestions"
            className="absolute inset-x-0 top-full z-20 mt-1 max-h-[70vh] overflow-y-auto rounded-xl bg-white py-1 text-left text-stone-900 shadow-lg ring-1 ring-stone-300"
          >
            {groups.map((group) => (
              <div key={group.key} role="group" aria-labelledby={`${listId}-${group.key}`}>
                <div
                  id={`${listId}-${group.key}`}
                  role="presentation"
                  className="px-3 pt-2 pb-1 text-xs font-semibold tracking-wide text-stone-600"
                >
                  {t(`market.search.suggest.${group.key}`)}
                </div>
                {group.options.map((option) => {
                  const i = index++;
                  return (
                    <div
                      key={option.href}
                      id={optionId(i)}
                      role="option"
                      aria-selected={i === active}
                      data-testid="search-suggestion"
                      // Keep the focus in the text box; a click or tap chooses the option.
                      onMouseDown={(event) => event.preventDefault()}
                      onClick={() => go(option)}
                      className={`flex min-h-11 cursor-pointer flex-col justify-center px-3 py-1 ${i === active ? "bg-leaf text-white" : "hover:bg-stone-100"}`}
                    >
                      <span className="font-medium">{option.label}</span>
                      {option.detail ? (
                        <span className={`text-sm ${i === active ? "text-white/90" : "text-stone-600"}`}>
                          {option.detail}
                        </span>
                      ) : null}
                    </div>
                  );
                })}
              </div>
            ))}
          </div>
          <p role="status" aria-live="polite" className="sr-only" data-testid="search-suggest-status">
            {announcement}
          </p>
        </>
      ) : null}
    </div>
  );
}
