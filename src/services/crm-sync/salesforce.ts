import { changedSince, storedCursor } from "../../domain/crm-cursor.ts";
import {
  type CrmOpportunity,
  crmTime,
  salesforceOpportunityOutcomes,
} from "../../domain/crm-outcomes.ts";
import { readAhead } from "../../domain/read-ahead.ts";
import { workspaceTimezone } from "../../domain/workspace.ts";
import { mappedProperties, ownerIdOf } from "../../imports/crm-mapping.ts";
import type { SalesforceCrm, SalesforceRecord } from "../../outbound/crm/salesforce.ts";
import {
  type CrmSyncRun,
  mapRecords,
  ownersAsSlackUsers,
  type PageChanges,
  type SyncDeps,
  storePage,
} from "./store-page.ts";

/**
 * Ids per `IN (…)`: a query travels in the URL, which Salesforce caps at 16,384 bytes (REST API
 * Developer Guide, status codes); 200 quoted, encoded 18-character ids stay well under it.
 */
const IDS_PER_QUERY = 200;

const OPPORTUNITY_FIELDS = [
  "Id",
  "CreatedDate",
  "CloseDate",
  "Amount",
  "IsClosed",
  "IsWon",
  "ContactId",
];

/** Salesforce: Leads (leads, merges, deletions), then Opportunities (outcomes), each by its cursor. */
export async function syncSalesforce(
  deps: SyncDeps & { salesforce: SalesforceCrm },
  { run }: { run: CrmSyncRun },
): Promise<void> {
  const { salesforce } = deps;
  const { mapping } = run;
  // Owner (User) id → email, for this sync: each owner is looked up once, not once a batch.
  const ownerEmails = new Map<string, string>();
  await syncObject(
    deps,
    run,
    "Lead",
    [...mappedProperties(mapping), "MasterRecordId", "IsConverted", "ConvertedOpportunityId"],
    async (records) => {
      const owners = await ownersAsSlackUsers(deps, {
        run,
        ownerEmails: await ownerEmailsOf(
          salesforce,
          records.map((r) => ownerIdOf(mapping, r) ?? ""),
          ownerEmails,
        ),
      });
      const deleted = records.filter((r) => r.IsDeleted === true);
      // A lead converted into an opportunity that already existed leaves that opportunity's
      // SystemModstamp as it was: its outcomes are read here, with the conversion.
      const convertedInto = records.flatMap((r) =>
        r.IsDeleted !== true && typeof r.ConvertedOpportunityId === "string"
          ? [r.ConvertedOpportunityId]
          : [],
      );
      const opportunities =
        convertedInto.length > 0
          ? await opportunityChanges(
              run,
              salesforce,
              await opportunitiesById(salesforce, [...new Set(convertedInto)]),
            )
          : {};
      return {
        ...opportunities,
        leads: mapRecords({
          run,
          records: records
            .filter((r) => r.IsDeleted !== true)
            .map((r) => ({ id: r.Id, values: valuesOf(r) })),
          owners,
        }),
        // A lead merged into another is deleted with the survivor in MasterRecordId.
        merged: deleted.flatMap((r) =>
          typeof r.MasterRecordId === "string" ? [{ from: r.Id, into: r.MasterRecordId }] : [],
        ),
        deleted: deleted.filter((r) => typeof r.MasterRecordId !== "string").map((r) => r.Id),
      };
    },
  );
  await syncObject(deps, run, "Opportunity", OPPORTUNITY_FIELDS, (records) =>
    opportunityChanges(run, salesforce, records),
  );
}

/** Opportunities as outcomes of the leads converted into them; deleted ones take theirs along. */
async function opportunityChanges(
  run: CrmSyncRun,
  salesforce: SalesforceCrm,
  records: readonly SalesforceRecord[],
): Promise<PageChanges> {
  const timeZone = workspaceTimezone(run.workspace);
  const live = records.filter((r) => r.IsDeleted !== true);
  const leads = await convertedLeadsOf(salesforce, live);
  return {
    opportunities: live.map(
      (r): CrmOpportunity => ({
        externalId: r.Id,
        outcomes: salesforceOpportunityOutcomes(r, timeZone),
        leadCandidates:
          leads.byOpportunity.get(r.Id) ?? leads.byContact.get(String(r.ContactId)) ?? [],
      }),
    ),
    deletedOpportunities: records.filter((r) => r.IsDeleted === true).map((r) => r.Id),
  };
}

/** Opportunities by id, in as many queries as their ids need. */
async function opportunitiesById(
  salesforce: SalesforceCrm,
  ids: readonly string[],
): Promise<SalesforceRecord[]> {
  const found: SalesforceRecord[] = [];
  for (let i = 0; i < ids.length; i += IDS_PER_QUERY) {
    const select = [...OPPORTUNITY_FIELDS, "IsDeleted", "SystemModstamp"].join(", ");
    let page = await salesforce.query(
      `SELECT ${select} FROM Opportunity WHERE Id IN (${quoted(ids.slice(i, i + IDS_PER_QUERY))})`,
    );
    for (;;) {
      found.push(...page.records);
      if (!page.next) break;
      page = await salesforce.queryMore(page.next);
    }
  }
  return found;
}

