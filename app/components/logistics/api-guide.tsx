// The partner API guide (/developers/logistics): texts translated by the loader, code shown
// as written. Narrow screens scroll code blocks sideways, never the page.

export interface GuideSection {
  id: string;
  title: string;
  children: React.ReactNode;
}

export function CodeBlock({ code, label }: { code: string; label?: string }) {
  return (
    <pre
      aria-label={label}
      className="my-3 max-w-full overflow-x-auto rounded-xl bg-stone-900 p-3 text-xs leading-relaxed text-stone-100"
    >
      <code>{code}</code>
    </pre>
  );
}

export function GuideContents({ title, sections }: { title: string; sections: { id: string; title: string }[] }) {
  return (
    <nav aria-labelledby="guide-contents" className="mt-4 rounded-2xl bg-white p-4 ring-1 ring-stone-200">
      <h2 id="guide-contents" className="text-base font-semibold">
        {title}
      </h2>
      <ol className="mt-2 list-decimal space-y-1 pl-5">
        {sections.map((s) => (
          <li key={s.id}>
            <a className="text-leaf underline underline-offset-2" href={`#${s.id}`}>
              {s.title}
            </a>
          </li>
        ))}
      </ol>
    </nav>
  );
}

export function GuideSectionCard({ id, title, children }: GuideSection) {
  return (
    <section aria-labelledby={id} className="mt-4 min-w-0 rounded-2xl bg-white p-4 ring-1 ring-stone-200">
      <h2 id={id} className="mb-2 scroll-mt-4 text-lg font-semibold">
        {title}
      </h2>
      <div className="min-w-0 space-y-2 text-sm leading-relaxed text-stone-800">{children}</div>
    </section>
  );
}

export function Endpoint({ method, path, text, code }: { method: string; path: string; text: string; code: string }) {
  return (
    <div className="min-w-0 border-t border-stone-200 pt-3 first:border-t-0 first:pt-0">
      <h3 className="font-mono text-sm font-semibold break-all">
        <span className="mr-2 rounded bg-emerald-100 px-1.5 py-0.5 text-emerald-900">{method}</span>
        {path}
      </h3>
      <p className="mt-1">{text}</p>
      <CodeBlock code={code} />
    </div>
  );
}
