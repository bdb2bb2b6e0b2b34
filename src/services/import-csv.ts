import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { basename } from "node:path";
import { type CsvError, parse } from "csv-parse";
import type { z } from "zod";
import type { PrismaClient } from "../db/generated/client.ts";
import { OutboxRepository } from "../db/repositories/outbox-repository.ts";
import { withTransaction } from "../db/retry.ts";
import type { Repositories } from "../deps.ts";
import { AppError, type InputProblem } from "../domain/app-error.ts";
import {
  type LeadInput,
  leadInputSchema,
  MAX_BATCH,
  type MetricValueInput,
  metricValueInputSchema,
  type UpsertCounts,
} from "../domain/ingest-schemas.ts";
import type { Workspace } from "../domain/workspace.ts";
import { ingestLeads, newLeadCards } from "./ingest-leads.ts";
import { ingestMetrics, unknownMetricIssues } from "./ingest-metrics.ts";

// CSV import of leads or metric values (`leadfit import`). Each row is mapped to the HTTP API's
// JSON shape and parsed with the same zod schema, so a CSV row and an API item mean the same.
// The file is streamed twice: pass 1 validates everything and writes nothing; pass 2 writes it in
// batches inside one transaction, so an import is all or nothing.

export type ImportKind = "leads" | "metrics";
export const IMPORT_KINDS: readonly ImportKind[] = ["leads", "metrics"];

export interface ImportProgress {
  phase: "validating" | "writing";
  /** Data rows read so far in this phase. */
  rows: number;
  /** Bytes of the file read so far in this phase. */
  bytes: number;
  totalBytes: number;
}

export interface ImportCsvResult {
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  dryRun: boolean;
}

export interface ImportCsvOptions {
  workspace: Workspace;
  kind: ImportKind;
  path: string;
  dryRun?: boolean;
  /** Called at most every PROGRESS_INTERVAL_MS, and once at the end of each phase. */
  onProgress?: (progress: ImportProgress) => void;
}

/** At most this many problems are kept; the rest are only counted. */
export const MAX_PROBLEMS = 1000;
const PROGRESS_INTERVAL_MS = 100;
const TRANSACTION = { timeout: 10 * 60_000, maxWait: 60_000 };

/** `invalid_csv`: every problem found (up to MAX_PROBLEMS), each with its line and column. */
export class InvalidCsvError extends AppError {
  constructor(
    file: string,
    issues: readonly InputProblem[],
    /** All problems, including those past MAX_PROBLEMS that are not listed. */
    readonly problemCount: number,
  ) {
    const what = `${basename(file)} has ${problemCount === 1 ? "1 problem" : `${problemCount.toLocaleString("en-US")} problems`}; nothing was written.`;
    super("invalid_csv", `${file}: ${what}`, what, { issues });
  }
}

/** The file as given, or a clear error when it is missing or not a file. Returns its size. */
export async function csvFileSize(path: string): Promise<number> {
  try {
    const info = await stat(path);
    if (!info.isFile())
      throw new AppError("file_not_found", `${path} is not a file`, `${path} is not a file.`);
    return info.size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT")
      throw new AppError("file_not_found", `no file ${path}`, `No such file: ${path}`, {
        cause: error,
      });
    throw error;
  }
}

