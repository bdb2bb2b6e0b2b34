import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRepositories } from "../../src/db/repositories/index.ts";
import { AppError, isAppError } from "../../src/domain/app-error.ts";
import type { Workspace } from "../../src/domain/workspace.ts";
import { readTime } from "../../src/imports/values.ts";
import { type ImportKind, importCsv } from "../../src/services/import-csv.ts";
import { newWorkspace, suiteDatabase } from "../support/database.ts";
import {
  anyText,
  campaignKey,
  DEFAULT_METRIC_KEYS,
  emailAddress,
  isoDate,
  isoTime,
  isoWeek,
  metricValueNumber,
  oddDate,
  oddTime,
  oddWeek,
  textNearLimit,
} from "./arbitraries.ts";
import { workspaceState } from "./workspace-state.ts";

// CSV import under hostile files: it imports, or refuses with AppError problems that each name a
// line of the file and a column; a refused file writes nothing.

const { db } = suiteDatabase();
let dir: string;
let workspace: Workspace;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "leadfit-csv-property-"));
  workspace = await newWorkspace(db.prisma);
});

afterAll(() => rm(dir, { recursive: true, force: true }));

const state = () => workspaceState(db.prisma, workspace.id);

let files = 0;
async function importText(text: string, kind: ImportKind, dryRun = false) {
  files++;
  const path = join(dir, `file-${files}.csv`);
  await writeFile(path, text);
  return importCsv({ db, repos: createRepositories(db) }, { workspace, kind, path, dryRun });
}

