import { stat } from "node:fs/promises";
import { basename } from "node:path";
import { checkLead } from "../domain/agreed-definition.ts";
import { AppError, type InputProblem } from "../domain/app-error.ts";
import { leaseFrom } from "../domain/import-lease.ts";
import {
  type LeadInput,
  MAX_BATCH,
  type MetricValueInput,
  type OutcomeInput,
  type UpsertCounts,
} from "../domain/ingest-schemas.ts";
import { isSlackUserId } from "../domain/slack-user-id.ts";
import { unknownLeadIssues } from "../domain/unknown-leads.ts";
import { formatIsoWeek, isoWeekOf, isoWeekOfDate, isValidTimeZone } from "../domain/week.ts";
import { type Workspace, workspaceTimezone } from "../domain/workspace.ts";
import { formatNamed, formatsOf } from "../imports/formats/index.ts";
import type { RowContext, SkipReason } from "../imports/mapped-rows.ts";
import { type ImportMapping, readMappingFile } from "../imports/mapping.ts";
import { ProblemList } from "../imports/problem-list.ts";
import { type ImportProgress, throttleProgress } from "../imports/progress.ts";
import { type ImportValue, readRows } from "../imports/read-rows.ts";
import type { SlackGateway } from "../outbound/slack/gateway.ts";
import {
  type ApplyImportDeps,
  applyImport,
  discardImport,
  finishAbandonedImports,
  IMPORT_KINDS,
  type ImportKind,
  importChunkRows,
} from "./apply-import.ts";
import { campaignKeyFinder } from "./campaign-aliases.ts";
import { unknownMetricIssues } from "./ingest-metrics.ts";
import { matchOwners } from "./match-owners.ts";
import { defineMetrics } from "./metric-catalogue.ts";

// Import of a file of leads, metric values or outcomes (`leadfit import`), in any built-in format
// or a user's mapping. The file is read once: a dry run writes nothing and returns the preview a
// person reads before trusting it; an import stages leads and outcomes as they are read, in short
// statements (metric values, added up per metric, campaign and day, once the whole file is read),
// discards them if any problem turns up, and applies them a chunk at a time (apply-import.ts): no
// long transaction stops the app from answering meanwhile, and the import still lands whole or
// not at all.

export { IMPORT_KINDS, type ImportKind, type ImportProgress };

export interface ImportCsvDeps extends ApplyImportDeps {
  /** Where lead owners written as emails are looked up as Slack users (absent: left as written). */
  slack?: {
    gatewayIfInstalled(
      workspaceId: string,
    ): Promise<Pick<SlackGateway, "userIdByEmail"> | undefined>;
  };
}

export interface ImportCsvOptions {
  workspace: Workspace;
  kind: ImportKind;
  path: string;
  dryRun?: boolean;
  /** A built-in format's name; absent: recognised from the header. */
  format?: string;
  /** A user's mapping file (`--mapping`, JSON), instead of a built-in format. */
  mappingFile?: string;
  /** The zone of times written without one (else the mapping's, else the workspace's). */
  timeZone?: string;
  /** Campaign names no alias maps become campaigns of their own (else the import is refused). */
  createCampaigns?: boolean;
  /**
   * Called at most every PROGRESS_INTERVAL_MS, and once at the end of each phase; while applying,
   * after every chunk, between the chunks' transactions, and awaited.
   */
  onProgress?: (progress: ImportProgress) => unknown;
}

/** What pass 1 found: the dry run shows it, and an import refused for problems carries it. */
export interface ImportPreview {
  format: { name: string; label: string; recognised: boolean };
  timeZone: string;
  /** Each Leadfit column and the header it was read from. */
  columns: { column: string; header: string }[];
  /** Headers neither imported nor known to the format. */
  unused: string[];
  /** Headers the format knows and leaves out (rates, ids, statuses). */
  notImported: string[];
  /** Data rows read (skipped ones not included). */
  rows: number;
  skipped: { reason: SkipReason; rows: number; firstLine: number; example: string }[];
  /** The first rows as they would be stored. */
  sample: { line: number; value: ImportValue }[];
  /** Leads, metric values or outcomes that would be stored. */
  values: number;
  weeks: { week: string; values: number }[];
  unmappedCampaigns: { name: string; rows: number; firstLine: number }[];
  /** Whether unmapped campaign names become campaigns (--create-campaigns) or refuse the import. */
  createCampaigns: boolean;
  unmatchedOwners: { name: string; rows: number }[];
  /** Leads: how many would meet the active agreed definition, and the rules failed most. */
  definition?: {
    version: number;
    met: number;
    total: number;
    failed: { rule: string; leads: number }[];
  };
  /** Metrics the format brings that the catalogue lacks: defined when imported. */
  defines: string[];
}

