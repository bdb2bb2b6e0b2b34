import { z } from "zod";
import { type Repositories, type RepositorySource, transaction } from "../db/repositories/index.ts";
import type { AgreedDefinition } from "../domain/agreed-definition.ts";
import { AppError } from "../domain/app-error.ts";
import { leaseFrom } from "../domain/import-lease.ts";
import {
  leadInputSchema,
  metricValueInputSchema,
  outcomeInputSchema,
  type UpsertCounts,
} from "../domain/ingest-schemas.ts";
import type { Workspace } from "../domain/workspace.ts";
import { newLeadCards, SUMMARY_THRESHOLD, storeLeads } from "./ingest-leads.ts";
import { storeMetrics } from "./ingest-metrics.ts";
import { storeOutcomes } from "./record-outcomes.ts";

// A staged import takes effect a chunk at a time. Each chunk is one short transaction that
// upserts its rows, deletes them from the stage and records the progress, so no transaction holds
// the database for long: on the embedded database, where one open transaction makes every other
// connection wait, a click waits for one chunk at most. Once every row is staged the import is
// bound to land whole: a crash between chunks leaves the run applying, and whichever leadfit
// process finds its lease run out finishes it (roll-forward). Meanwhile a reader sees the rows of
// the chunks applied so far, in file order; the one summary card comes with the last chunk.

/** Rows per chunk, staged or applied, on the embedded database: a few tens of milliseconds. */
export const IMPORT_CHUNK_ROWS = 100;
/**
 * On a PostgreSQL server a chunk holds only its own rows' locks and others are answered
 * meanwhile: fewer, larger statements, each still a fraction of a second.
 */
export const SERVER_IMPORT_CHUNK_ROWS = 1000;
/** A chunk is short, but on the embedded database it may wait its turn behind others' work. */
const CHUNK_TRANSACTION = { maxWait: 60_000, timeout: 60_000 };

export const IMPORT_KINDS = ["leads", "metrics", "outcomes"] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export interface ImportRun {
  id: string;
  workspaceId: string;
  kind: ImportKind;
}

export interface ApplyImportDeps {
  /** `embedded: false` (a PostgreSQL server) allows larger chunks; else the embedded size. */
  db: RepositorySource & { embedded?: boolean };
  repos: Repositories;
  now?: () => Date;
}

/** Rows per chunk for this database. */
export function importChunkRows(deps: Pick<ApplyImportDeps, "db">): number {
  return deps.db.embedded === false ? SERVER_IMPORT_CHUNK_ROWS : IMPORT_CHUNK_ROWS;
}

const progressSchema = z.object({
  created: z.number().int().nonnegative().default(0),
  updated: z.number().int().nonnegative().default(0),
  unchanged: z.number().int().nonnegative().default(0),
  /** The first new leads, enough to tell one card each from one summary. */
  newLeadIds: z.array(z.string()).default([]),
  /** Campaigns of chunks with new leads, at most two: the summary names one or none. */
  newLeadCampaigns: z.array(z.string().nullable()).default([]),
});
type Progress = z.infer<typeof progressSchema>;

const importKindSchema = z.enum(IMPORT_KINDS);

/** Applies a run that is `applying` to the end; returns its counts. */
export async function applyImport(
  deps: ApplyImportDeps,
  input: { run: ImportRun; onChunk?: (rowsApplied: number) => Promise<void> },
): Promise<UpsertCounts> {
  const now = deps.now ?? (() => new Date());
  const { run } = input;
  // Read before the chunks' transactions: on the embedded database another connection would wait.
  const workspace = await deps.repos.workspaces.get(run.workspaceId);
  if (!workspace)
    throw new AppError("not_found", `no workspace ${run.workspaceId}`, "No such workspace.");
  const definition =
    run.kind === "leads" ? await deps.repos.agreedDefinitions.active(workspace.id) : undefined;
  const chunkRows = importChunkRows(deps);
  for (;;) {
    const step = await transaction(
      deps.db,
      (repos) => applyChunk(repos, { run, workspace, definition, chunkRows, now: now() }),
      CHUNK_TRANSACTION,
    );
    if (step.done) return countsOf(step.progress);
    await input.onChunk?.(step.progress.created + step.progress.updated + step.progress.unchanged);
  }
}