/** What an import ended with: its result, or the error it threw (whatever that was). */
async function outcome<T>(
  promise: Promise<T>,
): Promise<{ ok: true; result: T } | { ok: false; error: unknown }> {
  return promise.then(
    (result) => ({ ok: true as const, result }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}

/** The refusal an import must end with: an AppError, never anything else. */
async function refusalOf(promise: Promise<unknown>): Promise<AppError> {
  const ended = await outcome(promise);
  if (ended.ok) throw new Error(`the import succeeded: ${JSON.stringify(ended.result)}`);
  expect(ended.error).toBeInstanceOf(AppError);
  if (!isAppError(ended.error)) throw ended.error;
  return ended.error;
}

const LINE_BREAK = /\r\n|\r|\n/g;

/** The 1-based line a position of `text` is on, counting every kind of line break. */
function lineAt(text: string, position: number): number {
  return (text.slice(0, position).match(LINE_BREAK) ?? []).length + 1;
}

function lineCount(text: string): number {
  return lineAt(text, text.length);
}

function quote(value: string): string {
  return `"${value.replaceAll('"', '""')}"`;
}

interface Plan {
  bom: boolean;
  eol: string;
  header: string[];
  records: { cells: string[]; blankLinesBefore: number; quoteAll: boolean }[];
  trailingEol: boolean;
}

/** The file text, and the line each record starts on. */
function render(plan: Plan): { text: string; starts: number[] } {
  const line = (cells: string[], quoteAll: boolean) =>
    cells.map((c) => (quoteAll || /[",\r\n]/.test(c) ? quote(c) : c)).join(",");
  let text = (plan.bom ? "\ufeff" : "") + line(plan.header, false);
  const starts: number[] = [];
  for (const record of plan.records) {
    text += plan.eol.repeat(record.blankLinesBefore + 1);
    starts.push(lineAt(text, text.length));
    text += line(record.cells, record.quoteAll);
  }
  if (plan.trailingEol) text += plan.eol;
  return { text, starts };
}

const LEAD_COLUMNS = [
  "external_id",
  "email",
  "name",
  "company",
  "title",
  "campaign",
  "owner",
  "created_at",
];
const METRIC_COLUMNS = ["metric", "campaign", "period", "value", "source"];

/** How people write the documented headers: the import reads them all as the same column. */
function headerSpelling(column: string): fc.Arbitrary<string> {
  // A qualification field is stored under its header lowercased, so only its case may vary.
  if (!LEAD_COLUMNS.includes(column) && !METRIC_COLUMNS.includes(column))
    return fc.constantFrom(column, column.toUpperCase());
  const words = column.split("_");
  const capitalized = words.map((w) => (w[0] ?? "").toUpperCase() + w.slice(1));
  return fc.constantFrom(
    column,
    column.toUpperCase(),
    ` ${column} `,
    capitalized.join(" "),
    words.join("-"),
    (words[0] ?? "") + capitalized.slice(1).join(""),
  );
}

const compact = (header: string) =>
  header
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, "");

/** Qualification field columns: lowercase (as they are stored) and unlike any documented one. */
const extraColumns = fc.uniqueArray(
  fc
    .stringMatching(/^[a-z][a-z0-9_.-]{0,15}$/)
    .filter(
      (name) => !(name in Object.prototype) && !LEAD_COLUMNS.map(compact).includes(compact(name)),
    ),
  { maxLength: 3, selector: compact },
);

/** Text that may span lines inside a quoted cell, with every kind of line break. */
const cellText = fc.oneof(
  anyText(30),
  fc
    .tuple(anyText(10), fc.constantFrom("\n", "\n\n", '"', '""', ","), anyText(10))
    .map((parts) => parts.join("")),
);

const layout = fc.record({
  bom: fc.boolean(),
  eol: fc.constantFrom("\n", "\r\n"),
  trailingEol: fc.boolean(),
});

const recordLayout = fc.record({
  blankLinesBefore: fc.oneof(
    { weight: 4, arbitrary: fc.constant(0) },
    fc.integer({ max: 2, min: 1 }),
  ),
  quoteAll: fc.boolean(),
});

interface Mistake {
  column: string;
  value: string;
}

/** A cell value the import must refuse, for a column of a lead file. */
function leadMistake(extras: readonly string[]): fc.Arbitrary<Mistake> {
  const base = fc.oneof(
    fc.constantFrom<Mistake>(
      { column: "email", value: "not-an-email" },
      { column: "email", value: "" },
      { column: "external_id", value: "" },
      { column: "created_at", value: "" },
    ),
    // A file's time may be local (in the workspace's zone) or a bare date; the rest is refused.
    oddTime
      .filter((value) => readTime(value) === undefined)
      .map((value) => ({ column: "created_at", value })),
    textNearLimit(200)
      .filter((s) => [...s.trim()].length > 200)
      .map((value) => ({ column: "name", value })),
    textNearLimit(200)
      .filter((s) => [...s.trim()].length > 200)
      .map((value) => ({ column: "campaign", value })),
  );
  if (extras.length === 0) return base;
  return fc.oneof(
    base,
    fc.constantFrom(...extras).map((column) => ({ column, value: "x".repeat(1001) })),
  );
}

const metricMistake: fc.Arbitrary<Mistake> = fc.oneof(
  fc.constantFrom<Mistake>(
    { column: "value", value: "abc" },
    { column: "value", value: "1,5" },
    { column: "value", value: "" },
    { column: "value", value: "1e15" },
    { column: "value", value: "NaN" },
    { column: "value", value: "0x10" },
    { column: "metric", value: "Video Views" },
    { column: "metric", value: "" },
    { column: "metric", value: "tiktok_views" },
    { column: "period", value: "" },
    { column: "source", value: "Google Ads" },
  ),
  oddWeek.map((value) => ({ column: "period", value })),
  oddDate.filter((s) => s.trim() !== "").map((value) => ({ column: "period", value })),
);

/** A valid lead record for position `i`, as cells by column name. */
function leadCells(i: number, salt: string, extras: readonly string[]) {
  return fc
    .record({
      email: emailAddress,
      name: cellText,
      company: cellText,
      title: cellText,
      campaign: fc.oneof(campaignKey, fc.constant("")),
      owner: anyText(20),
      created_at: isoTime.map((t) => t.text),
      extra: fc.array(cellText, { minLength: extras.length, maxLength: extras.length }),
    })
    .map(
      ({ extra, ...cells }): Record<string, string> => ({
        ...cells,
        external_id: `${salt}-${i}`,
        ...Object.fromEntries(extras.map((name, k) => [name, extra[k] ?? ""])),
      }),
    );
}

function metricCells(i: number): fc.Arbitrary<Record<string, string>> {
  return fc.record({
    metric: fc.constantFrom(...DEFAULT_METRIC_KEYS),
    campaign: fc.oneof(campaignKey, fc.constant("")),
    period: fc.oneof(isoWeek, isoDate),
    value: metricValueNumber.map(String),
    // Unique per record, so no two records are the same figure.
    source: fc.constant(`src-${i}`),
  });
}

/** A header in some order and spelling, and which column each position holds. */
function header(columns: readonly string[]): fc.Arbitrary<{ names: string[]; spelled: string[] }> {
  return fc
    .shuffledSubarray([...columns], { minLength: columns.length, maxLength: columns.length })
    .chain((names) =>
      fc.tuple(...names.map(headerSpelling)).map((spelled) => ({ names, spelled })),
    );
}

/** A file with good records and known mistakes at known records and columns. */
function fileWithMistakes(kind: ImportKind) {
  const salt = anyText(12).filter((s) => s.trim() !== "");
  const columns = kind === "leads" ? extraColumns : fc.constant<string[]>([]);
  return fc.tuple(salt, columns, layout).chain(([saltText, extras, look]) => {
    const all = kind === "leads" ? [...LEAD_COLUMNS, ...extras] : METRIC_COLUMNS;
    const mistake = kind === "leads" ? leadMistake(extras) : metricMistake;
    return fc
      .tuple(
        header(all),
        fc.array(fc.tuple(recordLayout, fc.option(mistake, { freq: 3, nil: undefined })), {
          minLength: 1,
          maxLength: 8,
        }),
      )
      .chain(([head, slots]) =>
        fc
          .tuple(
            ...slots.map((_, i) =>
              kind === "leads" ? leadCells(i, saltText, extras) : metricCells(i),
            ),
          )
          .map((cellsByRecord) => {
            const records = slots.map(([recordLook, wrong], i) => {
              const cells = { ...cellsByRecord[i] };
              if (wrong) cells[wrong.column] = wrong.value;
              return {
                ...recordLook,
                cells: head.names.map((name) => cells[name] ?? ""),
                mistake: wrong,
              };
            });
            return {
              plan: { ...look, header: head.spelled, records },
              mistakes: records.map((r) => r.mistake),
            };
          }),
      );
  });
}

describe("CSV import of hostile files", () => {
  it("imports any file or refuses it with an AppError whose problems name a line of the file and a column, and a refusal writes nothing", async () => {
    const anyFile = fc
      .record({
        kind: fc.constantFrom<ImportKind>("leads", "metrics"),
        extraHeaders: fc.array(anyText(12), { maxLength: 3 }),
        dropColumns: fc.nat({ max: 3 }),
        width: fc.integer({ min: -2, max: 2 }),
        dryRun: fc.boolean(),
        look: layout,
      })
      .chain(({ kind, extraHeaders, dropColumns, width, dryRun, look }) => {
        const documented = kind === "leads" ? LEAD_COLUMNS : METRIC_COLUMNS;
        return fc
          .tuple(
            fc.shuffledSubarray(documented, {
              minLength: Math.max(0, documented.length - dropColumns),
            }),
            fc.nat(),
          )
          .chain(([kept, seed]) => {
            const headerCells = [...kept, ...extraHeaders];
            // Own keys only: a header may be named like an Object.prototype member.
            const pick = (cells: Record<string, string>, column: string) =>
              Object.hasOwn(cells, column) ? (cells[column] ?? "") : "";
            const valueFor = (column: string, i: number): fc.Arbitrary<string> =>
              kind === "leads"
                ? leadCells(i, `f${seed}`, []).map((cells) => pick(cells, column))
                : metricCells(i).map((cells) => pick(cells, column));
            const cell = (column: string | undefined, i: number) =>
              fc.oneof(
                { weight: 3, arbitrary: column ? valueFor(column, i) : cellText },
                { weight: 1, arbitrary: cellText },
              );
            const record = (i: number) =>
              fc.record({
                cells: fc.tuple(
                  ...Array.from({ length: Math.max(1, headerCells.length + width) }, (_, c) =>
                    cell(headerCells[c], i),
                  ),
                ),
                blankLinesBefore: fc.integer({ min: 0, max: 1 }),
                quoteAll: fc.boolean(),
              });
            return fc
              .integer({ min: 0, max: 6 })
              .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => record(i))))
              .map((records) => ({
                kind,
                dryRun,
                plan: { ...look, header: headerCells, records },
              }));
          });
      });
    await fc.assert(
      fc.asyncProperty(anyFile, async ({ kind, dryRun, plan }) => {
        const { text } = render(plan);
        const before = await state();
        const ended = await outcome(importText(text, kind, dryRun));
        if (ended.ok) {
          const { result } = ended;
          const records = plan.records.filter((r) => r.cells.some((c) => c.trim() !== ""));
          expect(result.rows).toBe(records.length);
          const after = await state();
          if (dryRun) {
            expect(result).toMatchObject({ created: 0, updated: 0, unchanged: 0 });
            expect(after).toEqual(before);
          } else {
            expect(result.created + result.updated + result.unchanged).toBe(result.rows);
            const table = kind === "leads" ? "lead" : "metricValue";
            expect(after[table].count - before[table].count).toBe(result.created);
          }
          return;
        }
        const error = ended.error;
        expect(error).toBeInstanceOf(AppError);
        if (!isAppError(error)) throw error;
        expect(error.userMessage.trim()).not.toBe("");
        for (const problem of error.issues) {
          expect(problem.index).toBeGreaterThanOrEqual(1);
          expect(problem.index).toBeLessThanOrEqual(lineCount(text));
          expect(problem.field.trim()).not.toBe("");
          expect(problem.message.trim()).not.toBe("");
        }
        expect(await state()).toEqual(before);
      }),
      { numRuns: 60 },
    );
  });

  it("reports every bad cell on the line its record starts, under its column, and never blames a good record", async () => {
    const files = fc.constantFrom<ImportKind>("leads", "metrics").chain((kind) =>
      fileWithMistakes(kind)
        .filter(({ mistakes }) => mistakes.some((m) => m !== undefined))
        .map((file) => ({ kind, ...file })),
    );
    await fc.assert(
      fc.asyncProperty(files, async ({ kind, plan, mistakes }) => {
        const { text, starts } = render(plan);
        const before = await state();
        const error = await refusalOf(importText(text, kind));
        expect(error.code).toBe("invalid_csv");
        mistakes.forEach((mistake, i) => {
          const line = starts[i];
          if (mistake)
            expect(error.issues).toContainEqual(
              expect.objectContaining({ index: line, field: mistake.column }),
            );
          else expect(error.issues.filter((p) => p.index === line)).toEqual([]);
        });
        expect(await state()).toEqual(before);
      }),
      { numRuns: 60 },
    );
  });

  it("imports any valid file whole, with counts that add up, and importing it again changes nothing", async () => {
    const files = fc.constantFrom<ImportKind>("leads", "metrics").chain((kind) =>
      fileWithMistakes(kind)
        .map(({ plan }) => ({
          kind,
          plan: { ...plan, records: plan.records.filter((r) => r.mistake === undefined) },
        }))
        .filter(({ plan }) => plan.records.length > 0),
    );
    await fc.assert(
      fc.asyncProperty(files, async ({ kind, plan }) => {
        const { text } = render(plan);
        const rows = plan.records.length;
        const before = await state();
        expect(await importText(text, kind, true)).toMatchObject({
          rows,
          created: 0,
          updated: 0,
          unchanged: 0,
          dryRun: true,
        });
        expect(await state()).toEqual(before);

        const first = await importText(text, kind);
        expect(first.rows).toBe(rows);
        expect(first.created + first.updated + first.unchanged).toBe(rows);
        const stored = await state();
        const table = kind === "leads" ? "lead" : "metricValue";
        expect(stored[table].count - before[table].count).toBe(first.created);

        expect(await importText(text, kind)).toMatchObject({
          rows,
          created: 0,
          updated: 0,
          unchanged: rows,
          dryRun: false,
        });
        expect(await state()).toEqual(stored);
      }),
      { numRuns: 40 },
    );
  });
});

// Minimal counterexamples the properties above found, kept as regression tests.
describe("regressions in CSV import", () => {
  const HEADER = "external_id,email,created_at,note";
  const AT = "2026-11-16T09:30:00Z";

  it("reports a bad cell on its record's line when an earlier quoted cell holds a CRLF", async () => {
    // Line 1 header, lines 2-3 the first record, line 4 the bad one.
    const text = `${HEADER}\n1,a@b.co,${AT},"a\r\nb"\n2,not-an-email,${AT},x\n`;
    const error = await refusalOf(importText(text, "leads"));
    expect(error.issues).toEqual([expect.objectContaining({ index: 4, field: "email" })]);
  });

  it("reports a record with too many cells on its line when an earlier quoted cell holds a CRLF", async () => {
    const text = `${HEADER}\n1,a@b.co,${AT},"a\r\nb"\n2,c@d.co,${AT},x,extra\n`;
    const error = await refusalOf(importText(text, "leads"));
    expect(error.issues).toEqual([expect.objectContaining({ index: 4, field: "(row)" })]);
  });

  it("reports a bad cell on its record's line when the record holds a lone CR", async () => {
    const text = `${HEADER}\n1,not-an-email,${AT},"a\rb"\n`;
    const error = await refusalOf(importText(text, "leads"));
    expect(error.issues).toEqual([expect.objectContaining({ index: 2, field: "email" })]);
  });

  it("refuses a cell holding a NUL character with an AppError, writing nothing", async () => {
    const before = await state();
    await refusalOf(importText(`${HEADER}\n1,a@b.co,${AT},"a\u0000b"\n`, "leads"));
    expect(await state()).toEqual(before);
  });

  it("refuses a lead created in the year 0000 with an AppError, writing nothing", async () => {
    const before = await state();
    await refusalOf(importText(`${HEADER}\n1,a@b.co,0000-01-01T00:00:00Z,x\n`, "leads"));
    expect(await state()).toEqual(before);
  });

  it("stores a qualification field column named constructor instead of dropping it", async () => {
    const id = `ctor-${files}`;
    await importText(`external_id,email,created_at,constructor\n${id},a@b.co,${AT},x\n`, "leads");
    const lead = await db.prisma.lead.findUniqueOrThrow({
      where: { workspaceId_externalId: { workspaceId: workspace.id, externalId: id } },
    });
    expect(lead.fields).toEqual({ constructor: "x" });
  });
});