export interface ImportCsvResult {
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  dryRun: boolean;
  preview: ImportPreview;
}

/** `invalid_csv`: every problem found (the first ones listed), each with its line and column. */
export class InvalidCsvError extends AppError {
  constructor(
    file: string,
    issues: readonly InputProblem[],
    /** All problems, including those not listed. */
    readonly problemCount: number,
    /** What was read before the problems stopped the import (none when the header was not found). */
    readonly preview?: ImportPreview,
  ) {
    const what = `${basename(file)} has ${problemCount === 1 ? "1 problem" : `${problemCount.toLocaleString("en-US")} problems`}; nothing was written.`;
    super("invalid_csv", `${file}: ${what}`, what, { issues });
  }
}

/** The file as given, or a clear error when it is missing or not a file. Returns its size. */
export async function csvFileSize({ path }: { path: string }): Promise<number> {
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

/** Rows shown by the preview. */
const SAMPLE_ROWS = 3;
/** Rules listed as failed most. */
const TOP_FAILED_RULES = 3;

/**
 * Checks the whole file (dry run), or checks it while staging it and then applies it. An import
 * that fails while staging is discarded; once staged, it lands whole, finished by another leadfit
 * process if this one stops midway.
 */
export async function importCsv(
  deps: ImportCsvDeps,
  input: ImportCsvOptions,
): Promise<ImportCsvResult> {
  const totalBytes = await csvFileSize({ path: input.path });
  if (input.dryRun) {
    const { preview } = await checkFile(deps, input, totalBytes);
    return { rows: preview.rows, created: 0, updated: 0, unchanged: 0, preview, dryRun: true };
  }
  // An import a crashed process left half-applied lands before this one.
  await finishAbandonedImports(deps);
  const { id, preview } = await stageFile(deps, input, totalBytes);
  const counts = await applyStaged(deps, input, { id, rows: preview.values, totalBytes });
  return { rows: preview.rows, ...counts, preview, dryRun: false };
}

// ---------------------------------------------------------------------------------------------
// Pass 1: the check

interface Checked {
  mapping: ImportMapping;
  context: RowContext;
  preview: ImportPreview;
  /** Metric values added up per metric, campaign, period and source, to be staged as they are. */
  metricValues: Map<string, { input: MetricValueInput; line: number }>;
}

/** The formats the file may be in: the one named, the user's mapping, or every built-in one. */
async function candidatesOf(options: ImportCsvOptions): Promise<ImportMapping[]> {
  if (options.mappingFile) {
    const mapping = await readMappingFile(options.mappingFile);
    if (mapping.kind !== options.kind) {
      const message = `The mapping is for ${mapping.kind}: leadfit import ${mapping.kind} <file> --mapping <file>`;
      throw new AppError("usage", message, message);
    }
    return [mapping];
  }
  if (options.format) return [formatNamed(options.kind, options.format)];
  return formatsOf(options.kind);
}

function timeZoneOf(options: ImportCsvOptions, mapping: ImportMapping | undefined): string {
  const zone = options.timeZone ?? mapping?.dates.timezone ?? workspaceTimezone(options.workspace);
  if (!isValidTimeZone(zone)) {
    const message = `Unknown timezone "${zone}": an IANA zone such as Europe/Berlin or America/New_York`;
    throw new AppError("usage", message, message);
  }
  return zone;
}

/**
 * An owner → its Slack user, through matchOwners, once per distinct owner; Slack is reached only
 * when an owner needs looking up.
 */
function ownerLookup(
  deps: Pick<ImportCsvDeps, "slack">,
  workspaceId: string,
): (owner: string) => Promise<string | undefined> {
  const found = new Map<string, string | undefined>();
  let slack: Promise<Pick<SlackGateway, "userIdByEmail"> | undefined> | undefined;
  return async (owner) => {
    // Emails match whatever their case: one lookup for Alice@… and alice@….
    const key = owner.includes("@") ? owner.toLowerCase() : owner;
    if (found.has(key)) return found.get(key);
    slack ??= deps.slack?.gatewayIfInstalled(workspaceId) ?? Promise.resolve(undefined);
    const { users } = await matchOwners({ slack: await slack }, { owners: [owner] });
    found.set(key, users.get(owner));
    return users.get(owner);
  };
}

/**
 * Every problem in the file and what it would import. Writes nothing, except leads and outcomes
 * handed to `stager` while no problem is found (the caller discards them when one is).
 */
async function checkFile(
  deps: Pick<ImportCsvDeps, "repos" | "slack">,
  options: ImportCsvOptions,
  totalBytes: number,
  stager?: Stager,
): Promise<Checked> {
  const { repos } = deps;
  const slackUserOf = ownerLookup(deps, options.workspace.id);
  const candidates = await candidatesOf(options);
  timeZoneOf(options, undefined); // an unknown zone is refused before reading
  const problems = new ProblemList();
  const progress = throttleProgress(
    options.onProgress,
    stager ? "writing" : "validating",
    totalBytes,
  );
  const unmapped = new Map<string, { rows: number; firstLine: number }>();
  const owners = new Map<string, { rows: number }>();
  const context: RowContext = {
    timeZone: timeZoneOf(options, undefined),
    campaignKey: await campaignKeyFinder({ repos }, { workspaceId: options.workspace.id }),
    ownerUser: (owner) => (isSlackUserId(owner) ? owner : undefined),
    createCampaigns: options.createCampaigns ?? false,
    unmatched: (what, name, line) => {
      if (what === "campaign") {
        const seen = unmapped.get(name);
        unmapped.set(name, { rows: (seen?.rows ?? 0) + 1, firstLine: seen?.firstLine ?? line });
      } else owners.set(name, { rows: (owners.get(name)?.rows ?? 0) + 1 });
    },
  };
  const definition =
    options.kind === "leads"
      ? await repos.agreedDefinitions.active(options.workspace.id)
      : undefined;
  const known = new Set((await repos.metrics.catalogue(options.workspace.id)).map((d) => d.key));

  let mapping: ImportMapping | undefined;
  let preview: ImportPreview | undefined;
  let campaignHeader = "campaign";
  const skipped = new Map<SkipReason, ImportPreview["skipped"][number]>();
  const weeks = new Map<string, number>();
  const failed = new Map<string, number>();
  const seenLeads = new Map<string, number>();
  const metricValues: Checked["metricValues"] = new Map();
  let pending: { value: MetricValueInput; line: number }[] = [];
  const checkPending = async () => {
    if (pending.length === 0) return;
    const chunk = pending.filter((p) => !known.has(p.value.metric));
    pending = [];
    if (chunk.length === 0) return;
    for (const problem of await unknownMetricIssues(
      { repos },
      {
        workspaceId: options.workspace.id,
        values: chunk.map((c) => c.value),
        indexOf: (position) => chunk[position]?.line ?? 0,
      },
    ))
      problems.add(problem);
  };

  const matchedOwners = new Set<string>();
  const seenOutcomes = new Map<string, number>();
  let outcomeLeads: { lead: string; line: number }[] = [];
  // A file naming leads the workspace does not have is refused whole, each such row named.
  const checkOutcomeLeads = async () => {
    const chunk = outcomeLeads;
    outcomeLeads = [];
    if (chunk.length === 0) return;
    const ids = await repos.leads.idsByExternalId(
      options.workspace.id,
      chunk.map((c) => c.lead),
    );
    for (const problem of unknownLeadIssues({
      outcomes: chunk,
      leadIds: ids,
      indexOf: (position) => chunk[position]?.line ?? 0,
    }))
      problems.add(problem);
  };

  const events = readRows(options.path, candidates, context, progress, (p) => problems.add(p));
  for await (const event of events) {
    if (event.kind === "fatal") {
      for (const problem of event.problems) problems.add(problem);
      break;
    }
    if (event.kind === "header") {
      mapping = event.mapping;
      context.timeZone = timeZoneOf(options, mapping);
      const defines = mapping.define.map((d) => d.key).filter((key) => !known.has(key));
      for (const key of defines) known.add(key);
      campaignHeader = event.mapper.columnOf(["campaign"]);
      preview = {
        format: {
          name: mapping.name,
          label: mapping.label,
          recognised: !options.format && !options.mappingFile,
        },
        timeZone: context.timeZone,
        columns: event.header.bound
          .filter((b) => !b.target.startsWith("metric:") || mapping?.metrics[b.target.slice(7)])
          .map((b) => ({
            column: b.target.startsWith("metric:")
              ? `${mapping?.metrics[b.target.slice(7)]}`
              : b.target,
            header: b.headers.join(" + "),
          })),
        unused: mapping.otherColumns === "unused" ? event.header.unused : [],
        notImported: event.header.bound
          .filter((b) => b.target.startsWith("metric:") && !mapping?.metrics[b.target.slice(7)])
          .map((b) => b.headers.join(" + ")),
        rows: 0,
        skipped: [],
        sample: [],
        values: 0,
        weeks: [],
        unmappedCampaigns: [],
        createCampaigns: context.createCampaigns,
        unmatchedOwners: [],
        defines,
      };
      if (mapping.otherColumns === "fields")
        preview.columns.push(
          ...event.header.unused.map((header) => ({
            column: `fields.${header.toLowerCase()}`,
            header,
          })),
        );
      continue;
    }
    if (!preview || !mapping) continue;
    if (event.kind === "skipped") {
      const seen = skipped.get(event.reason);
      if (seen) seen.rows++;
      else
        skipped.set(event.reason, {
          reason: event.reason,
          rows: 1,
          firstLine: event.line,
          example: event.text,
        });
      continue;
    }
    preview.rows++;
    if (event.kind === "invalid") {
      for (const problem of event.problems) problems.add(problem);
      continue;
    }
    if (mapping.kind === "leads")
      for (const [position, value] of event.values.entries()) {
        const owner = "email" in value ? value.owner : null;
        if (owner === null || isSlackUserId(owner)) continue;
        const user = await slackUserOf(owner);
        if (user === undefined) continue;
        matchedOwners.add(owner);
        if ("email" in value) value.owner = user;
        const input = event.inputs[position];
        if (input && typeof input === "object") (input as { owner: string }).owner = user;
      }
    if (stager && mapping.kind !== "metrics" && problems.count === 0)
      for (const input of event.inputs) await stager.add(input);
    for (const value of event.values) {
      if (preview.sample.length < SAMPLE_ROWS) preview.sample.push({ line: event.line, value });
      if ("lead" in value) {
        await noteOutcome(value, event.line);
        continue;
      }
      if ("email" in value) {
        noteLead(value, event.line);
        continue;
      }
      const key = [
        value.metric,
        value.campaign ?? "",
        value.period.granularity,
        value.period.periodStart,
        value.source,
      ].join("\u0000");
      const first = metricValues.get(key);
      if (!first) {
        metricValues.set(key, { input: { ...value }, line: event.line });
        pending.push({ value, line: event.line });
        if (pending.length === MAX_BATCH) await checkPending();
      } else if (mapping.repeated === "sum")
        // Money in cents and counts add up exactly; binary fractions would not (310.2 + 1234.56).
        first.input.value = Math.round((first.input.value + value.value) * 1e6) / 1e6;
      else
        problems.add({
          index: event.line,
          field: "metric",
          message: `The same metric, campaign, period and source as line ${first.line}; keep one value`,
        });
    }
  }
  await checkPending();
  await checkOutcomeLeads();

  async function noteOutcome(outcome: OutcomeInput, line: number) {
    if (!preview) return;
    const key = `${outcome.externalId}\u0000${outcome.type}`;
    const first = seenOutcomes.get(key);
    if (first !== undefined) {
      problems.add({
        index: line,
        field: "type",
        message: `${outcome.externalId} ${outcome.type} already appears on line ${first}; list each outcome once`,
      });
      return;
    }
    seenOutcomes.set(key, line);
    preview.values++;
    const week = formatIsoWeek(isoWeekOf(outcome.at, workspaceTimezone(options.workspace)));
    weeks.set(week, (weeks.get(week) ?? 0) + 1);
    outcomeLeads.push({ lead: outcome.lead, line });
    if (outcomeLeads.length === MAX_BATCH) await checkOutcomeLeads();
  }

  function noteLead(lead: LeadInput, line: number) {
    if (!preview) return;
    const first = seenLeads.get(lead.externalId);
    if (first !== undefined) {
      problems.add({
        index: line,
        field: "external_id",
        message: `${lead.externalId} already appears on line ${first}; list each lead once`,
      });
      return;
    }
    seenLeads.set(lead.externalId, line);
    preview.values++;
    if (lead.createdAt) {
      const week = formatIsoWeek(isoWeekOf(lead.createdAt, workspaceTimezone(options.workspace)));
      weeks.set(week, (weeks.get(week) ?? 0) + 1);
    }
    const check = checkLead(definition, lead);
    if (check.status === "met" && preview.definition) preview.definition.met++;
    if (definition && !preview.definition)
      preview.definition = {
        version: definition.version,
        met: check.status === "met" ? 1 : 0,
        total: 0,
        failed: [],
      };
    if (preview.definition) preview.definition.total++;
    for (const failure of check.failures)
      failed.set(failure.text, (failed.get(failure.text) ?? 0) + 1);
  }

  if (!preview || !mapping)
    throw new InvalidCsvError(options.path, problems.sorted(), Math.max(problems.count, 1));
  if (mapping.kind === "metrics") {
    preview.values = metricValues.size;
    for (const { input } of metricValues.values()) {
      const week = formatIsoWeek(isoWeekOfDate(input.period.periodStart));
      weeks.set(week, (weeks.get(week) ?? 0) + 1);
    }
  }
  preview.skipped = [...skipped.values()];
  preview.weeks = [...weeks]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([week, values]) => ({ week, values }));
  preview.unmappedCampaigns = [...unmapped].map(([name, seen]) => ({ name, ...seen }));
  preview.unmatchedOwners = [...owners]
    .filter(([name]) => !matchedOwners.has(name))
    .map(([name, seen]) => ({ name, ...seen }));
  if (preview.definition)
    preview.definition.failed = [...failed]
      .sort((a, b) => b[1] - a[1])
      .slice(0, TOP_FAILED_RULES)
      .map(([rule, leads]) => ({ rule, leads }));
  if (!context.createCampaigns)
    for (const { name, rows, firstLine } of preview.unmappedCampaigns)
      problems.add({
        index: firstLine,
        field: campaignHeader,
        message: `"${name}" (${rows === 1 ? "1 row" : `${rows} rows`}) is no campaign: map it with leadfit campaign alias add "${name}" <campaign key>, or import with --create-campaigns`,
      });
  if (problems.count > 0)
    throw new InvalidCsvError(options.path, problems.sorted(), problems.count, preview);
  return { mapping, context, preview, metricValues };
}
// ---------------------------------------------------------------------------------------------
// Staging, then applying

