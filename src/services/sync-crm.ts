import type { CrmConfig } from "../config.ts";
import { type Repositories, type RepositorySource, transaction } from "../db/repositories/index.ts";
import type { AgreedDefinition } from "../domain/agreed-definition.ts";
import { AppError, isAppError } from "../domain/app-error.ts";
import {
  type CrmCredentials,
  type CrmSyncCounts,
  openCredentials,
  sealCredentials,
} from "../domain/crm-connection.ts";
import {
  type CrmLeadMapping,
  crmRecordToLead,
  HUBSPOT_CONTACT_MAPPING,
  mappedProperties,
  SALESFORCE_LEAD_MAPPING,
} from "../domain/crm-mapping.ts";
import type { LeadInput } from "../domain/ingest-schemas.ts";
import type { Workspace } from "../domain/workspace.ts";
import { type CrmClientTuning, crmClientFor } from "../outbound/crm/clients.ts";
import type { HubSpotCrm } from "../outbound/crm/hubspot.ts";
import type { SalesforceCrm, SalesforceRecord } from "../outbound/crm/salesforce.ts";
import { requireEncryptionKey } from "./connect-crm.ts";
import { storeLeads } from "./ingest-leads.ts";

/** How long one sync may hold a connection before another may take over (a crash's lease runs out). */
const SYNC_LEASE_MS = 15 * 60_000;
/**
 * How far behind the newest change a stored cursor stays: a CRM's search index can show a change
 * a little after it happened, and reading these minutes again costs only unchanged upserts.
 */
export const CURSOR_OVERLAP_MS = 5 * 60_000;
const DAY_MS = 86_400_000;

export interface CrmSyncReport {
  kind: "synced" | "busy";
  counts: CrmSyncCounts;
  /** Records Leadfit could not take, with the first reason. */
  skipped: number;
  firstSkipReason: string | null;
  error: string | null;
}

interface SyncDeps {
  db: RepositorySource;
  repos: Repositories;
  config: { crm: CrmConfig };
  now: () => Date;
  tuning?: CrmClientTuning;
}

interface PageOutcome {
  leads: LeadInput[];
  /** CRM ids whose leads are gone from the CRM (deleted, or merged into another record). */
  removed: string[];
}

interface Run {
  deps: SyncDeps;
  workspace: Workspace;
  definition: AgreedDefinition | undefined;
  /** A backfill queues no card per lead: the leads wait on App Home. */
  backfill: boolean;
  report: CrmSyncReport;
}

/**
 * Brings a workspace's leads in from its CRM: a backfill from `backfillDays` ago when the object
 * has no cursor (or `full`), then whatever changed since its cursor. Each page is stored with its
 * cursor in one transaction, so the cursor never runs ahead of what is stored and a crash resumes
 * where the last stored page ended. A failing CRM ends the sync with the error recorded on the
 * connection; nothing of it waits on Slack.
 */
export async function syncCrm(
  deps: SyncDeps,
  input: { workspaceId: string; full?: boolean },
): Promise<CrmSyncReport> {
  const { crmConnections } = deps.repos;
  const connection = await crmConnections.get(input.workspaceId);
  const workspace = await deps.repos.workspaces.get(input.workspaceId);
  if (!connection || !workspace) {
    throw new AppError(
      "not_found",
      `no CRM connection in ${input.workspaceId}`,
      "This workspace has no CRM connection: connect HubSpot or Salesforce first.",
    );
  }
  const report: CrmSyncReport = {
    kind: "synced",
    counts: { leadsCreated: 0, leadsUpdated: 0, leadsRemoved: 0, outcomes: 0, verdictsWritten: 0 },
    skipped: 0,
    firstSkipReason: null,
    error: null,
  };
  const startedAt = deps.now();
  if (
    !(await crmConnections.claimSync(
      input.workspaceId,
      startedAt,
      new Date(startedAt.getTime() + SYNC_LEASE_MS),
    ))
  ) {
    return { ...report, kind: "busy" };
  }
  try {
    const key = requireEncryptionKey(deps.config.crm.encryptionKey);
    const credentials = openCredentials(key, connection.sealedCredentials);
    if (input.full) await crmConnections.resetCursors(input.workspaceId);
    const cursors = input.full ? {} : connection.cursors;
    const client = crmClientFor(
      deps.config.crm,
      credentials,
      (renewed: CrmCredentials) =>
        crmConnections.replaceCredentials(input.workspaceId, sealCredentials(key, renewed)),
      deps.tuning,
    );
    const backfillFrom = new Date(startedAt.getTime() - connection.backfillDays * DAY_MS);
    const object = client.kind === "hubspot" ? "contacts" : "Lead";
    const cursor = cursors[object];
    const run: Run = {
      deps,
      workspace,
      definition: await deps.repos.agreedDefinitions.active(input.workspaceId),
      backfill: cursor === undefined,
      report,
    };
    const since = cursor ? new Date(cursor.modifiedSince) : backfillFrom;
    if (client.kind === "hubspot") await syncHubSpotContacts(run, client.hubspot, since, startedAt);
    else await syncSalesforceLeads(run, client.salesforce, since, startedAt);
  } catch (error) {
    if (!isAppError(error)) throw error;
    report.error = error.userMessage;
  } finally {
    await crmConnections.finishSync(input.workspaceId, { at: deps.now(), error: report.error });
  }
  return report;
}

