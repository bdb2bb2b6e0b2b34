import { stat } from "node:fs/promises";
import { basename } from "node:path";
import type { Repositories } from "../db/repositories/index.ts";
import { AppError, type InputProblem } from "../domain/app-error.ts";
import { MAX_BATCH, type MetricValueInput, type UpsertCounts } from "../domain/ingest-schemas.ts";
import type { Workspace } from "../domain/workspace.ts";
import type { ImportFormat } from "../imports/format.ts";
import { leadfitLeads } from "../imports/formats/leadfit-leads.ts";
import { leadfitMetrics } from "../imports/formats/leadfit-metrics.ts";
import { ProblemList } from "../imports/problem-list.ts";
import { type ImportProgress, type Progress, throttleProgress } from "../imports/progress.ts";
import { readRows } from "../imports/read-rows.ts";
import {
  type ApplyImportDeps,
  applyImport,
  discardImport,
  finishAbandonedImports,
  IMPORT_CHUNK_ROWS,
  IMPORT_KINDS,
  type ImportKind,
  leaseFrom,
} from "./apply-import.ts";
import { unknownMetricIssues } from "./ingest-metrics.ts";

// CSV import of leads or metric values (`leadfit import`). The file is streamed twice: pass 1
// checks everything and writes nothing; pass 2 stages the rows in short statements, and then they
// take effect a chunk at a time (apply-import.ts): no long transaction stops the app from
// answering meanwhile, and the import still lands whole or not at all.

export { IMPORT_KINDS, type ImportKind, type ImportProgress };

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
  /**
   * Called at most every PROGRESS_INTERVAL_MS, and once at the end of each phase; while applying,
   * after every chunk, between the chunks' transactions, and awaited.
   */
  onProgress?: (progress: ImportProgress) => unknown;
}