/**
 * Stages rows as a run's, a chunk per statement; the next chunk is read while one is written.
 * A failed statement surfaces at the next `add` or at `end`.
 */
class Stager {
  private batch: unknown[] = [];
  private staged = 0;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly stage: (inputs: unknown[], first: number) => Promise<void>,
    private readonly chunkRows: number,
  ) {}

  async add(input: unknown): Promise<void> {
    this.batch.push(input);
    if (this.batch.length >= this.chunkRows) await this.flush();
  }

  /** Stages what is left; returns how many rows were staged. */
  async end(): Promise<number> {
    if (this.batch.length > 0) await this.flush();
    await this.writing;
    return this.staged;
  }

  /** Waits for the statement under way, whatever its end: before the run is discarded. */
  async settle(): Promise<void> {
    await this.writing.catch(() => undefined);
  }

  private async flush(): Promise<void> {
    await this.writing;
    const batch = this.batch;
    const first = this.staged;
    this.batch = [];
    this.staged += batch.length;
    this.writing = this.stage(batch, first);
    // Awaited by the next flush, end or settle; until then it must not count as unhandled.
    this.writing.catch(() => undefined);
  }
}

/**
 * Checks the file while staging it as a new import run (leads as they are read, metric values
 * once added up) and returns the run's id; discards the run when the file has a problem or
 * staging fails.
 */
