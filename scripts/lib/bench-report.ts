// Machine facts and plain-text tables for the benchmark's output.
import fs from "node:fs";
import os from "node:os";

export interface MachineFacts {
  cpuModel: string;
  /** Logical CPUs this process may use. */
  cores: number;
  ramGiB: number;
  node: string;
  os: string;
  date: string;
  /** 1-minute load average when the run began: other work on the machine skews the figures. */
  loadAverage: number;
}

export function machineFacts(): MachineFacts {
  let cpuModel = os.cpus()[0]?.model ?? "unknown";
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(fs.readFileSync("/proc/cpuinfo", "utf8"));
    if (match?.[1]) cpuModel = match[1].trim();
  } catch {
    // Not Linux: keep os.cpus()'s name.
  }
  return {
    cpuModel,
    cores: os.availableParallelism(),
    ramGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    date: new Date().toISOString(),
    loadAverage: Math.round((os.loadavg()[0] ?? 0) * 100) / 100,
  };
}

export function formatMachine(machine: MachineFacts): string {
  return [
    `CPU:   ${machine.cpuModel}, ${machine.cores} cores`,
    `RAM:   ${machine.ramGiB} GiB`,
    `OS:    ${machine.os}`,
    `Node:  ${machine.node}`,
    `Date:  ${machine.date}`,
    `Load:  ${machine.loadAverage} (1-minute load average at start${machine.loadAverage >= 1 ? "; other work is running, figures may be low" : ""})`,
  ].join("\n");
}

export interface Column<Row> {
  title: string;
  value: (row: Row) => string;
  align?: "left" | "right";
}

/** A Markdown table padded to line up in a terminal too, so it can be pasted into docs. */
export function formatTable<Row>(rows: Row[], columns: Column<Row>[]): string {
  const cells = rows.map((row) => columns.map((column) => column.value(row)));
  const widths = columns.map((column, i) =>
    Math.max(column.title.length, ...cells.map((line) => (line[i] ?? "").length)),
  );
  const pad = (text: string, i: number) => {
    const width = widths[i] ?? 0;
    return columns[i]?.align === "left" ? text.padEnd(width) : text.padStart(width);
  };
  const line = (texts: string[]) => `| ${texts.map(pad).join(" | ")} |`;
  const dashes = (i: number) => "-".repeat((widths[i] ?? 0) + 1);
  const rule = `|${columns.map((column, i) => (column.align === "left" ? `:${dashes(i)}` : `${dashes(i)}:`)).join("|")}|`;
  return [line(columns.map((column) => column.title)), rule, ...cells.map(line)].join("\n");
}

/** A number with a fixed count of decimals, or "–" when unknown. */
export function fixed(value: number | null | undefined, decimals = 0): string {
  return value === null || value === undefined || !Number.isFinite(value) ? "–" : value.toFixed(decimals);
}
