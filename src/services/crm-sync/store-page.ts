import type { CrmConfig } from "../../config.ts";
import {
  type Repositories,
  type RepositorySource,
  transaction,
} from "../../db/repositories/index.ts";
import type { OutcomeRow } from "../../db/repositories/outcome-repository.ts";
import type { AgreedDefinition } from "../../domain/agreed-definition.ts";
import { AppError, isAppError } from "../../domain/app-error.ts";
import type { CrmCursors, CrmKind, CrmSyncCounts } from "../../domain/crm-connection.ts";
import type { CrmOpportunity } from "../../domain/crm-outcomes.ts";
import type { LeadInput } from "../../domain/ingest-schemas.ts";
import type { Workspace } from "../../domain/workspace.ts";
import { type CrmMapping, crmRecordToLead } from "../../imports/crm-mapping.ts";
import type { CrmClientTuning } from "../../outbound/crm/clients.ts";
import type { SlackGateway } from "../../outbound/slack/gateway.ts";
import { storeLeads } from "../ingest-leads.ts";
import { matchOwners } from "../match-owners.ts";

export interface CrmSyncReport {
  kind: "synced" | "busy";
  counts: CrmSyncCounts;
  /** Leads of records deleted in the CRM that Leadfit kept for their verdicts or outcomes. */
  leadsKept: number;
  /** Records Leadfit could not take, with the first reason. */
  skipped: number;
  firstSkipReason: string | null;
  error: string | null;
}

export interface SyncDeps {
  db: RepositorySource;
  repos: Repositories;
  config: { crm: CrmConfig };
  now: () => Date;
  tuning?: CrmClientTuning;
  /** The workspace's Slack, to match CRM owners to Slack users by email; absent in a local run. */
  slack?: { gateway(workspaceId: string): Promise<Pick<SlackGateway, "userIdByEmail">> };
}

/** One sync of one workspace, as every object's reader shares it. */
export interface CrmSyncRun {
  workspace: Workspace;
  definition: AgreedDefinition | undefined;
  /** The CRM the leads come from: their verdicts are written back there. */
  crm: CrmKind;
  /** How its records become leads: the connection's own mapping, else the CRM's preset. */
  mapping: CrmMapping;
  /** The cursors as the sync found them; an object without one is backfilled. */
  cursors: CrmCursors;
  backfillFrom: Date;
  startedAt: Date;
  report: CrmSyncReport;
  /** Owner emails already matched in this sync → their Slack user, or undefined when none. */
  slackUsers: Map<string, string | undefined>;
}

/** What one page of a CRM object changes in Leadfit. */
export interface PageChanges {
  leads?: LeadInput[];
  /** Records merged into another: the merged record's id and the surviving one's. */
  merged?: { from: string; into: string }[];
  /** Records deleted in the CRM (not merged). */
  deleted?: string[];
  /** Opportunities (deals) read, with the outcomes each stands for now. */
  opportunities?: CrmOpportunity[];
  /** Opportunities deleted in the CRM: their outcomes go with them. */
  deletedOpportunities?: string[];
}

/**
 * Where a page comes from: the sync's read of `object`, which moves its cursor to `cursor`, or the
 * objects a HubSpot webhook named, fetched by id (no cursor moves; their new leads are new, so
 * each gets a card).
 */
export type PageSource = { object: string; cursor: Date } | "webhook";

/**
 * Stores one page's changes and moves its object's cursor, all or none: merges first (so a
 * merged lead's verdicts are on the survivor before it is stored), then leads, deletions and
 * outcomes. A backfill of leads (no cursor yet) queues no card per lead: they wait on App Home.
 * A record erased on request is left out, checked in the same transaction after the erasures in
 * flight have committed, so a page read before an erasure never brings its person back.
 */
export async function storePage(
  deps: Pick<SyncDeps, "db" | "now">,
  { run, page, source }: { run: CrmSyncRun; page: PageChanges; source: PageSource },
): Promise<void> {
  const { workspace } = run;
  const { counts, kept, erased } = await transaction(
    deps.db,
    async (repos) => {
      await repos.leads.takeErasureTurn(workspace.id);
      let removed = 0;
      for (const move of page.merged ?? []) {
        if ((await repos.leads.mergeInto(workspace.id, move)) === "merged") removed += 1;
      }
      const read = page.leads ?? [];
      const erasedIds = await repos.leads.erasedAmong(
        workspace.id,
        run.crm,
        read.map((l) => l.externalId),
      );
      const leads = read.filter((l) => !erasedIds.has(l.externalId));
      const ingested =
        leads.length > 0
          ? await storeLeads(
              { repos },
              {
                workspace,
                definition: run.definition,
                leads,
                receivedAt: deps.now(),
                queueCards: source === "webhook" || run.cursors[source.object] !== undefined,
                crm: run.crm,
              },
            )
          : { created: 0, updated: 0 };
      await repos.leads.markFromCrm(
        workspace.id,
        run.crm,
        leads.map((l) => l.externalId),
      );
      let kept = 0;
      for (const externalId of page.deleted ?? []) {
        const fate = await repos.leads.deleteUnlessJudged(workspace.id, externalId);
        if (fate === "deleted") removed += 1;
        if (fate === "kept") kept += 1;
      }
      const outcomes = await storeOpportunities(repos, workspace.id, page);
      const moved = {
        leadsCreated: ingested.created,
        leadsUpdated: ingested.updated,
        leadsRemoved: removed,
        outcomes,
      };
      await repos.crmConnections.recordPage(workspace.id, {
        ...(source === "webhook"
          ? {}
          : { cursor: { object: source.object, modifiedSince: source.cursor } }),
        counts: moved,
      });
      return { counts: moved, kept, erased: erasedIds.size };
    },
    { timeout: 60_000 },
  );
  if (erased > 0) {
    run.report.skipped += erased;
    run.report.firstSkipReason ??= "a record whose lead was erased on request";
  }
  const total = run.report.counts;
  total.leadsCreated += counts.leadsCreated;
  total.leadsUpdated += counts.leadsUpdated;
  total.leadsRemoved += counts.leadsRemoved;
  total.outcomes += counts.outcomes;
  run.report.leadsKept += kept;
}

