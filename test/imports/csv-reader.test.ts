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

  it("reports a record of the wrong width on its line and carries on", async () => {
    const { records, problems } = await read("width.csv", "a,b\n1,2,3\n4,5\n");
    expect(records.map((r) => r.line)).toEqual([1, 3]);
    expect(problems).toEqual([
      {
        index: 2,
        field: "(row)",
        message: "3 cells where the header has 2 columns (an unquoted comma?)",
      },
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
