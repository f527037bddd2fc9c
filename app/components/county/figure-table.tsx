import type { ReactNode } from "react";

// One table of figures for the county dashboard: numbers right-aligned in tabular digits, and a
// horizontal scroll of its own on a 360 px phone instead of pushing the page wider.

export interface FigureColumn<R> {
  label: string;
  /** Right-aligned, tabular digits. */
  numeric?: boolean;
  cell: (row: R) => ReactNode;
}

export function FigureTable<R>({
  columns,
  rows,
  rowKey,
  caption,
  empty,
}: {
  columns: FigureColumn<R>[];
  rows: R[];
  rowKey: (row: R, index: number) => string;
  /** Read by screen readers; the visible heading is the section's. */
  caption?: string;
  /** Shown instead of an empty table. */
  empty?: string;
}) {
  if (rows.length === 0 && empty) return <p className="text-stone-700">{empty}</p>;
  const cls = (c: FigureColumn<R>, head: boolean) =>
    `px-2 py-1 ${c.numeric ? "text-right tabular-nums" : "text-left"}${head ? " font-medium" : ""}`;
  return (
    <div className="overflow-x-auto">
      <table className="w-full bg-white text-sm">
        {caption ? <caption className="sr-only">{caption}</caption> : null}
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.label} scope="col" className={cls(c, true)}>
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={rowKey(r, i)} className="border-t">
              {columns.map((c) => (
                <td key={c.label} className={cls(c, false)}>
                  {c.cell(r)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