/** `invalid_csv`: every problem found (the first ones listed), each with its line and column. */
export class InvalidCsvError extends AppError {
  constructor(
    file: string,
    issues: readonly InputProblem[],
    /** All problems, including those not listed. */
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

/**
 * Checks the whole file, then (unless dryRun) stages it and applies it. An import that fails
 * while staging is discarded; once staged, it lands whole, finished by another leadfit process
 * if this one stops midway.
 */
export async function importCsv(
  deps: ApplyImportDeps,
  options: ImportCsvOptions,
): Promise<ImportCsvResult> {
  const totalBytes = await csvFileSize(options.path);
  const { rows } =
    options.kind === "leads"
      ? await checkFile(deps.repos, options, leadfitLeads, totalBytes)
      : await checkFile(deps.repos, options, leadfitMetrics, totalBytes, unknownMetrics);
  if (options.dryRun) return { rows, created: 0, updated: 0, unchanged: 0, dryRun: true };

  // An import a crashed process left half-applied lands before this one.
  await finishAbandonedImports(deps);
  const id = await stageFile(deps, options, rows, totalBytes);
  const counts = await applyStaged(deps, options, { id, rows, totalBytes });
  return { rows, ...counts, dryRun: false };
}

// ---------------------------------------------------------------------------------------------
// Pass 1: the check

/** Checks against the workspace (pass 1 only), a chunk of valid rows at a time. */
type WorkspaceCheck<T> = (
  repos: Repositories,
  workspaceId: string,
  chunk: readonly { value: T; line: number }[],
) => Promise<InputProblem[]>;

const unknownMetrics: WorkspaceCheck<MetricValueInput> = (repos, workspaceId, chunk) =>
  unknownMetricIssues(
    repos,
    workspaceId,
    chunk.map((c) => c.value),
    (position) => chunk[position]?.line ?? 0,
  );

/** Every problem in the file, or its number of data rows; writes nothing. */
async function checkFile<T>(
  repos: Repositories,
  options: ImportCsvOptions,
  format: ImportFormat<T>,
  totalBytes: number,
  workspaceCheck?: WorkspaceCheck<T>,
): Promise<{ rows: number }> {
  const problems = new ProblemList();
  const progress = throttleProgress(options.onProgress, "validating", totalBytes);
  let rows = 0;
  const seen = new Map<string, number>();
  let pending: { value: T; line: number }[] = [];
  const checkPending = async () => {
    if (!workspaceCheck || pending.length === 0) return;
    const chunk = pending;
    pending = [];
    for (const problem of await workspaceCheck(repos, options.workspace.id, chunk))
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
    if (workspaceCheck) {
      pending.push({ value: row.value, line: row.line });
      if (pending.length === MAX_BATCH) await checkPending();
    }
  }
  await checkPending();
  if (problems.count > 0)
    throw new InvalidCsvError(options.path, problems.sorted(), problems.count);
  return { rows };
}

// ---------------------------------------------------------------------------------------------
// Pass 2: staging, then applying

/** Stages the file as a new import run and returns its id; discards the run when that fails. */
async function stageFile(
  deps: ApplyImportDeps,
  options: ImportCsvOptions,
  rows: number,
  totalBytes: number,
): Promise<string> {
  const now = deps.now ?? (() => new Date());
  const { workspace, kind } = options;
  const id = await deps.repos.imports.start(workspace.id, kind, leaseFrom(now()));
  try {
    const progress = throttleProgress(options.onProgress, "writing", totalBytes);
    // Another process discards a run whose lease ran out (this one stalled): then stop here.
    const abandoned = () =>
      new AppError(
        "import_failed",
        `import ${id} was taken over while staging`,
        "The import stalled and was abandoned; nothing was written. Import it again.",
      );
    const stage = async (inputs: unknown[], first: number) => {
      if (!(await deps.repos.imports.stage(id, first, inputs, leaseFrom(now())))) throw abandoned();
    };
    if (kind === "leads") await stageRows(options.path, leadfitLeads, rows, progress, stage);
    else await stageRows(options.path, leadfitMetrics, rows, progress, stage);
    if (!(await deps.repos.imports.markApplying(id, rows, leaseFrom(now())))) throw abandoned();
  } catch (error) {
    await discardImport(deps.repos, id);
    throw error;
  }
  return id;
}

/**
 * The rows again, each as the API's JSON shape, staged IMPORT_CHUNK_ROWS at a time by `stage`.
 * When the file no longer is what pass 1 checked, it throws.
 */
async function stageRows<T>(
  path: string,
  format: ImportFormat<T>,
  expectedRows: number,
  progress: Progress,
  stage: (inputs: unknown[], first: number) => Promise<void>,
): Promise<void> {
  let rows = 0;
  let batch: unknown[] = [];
  const flush = async () => {
    await stage(batch, rows - batch.length);
    batch = [];
  };
  const syntaxErrors: InputProblem[] = [];
  for await (const row of readRows(path, format, progress, (p) => syntaxErrors.push(p))) {
    if (!row.ok) throw changedFile(path, row.problems);
    if (syntaxErrors.length > 0) throw changedFile(path, syntaxErrors);
    if (row.header) continue;
    rows++;
    batch.push(row.input);
    if (batch.length === IMPORT_CHUNK_ROWS) await flush();
  }
  if (syntaxErrors.length > 0 || rows !== expectedRows) throw changedFile(path, syntaxErrors);
  if (batch.length > 0) await flush();
}

function changedFile(path: string, problems: readonly InputProblem[]): AppError {
  const message = `${basename(path)} changed while it was being imported; nothing was written. Import it again.`;
  return new AppError("invalid_csv", `${path} changed between validation and writing`, message, {
    issues: problems,
  });
}

/** Applies a staged run a chunk at a time, reporting after each chunk. */
async function applyStaged(
  deps: ApplyImportDeps,
  options: ImportCsvOptions,
  staged: { id: string; rows: number; totalBytes: number },
): Promise<UpsertCounts> {
  const { id, rows, totalBytes } = staged;
  let applied = 0;
  try {
    return await applyImport(deps, {
      run: { id, workspaceId: options.workspace.id, kind: options.kind },
      onChunk: async (done) => {
        applied = done;
        await options.onProgress?.({
          phase: "applying",
          rows: done,
          bytes: rows > 0 ? Math.round((done / rows) * totalBytes) : totalBytes,
          totalBytes,
        });
      },
    });
  } catch (error) {
    // Staged whole, so it will land whole: importing the file again is not needed.
    throw new AppError(
      "import_interrupted",
      `import ${id} stopped after ${applied} of ${rows} rows: ${String(error)}`,
      `The import stopped after ${applied.toLocaleString("en-US")} of ${rows.toLocaleString("en-US")} rows. It is finished automatically within a few minutes (by the running app, or the next leadfit import); do not import the file again.`,
      { cause: error },
    );
  }
}