async function stageFile(
  deps: ImportCsvDeps,
  options: ImportCsvOptions,
  totalBytes: number,
): Promise<{ id: string; preview: ImportPreview }> {
  const now = deps.now ?? (() => new Date());
  const { workspace, kind } = options;
  const id = await deps.repos.imports.start(workspace.id, kind, leaseFrom(now()));
  // Another process discards a run whose lease ran out (this one stalled): then stop here.
  const abandoned = () =>
    new AppError(
      "import_failed",
      `import ${id} was taken over while staging`,
      "The import stalled and was abandoned; nothing was written. Import it again.",
    );
  const stager = new Stager(async (inputs, first) => {
    if (!(await deps.repos.imports.stage(id, first, inputs, leaseFrom(now())))) throw abandoned();
  }, importChunkRows(deps));
  try {
    const checked = await checkFile(deps, options, totalBytes, stager);
    const { mapping, preview } = checked;
    for (const { input } of checked.metricValues.values()) await stager.add(stagedMetric(input));
    const staged = await stager.end();
    const definitions = mapping.define.filter((d) => preview.defines.includes(d.key));
    if (definitions.length > 0)
      await defineMetrics(deps, { workspaceId: workspace.id, definitions });
    if (!(await deps.repos.imports.markApplying(id, staged, leaseFrom(now())))) throw abandoned();
    return { id, preview };
  } catch (error) {
    await stager.settle();
    await discardImport(deps, { importId: id });
    throw error;
  }
}

/** A metric value as the API's JSON shape, which the stage keeps. */
function stagedMetric(value: MetricValueInput): unknown {
  const { period } = value;
  const text =
    period.granularity === "week"
      ? formatIsoWeek(isoWeekOfDate(period.periodStart))
      : period.periodStart;
  return { ...value, period: text };
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