/**
 * Reads one object by SOQL on `SystemModstamp ≥ cursor` through queryAll, so deleted rows
 * (IsDeleted) come too; batches follow `nextRecordsUrl` (a query locator reads one consistent
 * snapshot; a row changed meanwhile is newer than the cursor and comes next time), a few read
 * ahead of the one stored (readAhead). Each batch is stored with its cursor.
 */
async function syncObject(
  deps: SyncDeps & { salesforce: SalesforceCrm },
  run: CrmSyncRun,
  object: string,
  fields: readonly string[],
  changesOf: (records: SalesforceRecord[]) => Promise<PageChanges>,
): Promise<void> {
  const select = [...new Set([...fields, "Id", "IsDeleted", "SystemModstamp"])].join(", ");
  const since = soqlTime(changedSince(run, object));
  const batches = queryBatches(
    deps.salesforce,
    `SELECT ${select} FROM ${object} WHERE SystemModstamp >= ${since} ORDER BY SystemModstamp, Id`,
  );
  for await (const records of readAhead(batches)) {
    const newest = new Date(
      Math.max(...records.map((r) => crmTime(r.SystemModstamp)?.getTime() ?? 0)),
    );
    await storePage(deps, {
      run,
      page: await changesOf(records),
      source: { object, cursor: storedCursor(newest, run.startedAt) },
    });
  }
}

/** The non-empty batches of a queryAll, following `nextRecordsUrl`. */
async function* queryBatches(
  salesforce: SalesforceCrm,
  soql: string,
): AsyncGenerator<SalesforceRecord[], void> {
  let page = await salesforce.query(soql, { includeDeleted: true });
  while (page.records.length > 0) {
    yield page.records;
    if (!page.next) return;
    page = await salesforce.queryMore(page.next);
  }
}

/**
 * The Salesforce leads an opportunity may have come from: the lead converted into it
 * (ConvertedOpportunityId), else the leads converted into its primary contact (ContactId), for an
 * opportunity opened after the conversion.
 */
async function convertedLeadsOf(
  salesforce: SalesforceCrm,
  opportunities: readonly SalesforceRecord[],
): Promise<{ byOpportunity: Map<string, string[]>; byContact: Map<string, string[]> }> {
  const byOpportunity = new Map<string, string[]>();
  const byContact = new Map<string, string[]>();
  const add = (map: Map<string, string[]>, key: unknown, leadId: string) => {
    if (typeof key === "string") map.set(key, [...(map.get(key) ?? []), leadId]);
  };
  for (let i = 0; i < opportunities.length; i += IDS_PER_QUERY) {
    const batch = opportunities.slice(i, i + IDS_PER_QUERY);
    const contacts = batch.map((o) => o.ContactId).filter((c) => typeof c === "string");
    const where = [`ConvertedOpportunityId IN (${quoted(batch.map((o) => o.Id))})`];
    if (contacts.length > 0) where.push(`ConvertedContactId IN (${quoted(contacts)})`);
    let page = await salesforce.query(
      `SELECT Id, ConvertedOpportunityId, ConvertedContactId FROM Lead WHERE ${where.join(" OR ")}`,
    );
    for (;;) {
      for (const lead of page.records) {
        add(byOpportunity, lead.ConvertedOpportunityId, lead.Id);
        add(byContact, lead.ConvertedContactId, lead.Id);
      }
      if (!page.next) break;
      page = await salesforce.queryMore(page.next);
    }
  }
  return { byOpportunity, byContact };
}

/**
 * Owner (User) id → email, for the owners on one batch: those not in `known` (this sync's
 * lookups so far) in one query, then remembered there; an owner without an email has none.
 */
async function ownerEmailsOf(
  salesforce: SalesforceCrm,
  ownerIds: readonly string[],
  known: Map<string, string>,
): Promise<Map<string, string>> {
  const ids = [...new Set(ownerIds.filter((id) => /^005\w{12,15}$/.test(id)))];
  const fresh = ids.filter((id) => !known.has(id));
  if (fresh.length > 0) {
    const users = await salesforce.query(
      `SELECT Id, Email FROM User WHERE Id IN (${quoted(fresh)})`,
    );
    const found = new Map(users.records.map((u) => [u.Id, String(u.Email ?? "")]));
    for (const id of fresh) known.set(id, found.get(id) ?? "");
  }
  return new Map(ids.flatMap((id) => (known.get(id) ? [[id, known.get(id) as string]] : [])));
}

/** Salesforce ids in a SOQL list; ids are alphanumeric, so nothing needs escaping but a check. */
function quoted(ids: readonly unknown[]): string {
  return ids
    .filter((id): id is string => typeof id === "string" && /^\w{15,18}$/.test(id))
    .map((id) => `'${id}'`)
    .join(", ");
}

function valuesOf(record: SalesforceRecord): Record<string, string | number | boolean | null> {
  const { attributes: _attributes, ...values } = record;
  return values as Record<string, string | number | boolean | null>;
}

/** SOQL's dateTime literal, to the second (SystemModstamp has no finer grain). */
function soqlTime(at: Date): string {
  return `${at.toISOString().slice(0, 19)}Z`;
}