async function applyChunk(
  repos: Repositories,
  input: {
    run: ImportRun;
    workspace: Workspace;
    definition: AgreedDefinition | undefined;
    chunkRows: number;
    now: Date;
  },
): Promise<{ done: boolean; progress: Progress }> {
  const { run, workspace, now } = input;
  const { imports } = repos;
  const locked = await imports.lock(run.id);
  if (!locked) throw new AppError("not_found", `no import ${run.id}`, "The import is gone.");
  const progress = progressSchema.parse(locked.progress);
  if (locked.state === "done") return { done: true, progress };
  const rows = await imports.takeRows(run.id, input.chunkRows);
  if (rows.length === 0) {
    // One rule for the API and imports: more than SUMMARY_THRESHOLD new leads → one summary.
    const [campaign, other] = progress.newLeadCampaigns;
    await repos.outbox.enqueue(
      workspace.id,
      newLeadCards({
        workspace,
        leadIds: progress.newLeadIds,
        campaignKey: other === undefined ? (campaign ?? null) : null,
        count: progress.created,
      }),
    );
    await imports.finish(run.id, now);
    return { done: true, progress };
  }
  const counts =
    run.kind === "metrics"
      ? await storeMetrics(
          { repos },
          {
            workspaceId: workspace.id,
            values: rows.map((row) => parseStaged(metricValueInputSchema, row.input)),
          },
        )
      : run.kind === "outcomes"
        ? await storeOutcomes(
            { repos },
            {
              workspaceId: workspace.id,
              outcomes: rows.map((row) => parseStaged(outcomeInputSchema, row.input)),
            },
          )
        : await storeLeadChunk(repos, {
            ...input,
            leads: rows.map((row) => parseStaged(leadInputSchema, row.input)),
            progress,
          });
  const next = {
    ...progress,
    created: progress.created + counts.created,
    updated: progress.updated + counts.updated,
    unchanged: progress.unchanged + counts.unchanged,
  };
  await imports.chunkApplied(run.id, next, leaseFrom(now));
  return { done: false, progress: next };
}

/** Stores a chunk of leads; notes its new leads in `progress` for the summary at the end. */
async function storeLeadChunk(
  repos: Repositories,
  input: {
    workspace: Workspace;
    definition: AgreedDefinition | undefined;
    leads: z.infer<typeof leadInputSchema>[];
    progress: Progress;
    now: Date;
  },
): Promise<UpsertCounts> {
  const { progress, leads } = input;
  const result = await storeLeads(
    { repos },
    { ...input, receivedAt: input.now, queueCards: false },
  );
  progress.newLeadIds = [...progress.newLeadIds, ...result.createdIds].slice(
    0,
    SUMMARY_THRESHOLD + 1,
  );
  // The campaigns of chunks with new leads: exact when the whole chunk is new, a superset
  // otherwise (then the summary names no campaign rather than a wrong one).
  if (result.created > 0)
    for (const lead of leads)
      if (
        progress.newLeadCampaigns.length < 2 &&
        !progress.newLeadCampaigns.includes(lead.campaign)
      )
        progress.newLeadCampaigns.push(lead.campaign);
  return result;
}

function parseStaged<T>(schema: z.ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  // Staged rows passed this schema before they were staged: this is a bug, not bad input.
  throw new AppError(
    "import_failed",
    `a staged import row no longer parses: ${parsed.error.message}`,
    "The import could not be applied; it has been logged.",
  );
}

function countsOf(progress: Progress): UpsertCounts {
  return { created: progress.created, updated: progress.updated, unchanged: progress.unchanged };
}

/**
 * Finishes the imports whose importer stopped (its lease ran out): one still staging did not
 * happen and is discarded; one applying is applied to the end. Returns how many it handled.
 */
export async function finishAbandonedImports(deps: ApplyImportDeps): Promise<number> {
  const now = deps.now ?? (() => new Date());
  let handled = 0;
  for (;;) {
    const claimed = await deps.repos.imports.claimAbandoned(now(), leaseFrom(now()));
    if (!claimed) return handled;
    handled++;
    if (claimed.state === "staging") await discardImport(deps, { importId: claimed.id });
    else
      await applyImport(deps, {
        run: { ...claimed, kind: importKindSchema.parse(claimed.kind) },
      });
  }
}

/** Removes an import that did not happen, a chunk of staged rows at a time. */
export async function discardImport(
  deps: ApplyImportDeps,
  input: { importId: string },
): Promise<void> {
  const chunkRows = importChunkRows(deps);
  let gone = false;
  while (!gone) gone = await deps.repos.imports.discardSome(input.importId, chunkRows);
}