/** Validates the whole file, then (unless dryRun) stores it in one transaction. */
export async function importCsv(
  deps: { prisma: PrismaClient; repos: Repositories },
  options: ImportCsvOptions,
): Promise<ImportCsvResult> {
  const totalBytes = await csvFileSize(options.path);
  const check =
    options.kind === "leads"
      ? await validate(deps.repos, options, leadFormat, totalBytes)
      : await validate(deps.repos, options, metricFormat, totalBytes);
  if (options.dryRun)
    return { rows: check.rows, created: 0, updated: 0, unchanged: 0, dryRun: true };

  const { workspace } = options;
  // Read before the transaction: on the embedded database a second connection would wait for it.
  const definition =
    options.kind === "leads" ? await deps.repos.definitions.active(workspace.id) : undefined;
  const progress = throttle(options.onProgress, "writing", totalBytes);
  const result = await withTransaction(
    deps.prisma,
    async (tx) => {
      if (options.kind === "metrics")
        return writeAll(options.path, metricFormat, check.rows, progress, (values) =>
          ingestMetrics(tx, { workspaceId: workspace.id, values }),
        );
      const createdIds: string[] = [];
      const newLeadCampaigns = new Set<string | null>();
      const counts = await writeAll(
        options.path,
        leadFormat,
        check.rows,
        progress,
        async (leads) => {
          const result = await ingestLeads(tx, { workspace, definition, leads, queueCards: false });
          createdIds.push(...result.createdIds);
          // The campaigns of batches with new leads: exact when the whole batch is new, a superset
          // otherwise (then the summary names no campaign rather than a wrong one).
          if (result.created > 0) for (const lead of leads) newLeadCampaigns.add(lead.campaign);
          return result;
        },
      );
      // One rule for the API and imports: more than SUMMARY_THRESHOLD new leads → one summary.
      const campaignKey = newLeadCampaigns.size === 1 ? ([...newLeadCampaigns][0] ?? null) : null;
      await new OutboxRepository(tx).enqueue(
        workspace.id,
        newLeadCards(workspace, createdIds, campaignKey),
      );
      return counts;
    },
    TRANSACTION,
  );
  return { ...result, dryRun: false };
}

/**
 * Pass 2: the rows again, written MAX_BATCH at a time by `write` (inside the transaction). When
 * the file no longer is what pass 1 validated, it throws, which rolls everything back.
 */
async function writeAll<T>(
  path: string,
  format: Format<T>,
  expectedRows: number,
  progress: Progress,
  write: (batch: T[]) => Promise<UpsertCounts>,
): Promise<UpsertCounts & { rows: number }> {
  const totals = { rows: 0, created: 0, updated: 0, unchanged: 0 };
  let batch: T[] = [];
  const flush = async () => {
    const counts = await write(batch);
    batch = [];
    totals.created += counts.created;
    totals.updated += counts.updated;
    totals.unchanged += counts.unchanged;
  };
  const syntaxErrors: InputProblem[] = [];
  for await (const row of readRows(path, format, progress, (p) => syntaxErrors.push(p))) {
    if (!row.ok) throw changedFile(path, row.problems);
    if (syntaxErrors.length > 0) throw changedFile(path, syntaxErrors);
    if (row.header) continue;
    totals.rows++;
    batch.push(row.value);
    if (batch.length === MAX_BATCH) await flush();
  }
  if (syntaxErrors.length > 0 || totals.rows !== expectedRows)
    throw changedFile(path, syntaxErrors);
  if (batch.length > 0) await flush();
  return totals;
}

function changedFile(path: string, problems: readonly InputProblem[]): AppError {
  const message = `${basename(path)} changed while it was being imported; nothing was written. Import it again.`;
  return new AppError("invalid_csv", `${path} changed between validation and writing`, message, {
    issues: problems,
  });
}

// ---------------------------------------------------------------------------------------------
// Pass 1: validation

async function validate<T>(
  repos: Repositories,
  options: ImportCsvOptions,
  format: Format<T>,
  totalBytes: number,
): Promise<{ rows: number }> {
  const problems = new Problems();
  const progress = throttle(options.onProgress, "validating", totalBytes);
  let rows = 0;
  const seen = new Map<string, number>();
  // Checks against the database (metric keys) run a chunk of rows at a time.
  let pending: { value: T; line: number }[] = [];
  const checkPending = async () => {
    if (!format.checkChunk || pending.length === 0) return;
    const chunk = pending;
    pending = [];
    for (const problem of await format.checkChunk(repos, options.workspace.id, chunk))
      problems.add(problem);
  };
  for await (const row of readRows(options.path, format, progress, (p) => problems.add(p))) {
    if (row.header) continue;
    if (!row.ok) {
      for (const problem of row.problems) problems.add(problem);
      // A header problem: no row can be read without the columns.
      if (row.fatal) break;
      rows++;
      continue;
    }
    rows++;
    const key = format.identity(row.value);
    const first = seen.get(key.value);
    if (first === undefined) seen.set(key.value, row.line);
    else problems.add({ index: row.line, field: key.field, message: key.repeated(first) });
    if (format.checkChunk) {
      pending.push({ value: row.value, line: row.line });
      if (pending.length === MAX_BATCH) await checkPending();
    }
  }
  await checkPending();
  if (problems.count > 0)
    throw new InvalidCsvError(options.path, problems.sorted(), problems.count);
  return { rows };
}