/**
 * Each opportunity's outcomes go to the earliest created of its candidate leads that Leadfit
 * has; one with none (its contact never became a lead) keeps no outcome. Returns how many
 * outcomes were created, changed or removed.
 */
async function storeOpportunities(
  repos: Repositories,
  workspaceId: string,
  page: PageChanges,
): Promise<number> {
  const opportunities = page.opportunities ?? [];
  const deleted = page.deletedOpportunities ?? [];
  if (opportunities.length === 0 && deleted.length === 0) return 0;
  // Only opportunities with outcomes need their lead; the others only clear what was stored.
  const candidates = opportunities
    .filter((o) => o.outcomes.length > 0)
    .flatMap((o) => o.leadCandidates);
  const leads =
    candidates.length > 0
      ? await repos.leads.idsAndCreatedAt(workspaceId, candidates)
      : new Map<string, { id: string; createdAt: Date }>();
  const rows: OutcomeRow[] = [];
  for (const opportunity of opportunities) {
    const [lead] = opportunity.leadCandidates
      .flatMap((c) => leads.get(c) ?? [])
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
    if (lead === undefined) continue;
    for (const outcome of opportunity.outcomes) {
      rows.push({ externalId: opportunity.externalId, leadId: lead.id, ...outcome });
    }
  }
  const stored = await repos.outcomes.replaceForOpportunities(
    workspaceId,
    [...opportunities.map((o) => o.externalId), ...deleted],
    rows,
  );
  return stored.created + stored.updated + stored.removed;
}

/**
 * CRM records as leads, through the run's mapping; those Leadfit cannot take are counted, the
 * first with its reason.
 */
export function mapRecords({
  run,
  records,
  owners,
}: {
  run: CrmSyncRun;
  records: readonly { id: string; values: Record<string, string | number | boolean | null> }[];
  /** Owner id in the CRM → the lead's owner (a Slack user id, else the owner's email). */
  owners: ReadonlyMap<string, string>;
}): LeadInput[] {
  const leads: LeadInput[] = [];
  for (const record of records) {
    const mapped = crmRecordToLead(run.mapping, record, owners);
    if ("lead" in mapped) leads.push(mapped.lead);
    else {
      run.report.skipped += 1;
      run.report.firstSkipReason ??= `${record.id}: ${mapped.skipped}`;
    }
  }
  return leads;
}

/**
 * CRM owners (owner id → email) as the leads' owners: the Slack user with that email when the
 * workspace has one (each email looked up once a sync), else the email itself.
 */
export async function ownersAsSlackUsers(
  deps: Pick<SyncDeps, "slack">,
  { run, ownerEmails }: { run: CrmSyncRun; ownerEmails: ReadonlyMap<string, string> },
): Promise<Map<string, string>> {
  const fresh = [...new Set(ownerEmails.values())].filter((e) => !run.slackUsers.has(e));
  if (fresh.length > 0) {
    const matched = await matchOwners({ slack: await slackOf(deps, run) }, { owners: fresh }).catch(
      (error: unknown) => {
        throw new AppError(
          "slack_lookup_failed",
          `owner lookup by email failed: ${String(error)}`,
          "Slack did not answer the lookup of the CRM owners' emails; the sync tries again next round.",
          { cause: error },
        );
      },
    );
    for (const email of fresh) run.slackUsers.set(email, matched.users.get(email));
  }
  return new Map([...ownerEmails].map(([id, email]) => [id, run.slackUsers.get(email) ?? email]));
}

async function slackOf(
  deps: Pick<SyncDeps, "slack">,
  run: CrmSyncRun,
): Promise<Pick<SlackGateway, "userIdByEmail"> | undefined> {
  try {
    return await deps.slack?.gateway(run.workspace.id);
  } catch (error) {
    // A workspace without Slack (a local one) keeps its owners' emails.
    if (isAppError(error) && error.code === "slack_not_installed") return undefined;
    throw error;
  }
}
