import { stringify } from "csv-stringify/sync";
import { describe, expect, it } from "vitest";
import { csvRecord, csvStream } from "~/modules/reports/csv.server";
import type { ReportColumn } from "~/modules/reports/columns";

// The report files' CSV writer joins fields itself (for speed); csv-stringify, which the rest of
// the app uses, is the reference it must match byte for byte.

const tricky = ["", "plain", "阳山水蜜桃", 'say "hi"', "a,b", "line\nbreak", "cr\rhere", "crlf\r\n", '"', ",", " spaced ", "'=SUM(A1)", "tab\tinside"];

describe("the report CSV writer", () => {
  it("writes each record exactly as csv-stringify does", () => {
    for (const a of tricky) for (const b of tricky) expect(csvRecord([a, b, "x"])).toBe(stringify([[a, b, "x"]]));
    let seed = 7;
    const alphabet = ['"', ",", "\n", "\r", "a", "桃", " ", "'", "="];
    for (let i = 0; i < 2_000; i++) {
      const cells = Array.from({ length: 1 + (i % 5) }, () => {
        let cell = "";
        for (let k = 0; k < i % 7; k++) {
          seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
          cell += alphabet[seed % alphabet.length];
        }
        return cell;
      });
      expect(csvRecord(cells)).toBe(stringify([cells]));
    }
  });

  it("streams a BOM, the header and every row over several chunks, the same bytes as csv-stringify", async () => {
    type Row = { name: string; fen: number; at: Date | null };
    const columns: ReportColumn<Row>[] = [
      { key: "name", type: "text", width: 10, value: (r) => r.name },
      { key: "fen", type: "money", width: 10, value: (r) => r.fen },
      { key: "at", type: "time", width: 10, value: (r) => r.at },
    ];
    const rows: Row[] = Array.from({ length: 1_234 }, (_, i) => ({
      name: tricky[i % tricky.length]!,
      fen: i * 37 - 500,
      at: i % 3 ? new Date(Date.UTC(2026, 11, 5, 0, i)) : null,
    }));
    let done = -1;
    const body = csvStream<Row>({
      header: ["名称", "金额", "=时间"],
      columns,
      rows: (async function* () {
        yield* rows;
      })(),
      lng: "zh-CN",
      t: ((k: string) => k) as never,
      onDone: async (n) => {
        done = n;
      },
    });
    // Bytes, not text: a UTF-8 decoder drops the BOM.
    const bytes = Buffer.from(await new Response(body).arrayBuffer());
    const want = stringify(
      [
        ["名称", "金额", "'=时间"],
        ...rows.map((r) => {
          const fen = Math.abs(r.fen);
          const money = `${r.fen < 0 ? "-" : ""}${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, "0")}`;
          const at = r.at ? new Date(r.at.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace("T", " ") : "";
          return [r.name.startsWith("=") ? `'${r.name}` : r.name, money, at];
        }),
      ],
      { bom: true },
    );
    expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(bytes.equals(Buffer.from(want, "utf8"))).toBe(true);
    expect(done).toBe(1_234);
  });
});