class Problems {
  readonly list: InputProblem[] = [];
  count = 0;

  add(problem: InputProblem): void {
    this.count++;
    if (this.list.length < MAX_PROBLEMS) this.list.push(problem);
  }

  sorted(): InputProblem[] {
    return [...this.list].sort((a, b) => a.index - b.index);
  }
}

function throttle(
  onProgress: ImportCsvOptions["onProgress"],
  phase: ImportProgress["phase"],
  totalBytes: number,
): Progress {
  let last = Number.NEGATIVE_INFINITY;
  return (rows, bytes, final) => {
    if (!onProgress) return;
    const now = performance.now();
    if (!final && now - last < PROGRESS_INTERVAL_MS) return;
    last = now;
    onProgress({
      phase,
      rows,
      bytes: final ? totalBytes : Math.min(bytes, totalBytes),
      totalBytes,
    });
  };
}

type Progress = (rows: number, bytes: number, final: boolean) => void;

// ---------------------------------------------------------------------------------------------
// Reading: CSV records → header → rows parsed with the API's schema

type Row<T> =
  | { header: true; ok: true; line: number }
  | { header?: false; ok: true; line: number; value: T }
  | { header?: false; ok: false; fatal: boolean; line: number; problems: InputProblem[] };

/**
 * The rows of the file, streamed: each parsed with the format's schema, or its problems. A CSV
 * syntax error goes to `onSyntaxError` and the parser carries on with the next record.
 */
async function* readRows<T>(
  path: string,
  format: Format<T>,
  progress: Progress,
  onSyntaxError: (problem: InputProblem) => void = () => {},
): AsyncGenerator<Row<T>> {
  const file = createReadStream(path);
  let syntaxErrors = 0;
  // The parser counts every \r and \n inside a quoted cell as a line, so each quoted \r\n pushes
  // its count one past the file's line numbers from then on. Records are numbered here, in the
  // parser's own order (it reads ahead of the loop below), refused ones included.
  let quotedCrlfs = 0;
  const firstLine = (lastLine: number, cells: readonly string[]): number => {
    const line = lastLine - cells.reduce((n, cell) => n + countNewlines(cell), 0) - quotedCrlfs;
    quotedCrlfs += cells.reduce((n, cell) => n + cell.split("\r\n").length - 1, 0);
    return line;
  };
  const lineOf = new WeakMap<string[], number>();
  const parser = parse({
    bom: true,
    skip_empty_lines: true,
    // Spreadsheets leave rows of bare commas behind; they are not rows.
    skip_records_with_empty_values: true,
    relax_column_count: false,
    on_record: (record: string[], info) => {
      lineOf.set(record, firstLine(info.lines, record));
      return record;
    },
    skip_records_with_error: true,
    on_skip: (error: CsvError | undefined) => {
      syntaxErrors++;
      if (!error) return undefined;
      const cells = Array.isArray(error.record) ? error.record.map(String) : [];
      const lastLine = typeof error.lines === "number" ? error.lines : 0;
      onSyntaxError(syntaxProblem(error, firstLine(lastLine, cells)));
      return undefined;
    },
  });
  file.on("error", (error) => parser.destroy(error));
  file.pipe(parser);
  let columns: Columns | undefined;
  let rows = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      const line = lineOf.get(record) ?? 0;
      if (!columns) {
        const header = readHeader(record, line, format);
        if ("problems" in header) {
          yield { ok: false, fatal: true, line, problems: header.problems };
          return;
        }
        columns = header;
        yield { header: true, ok: true, line };
        continue;
      }
      rows++;
      const parsed = format.schema.safeParse(format.toInput(cellsOf(record, columns)));
      yield parsed.success
        ? { ok: true, line, value: parsed.data }
        : {
            ok: false,
            fatal: false,
            line,
            problems: parsed.error.issues.map((issue) => ({
              index: line,
              field: format.column(issue.path),
              message: issue.message,
            })),
          };
      progress(rows, file.bytesRead, false);
    }
    if (!columns && syntaxErrors === 0)
      yield {
        ok: false,
        fatal: true,
        line: 1,
        problems: [
          {
            index: 1,
            field: "(header)",
            message: `The file is empty: the first line names the columns (${format.required.join(", ")}, …)`,
          },
        ],
      };
    progress(rows, file.bytesRead, true);
  } finally {
    file.destroy();
    parser.destroy();
  }
}