/** The cursor stored after a page: its newest change, held back by the overlap. */
function storedCursor(newest: Date, startedAt: Date): Date {
  return new Date(Math.min(newest.getTime(), startedAt.getTime() - CURSOR_OVERLAP_MS));
}

/** Stores one page's leads, removes its gone records, and moves the object's cursor: all or none. */
async function storePage(run: Run, object: string, page: PageOutcome, cursor: Date): Promise<void> {
  const { workspace, deps } = run;
  const counts = await transaction(
    deps.db,
    async (repos) => {
      const ingested =
        page.leads.length > 0
          ? await storeLeads(
              { repos },
              {
                workspace,
                definition: run.definition,
                leads: page.leads,
                receivedAt: deps.now(),
                queueCards: !run.backfill,
              },
            )
          : { created: 0, updated: 0 };
      let removed = 0;
      for (const externalId of page.removed) {
        if (await repos.leads.deleteWithHistory(workspace.id, externalId)) removed += 1;
      }
      const moved = {
        leadsCreated: ingested.created,
        leadsUpdated: ingested.updated,
        leadsRemoved: removed,
      };
      await repos.crmConnections.advanceCursor(workspace.id, {
        object,
        modifiedSince: cursor,
        counts: moved,
      });
      return moved;
    },
    { timeout: 60_000 },
  );
  run.report.counts.leadsCreated += counts.leadsCreated;
  run.report.counts.leadsUpdated += counts.leadsUpdated;
  run.report.counts.leadsRemoved += counts.leadsRemoved;
}

function mapRecords(
  run: Run,
  mapping: CrmLeadMapping,
  records: readonly { id: string; values: Record<string, string | number | boolean | null> }[],
  ownerEmails: ReadonlyMap<string, string>,
): LeadInput[] {
  const leads: LeadInput[] = [];
  for (const record of records) {
    const mapped = crmRecordToLead(mapping, record, ownerEmails);
    if ("lead" in mapped) leads.push(mapped.lead);
    else {
      run.report.skipped += 1;
      run.report.firstSkipReason ??= `${record.id}: ${mapped.skipped}`;
    }
  }
  return leads;
}

/**
 * HubSpot: CRM search on `lastmodifieddate ≥ cursor`, oldest change first. After each page the
 * query starts again from the page's newest change instead of paging on with `after`: a contact
 * changed meanwhile moves to the end of the order and an offset would then skip another one. Only
 * a page whose contacts all share one time pages on with `after`. Merged-away ids (listed by the
 * survivor in `hs_merged_object_ids`) and archived contacts are removed.
 */
