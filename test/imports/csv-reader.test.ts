import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InputProblem } from "../../src/domain/app-error.ts";
import { lineCounter, readCsvRecords } from "../../src/imports/csv-reader.ts";

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "leadfit-csv-reader-"));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function read(name: string, text: string) {
  const path = join(dir, name);
  await writeFile(path, text);
  const problems: InputProblem[] = [];
  const records: { cells: string[]; line: number }[] = [];
  for await (const { cells, line } of readCsvRecords(path, (p) => problems.push(p)))
    records.push({ cells, line });
  return { records, problems };
}

describe("readCsvRecords", () => {
  it("numbers records by the line they start on, across quoted line breaks and skipped lines", async () => {
    const { records, problems } = await read(
      "lines.csv",
      '\uFEFFa,b\r\n"one\r\ntwo",x\r\n\r\n,\r\nlast,"y\nz"\r\nend,w\r\n',
    );
    expect(problems).toEqual([]);
    expect(records).toEqual([
      { cells: ["a", "b"], line: 1 },
      { cells: ["one\r\ntwo", "x"], line: 2 },
      { cells: ["last", "y\nz"], line: 6 },
      { cells: ["end", "w"], line: 8 },
    ]);
  });

  it("hands out records of any width: title rows and footers are judged by the caller", async () => {
    const { records, problems } = await read("width.csv", "Report\na,b\n1,2,3\n");
    expect(problems).toEqual([]);
    expect(records.map((r) => r.cells)).toEqual([["Report"], ["a", "b"], ["1", "2", "3"]]);
  });

  it("reads UTF-16 with its BOM, tab-separated, as Excel's Unicode text and Google Ads' Excel CSV are", async () => {
    const path = join(dir, "utf16.csv");
    const text =
      "\uFEFFCampaign report\r\nDay\tCampaign\tCost\r\n2026-11-16\tBrand | Exact | US\t1,234.56\r\n";
    await writeFile(path, Buffer.from(text, "utf16le"));
    const records: string[][] = [];
    for await (const { cells } of readCsvRecords(path, () => {})) records.push(cells);
    expect(records).toEqual([
      ["Campaign report"],
      ["Day", "Campaign", "Cost"],
      ["2026-11-16", "Brand | Exact | US", "1,234.56"],
    ]);
  });

  it("splits on semicolons when the lines use them, keeping decimal commas in cells", async () => {
    const { records } = await read(
      "semicolon.csv",
      "Tag;Kampagne;Kosten\n16.11.2026;Brand;1.234,50\n",
    );
    expect(records.map((r) => r.cells)).toEqual([
      ["Tag", "Kampagne", "Kosten"],
      ["16.11.2026", "Brand", "1.234,50"],
    ]);
  });

  it("reports a quote that is never closed", async () => {
    const { problems } = await read("quote.csv", 'a,b\n1,"open\n');
    expect(problems).toEqual([
      {
        index: 2,
        field: "(row)",
        message:
          "The file ends inside a quoted cell: a quote opened on an earlier line is never closed",
      },
    ]);
  });
});

describe("lineCounter", () => {
  it("counts a quoted \\r\\n as one line of the file, though the parser counts two", () => {
    const lines = lineCounter();
    // The parser's line counts: 3 after "a\r\nb" (line 1), then 4 for the next record.
    expect(lines.firstLine(3, ["a\r\nb"])).toBe(1);
    expect(lines.firstLine(4, ["c"])).toBe(3);
  });
});