/** Line breaks inside a cell as the parser counts them: every \r and every \n (so \r\n is two). */
function countNewlines(text: string): number {
  let n = 0;
  for (const char of text) if (char === "\n" || char === "\r") n++;
  return n;
}

function syntaxProblem(error: CsvError, line: number): InputProblem {
  if (error.code === "CSV_RECORD_INCONSISTENT_FIELDS_LENGTH" && Array.isArray(error.record)) {
    // The parser reads records ahead of us, so the header's width comes from its message.
    const width = /expect (\d+)/.exec(error.message)?.[1];
    return {
      index: line,
      field: "(row)",
      message: `${error.record.length} cells where the header has ${width ?? "a different number of"} columns (an unquoted comma?)`,
    };
  }
  if (error.code === "CSV_QUOTE_NOT_CLOSED")
    return {
      index: line,
      field: "(row)",
      message:
        "The file ends inside a quoted cell: a quote opened on an earlier line is never closed",
    };
  return { index: line, field: "(row)", message: `Not valid CSV: ${error.message}` };
}

/** Each column's position in a record, by its name in the format (a field name for leads). */
interface Columns {
  names: { name: string; position: number }[];
}

/** "External ID", "external-id", "externalId" and "external_id" are the same column. */
function compact(header: string): string {
  return header
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, "");
}

function readHeader<T>(
  record: string[],
  line: number,
  format: Format<T>,
): Columns | { problems: InputProblem[] } {
  const problems: InputProblem[] = [];
  const names: Columns["names"] = [];
  const documented = new Map(format.columns.map((c) => [compact(c), c]));
  const extra: { name: string; position: number }[] = [];
  record.forEach((raw, position) => {
    const header = raw.trim();
    if (header === "") {
      problems.push({
        index: line,
        field: "(header)",
        message: `Column ${position + 1} has no name in the header`,
      });
      return;
    }
    const name = documented.get(compact(header));
    if (name) names.push({ name, position });
    else extra.push({ name: header.toLowerCase(), position });
  });
  problems.push(...format.extraColumns(extra, line));
  names.push(...extra);
  const counted = new Map<string, number>();
  for (const { name } of names) counted.set(name, (counted.get(name) ?? 0) + 1);
  for (const [name, n] of counted)
    if (n > 1)
      problems.push({
        index: line,
        field: name,
        message: `The header names this column ${n} times`,
      });
  for (const name of format.required)
    if (!counted.has(name))
      problems.push({
        index: line,
        field: name,
        message: `Missing required column ${name} (the header needs ${format.required.join(", ")})`,
      });
  return problems.length > 0 ? { problems } : { names };
}

function cellsOf(record: string[], columns: Columns): Map<string, string> {
  const cells = new Map<string, string>();
  for (const { name, position } of columns.names) cells.set(name, (record[position] ?? "").trim());
  return cells;
}

// ---------------------------------------------------------------------------------------------
// The two formats

interface Format<T> {
  /** Documented columns, as written in the docs. */
  columns: readonly string[];
  required: readonly string[];
  schema: z.ZodType<T>;
  /** Problems with the columns that are not documented (empty when they are welcome). */
  extraColumns: (extra: { name: string }[], line: number) => InputProblem[];
  /** Cells (empty = absent) → the API's JSON shape. */
  toInput: (cells: Map<string, string>) => unknown;
  /** The column a schema issue is about. */
  column: (path: readonly PropertyKey[]) => string;
  /** Checks against the workspace (pass 1 only), a chunk of valid rows at a time. */
  checkChunk?: (
    repos: Repositories,
    workspaceId: string,
    chunk: readonly { value: T; line: number }[],
  ) => Promise<InputProblem[]>;
  /** What must not repeat in one file. */
  identity: (value: T) => { value: string; field: string; repeated: (line: number) => string };
}