async function syncHubSpotContacts(
  run: Run,
  hubspot: HubSpotCrm,
  since: Date,
  startedAt: Date,
): Promise<void> {
  const mapping = HUBSPOT_CONTACT_MAPPING;
  const properties = [...mappedProperties(mapping), "lastmodifieddate", "hs_merged_object_ids"];
  const ownerEmails = await hubspot.ownerEmails();
  let cursor = since;
  let offset = 0;
  const search = () => hubspot.searchContacts({ modifiedSince: cursor, properties, offset });
  let next = search();
  for (;;) {
    const page = await next;
    if (page.contacts.length === 0) break;
    const newest = new Date(
      Math.max(
        ...page.contacts.map((c) => Date.parse(c.properties.lastmodifieddate ?? c.updatedAt)),
      ),
    );
    if (newest.getTime() > cursor.getTime()) {
      cursor = newest;
      offset = 0;
    } else {
      offset += page.contacts.length;
    }
    // The next page is asked for while this one is stored: the search allowance, not the
    // database, sets the pace. Its cursor still moves only once this page is stored.
    if (page.more) {
      next = search();
      next.catch(() => undefined);
    }
    const removed = page.contacts.flatMap((c) =>
      (c.properties.hs_merged_object_ids ?? "").split(";").filter(Boolean),
    );
    const leads = mapRecords(
      run,
      mapping,
      page.contacts.map((c) => ({ id: c.id, values: c.properties })),
      ownerEmails,
    );
    await storePage(run, "contacts", { leads, removed }, storedCursor(newest, startedAt));
    if (!page.more) break;
  }
  const archived = await hubspot.archivedContactIds();
  if (archived.length > 0) {
    const current = await run.deps.repos.crmConnections.get(run.workspace.id);
    const at = new Date(current?.cursors.contacts?.modifiedSince ?? since);
    await storePage(run, "contacts", { leads: [], removed: archived }, at);
  }
}

const salesforceValues = (record: SalesforceRecord) => {
  const { attributes: _attributes, ...values } = record;
  return values as Record<string, string | number | boolean | null>;
};

/** SOQL's dateTime literal, to the second (SystemModstamp has no finer grain). */
function soqlTime(at: Date): string {
  return `${at.toISOString().slice(0, 19)}Z`;
}

/**
 * Salesforce: SOQL on Lead by `SystemModstamp ≥ cursor` through queryAll, so deleted leads
 * (IsDeleted) come too and are removed; batches follow `nextRecordsUrl` (a query locator reads
 * one consistent snapshot; a lead changed meanwhile is newer than the cursor and comes next time).
 */
async function syncSalesforceLeads(
  run: Run,
  salesforce: SalesforceCrm,
  since: Date,
  startedAt: Date,
): Promise<void> {
  const mapping = SALESFORCE_LEAD_MAPPING;
  const fields = [...mappedProperties(mapping), "Id", "IsDeleted", "SystemModstamp"];
  const soql = `SELECT ${[...new Set(fields)].join(", ")} FROM Lead WHERE SystemModstamp >= ${soqlTime(
    since,
  )} ORDER BY SystemModstamp, Id`;
  let page = await salesforce.query(soql, { includeDeleted: true });
  for (;;) {
    if (page.records.length === 0) break;
    const ownerEmails = await salesforceOwnerEmails(
      salesforce,
      page.records.map((r) => String(r[mapping.owner] ?? "")),
    );
    const live = page.records.filter((r) => r.IsDeleted !== true);
    const removed = page.records.filter((r) => r.IsDeleted === true).map((r) => r.Id);
    const leads = mapRecords(
      run,
      mapping,
      live.map((r) => ({ id: r.Id, values: salesforceValues(r) })),
      ownerEmails,
    );
    const newest = new Date(
      Math.max(
        ...page.records.map((r) =>
          Date.parse(String(r.SystemModstamp).replace(/([+-]\d{2})(\d{2})$/, "$1:$2")),
        ),
      ),
    );
    await storePage(run, "Lead", { leads, removed }, storedCursor(newest, startedAt));
    if (!page.next) break;
    page = await salesforce.queryMore(page.next);
  }
}

/** Owner (User) id → email, for the owners on one batch. */
async function salesforceOwnerEmails(
  salesforce: SalesforceCrm,
  ownerIds: readonly string[],
): Promise<Map<string, string>> {
  const ids = [...new Set(ownerIds.filter((id) => /^005\w{12,15}$/.test(id)))];
  if (ids.length === 0) return new Map();
  const users = await salesforce.query(
    `SELECT Id, Email FROM User WHERE Id IN (${ids.map((id) => `'${id}'`).join(", ")})`,
  );
  return new Map(users.records.map((u) => [u.Id, String(u.Email ?? "")]));
}
