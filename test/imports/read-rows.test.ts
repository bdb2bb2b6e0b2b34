import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { leadfitMetrics } from "../../src/imports/formats/leadfit-metrics.ts";
import { parseRow, type Row, readRows } from "../../src/imports/read-rows.ts";

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "leadfit-read-rows-"));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function rowsOf(text: string): Promise<Row<unknown>[]> {
  const path = join(dir, "file.csv");
  await writeFile(path, text);
  const rows: Row<unknown>[] = [];
  for await (const row of readRows(
    path,
    leadfitMetrics,
    () => {},
    () => {},
  ))
    rows.push(row);
  return rows;
}

describe("parseRow", () => {
  it("names the file's column and line for each schema issue", () => {
    const row = parseRow(
      leadfitMetrics,
      new Map([
        ["metric", "mqls"],
        ["period", "2026-W47"],
        ["value", "many"],
      ]),
      7,
    );
    expect(row.ok).toBe(false);
    if (row.ok) return;
    expect(row.fatal).toBe(false);
    expect(row.problems.map((p) => [p.index, p.field])).toEqual([[7, "value"]]);
  });
});

describe("readRows", () => {
  it("yields the header, then each row as the API's JSON shape", async () => {
    const rows = await rowsOf("Metric,Period,Value\nmqls,2026-W47,12\n");
    expect(rows[0]).toEqual({ header: true, ok: true, line: 1 });
    expect(rows[1]).toMatchObject({
      ok: true,
      line: 2,
      input: { metric: "mqls", campaign: null, period: "2026-W47", value: 12, source: "csv" },
    });
  });

  it("stops at a header problem, and calls an empty file a header problem", async () => {
    const bad = await rowsOf("metric,value\nmqls,12\n");
    expect(bad).toHaveLength(1);
    expect(bad[0]).toMatchObject({ ok: false, fatal: true, line: 1 });
    const empty = await rowsOf("\n\n");
    expect(empty).toMatchObject([{ ok: false, fatal: true, problems: [{ field: "(header)" }] }]);
  });
});