const LEAD_COLUMNS = {
  external_id: "externalId",
  email: "email",
  name: "name",
  company: "company",
  title: "title",
  campaign: "campaign",
  owner: "owner",
  created_at: "createdAt",
} as const;
const COLUMN_OF_LEAD_KEY = new Map<PropertyKey, string>(
  Object.entries(LEAD_COLUMNS).map(([column, key]) => [key, column]),
);

const leadFormat: Format<LeadInput> = {
  columns: Object.keys(LEAD_COLUMNS),
  required: ["external_id", "email", "created_at"],
  schema: leadInputSchema,
  // Any other column is a qualification field; its name is checked once, by the API's schema.
  extraColumns: (extra, line) => {
    if (extra.length === 0) return [];
    const probe = leadInputSchema.shape.fields.safeParse(
      Object.fromEntries(extra.map((c) => [c.name, ""])),
    );
    if (probe.success) return [];
    return probe.error.issues.map((issue) => ({
      index: line,
      field: typeof issue.path[0] === "string" ? issue.path[0] : "(header)",
      message: issue.message,
    }));
  },
  toInput: (cells) => {
    const optional = (column: string) => cells.get(column) || null;
    const fields: Record<string, string> = {};
    for (const [column, value] of cells)
      if (!Object.hasOwn(LEAD_COLUMNS, column) && value !== "") fields[column] = value;
    return {
      externalId: cells.get("external_id") ?? "",
      email: cells.get("email") ?? "",
      name: optional("name"),
      company: optional("company"),
      title: optional("title"),
      campaign: optional("campaign"),
      owner: optional("owner"),
      createdAt: cells.get("created_at") ?? "",
      fields,
    };
  },
  column: (path) => {
    const [first, second] = path;
    if (first === "fields" && typeof second === "string") return second;
    return (first !== undefined && COLUMN_OF_LEAD_KEY.get(first)) || "(row)";
  },
  identity: (lead) => ({
    value: lead.externalId,
    field: "external_id",
    repeated: (line) => `${lead.externalId} already appears on line ${line}; list each lead once`,
  }),
};

const METRIC_COLUMNS = ["metric", "campaign", "period", "value", "source"] as const;

const metricFormat: Format<MetricValueInput> = {
  columns: METRIC_COLUMNS,
  required: ["metric", "period", "value"],
  schema: metricValueInputSchema,
  extraColumns: (extra, line) =>
    extra.map((c) => ({
      index: line,
      field: c.name,
      message: `Unknown column: metric files have the columns ${METRIC_COLUMNS.join(", ")}`,
    })),
  toInput: (cells) => {
    const value = cells.get("value") ?? "";
    return {
      metric: cells.get("metric") ?? "",
      campaign: cells.get("campaign") || null,
      period: cells.get("period") ?? "",
      // A plain decimal number; anything else is passed on as text for the schema to refuse.
      value: /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(value) ? Number(value) : value,
      source: cells.get("source") || "csv",
    };
  },
  column: (path) => {
    const first = path[0];
    return typeof first === "string" && (METRIC_COLUMNS as readonly string[]).includes(first)
      ? first
      : "(row)";
  },
  checkChunk: (repos, workspaceId, chunk) =>
    unknownMetricIssues(
      repos,
      workspaceId,
      chunk.map((c) => c.value),
      (position) => chunk[position]?.line ?? 0,
    ),
  identity: (v) => ({
    value: [v.metric, v.campaign ?? "", v.period.granularity, v.period.periodStart, v.source].join(
      "\u0000",
    ),
    field: "metric",
    repeated: (line) =>
      `The same metric, campaign, period and source as line ${line}; keep one value`,
  }),
};
