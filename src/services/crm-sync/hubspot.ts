import { changedSince, storedCursor } from "../../domain/crm-cursor.ts";
import {
  hubspotDealOutcomes,
  hubspotLifecycleId,
  hubspotLifecycleOutcomes,
} from "../../domain/crm-outcomes.ts";
import { readAhead } from "../../domain/read-ahead.ts";
import { hubspotContactProperties, ownerIdOf } from "../../imports/crm-mapping.ts";
import {
  HUBSPOT_MODIFIED_PROPERTY,
  type HubSpotCrm,
  type HubSpotObject,
  type HubSpotRecord,
} from "../../outbound/crm/hubspot.ts";
import {
  type CrmSyncRun,
  mapRecords,
  ownersAsSlackUsers,
  type PageChanges,
  type SyncDeps,
  storePage,
} from "./store-page.ts";

/** The deal properties outcomes are read from: closed and won come from the stage's settings. */
export const HUBSPOT_DEAL_PROPERTIES = [
  "amount",
  "closedate",
  "createdate",
  "hs_is_closed",
  "hs_is_closed_won",
  "hs_lastmodifieddate",
];

/**
 * What contacts read from HubSpot (by search or by id) change in Leadfit: merges, leads with
 * their owners as Slack users, lifecycle outcomes. `ownerEmails` maps HubSpot owner ids to emails.
 */
export async function contactChanges(
  deps: Pick<SyncDeps, "slack">,
  {
    run,
    ownerEmails,
    contacts,
  }: {
    run: CrmSyncRun;
    ownerEmails: ReadonlyMap<string, string>;
    contacts: readonly HubSpotRecord[];
  },
): Promise<PageChanges> {
  const { mapping } = run;
  // The survivor lists every contact ever merged into it; a merge already folded finds nothing.
  const merged = contacts.flatMap((c) =>
    (c.properties.hs_merged_object_ids ?? "")
      .split(";")
      .filter(Boolean)
      .map((from) => ({ from, into: c.id })),
  );
  // Only the owners of these contacts are matched to Slack users (once a sync each).
  const owned = new Set(contacts.map((c) => ownerIdOf(mapping, c.properties)));
  const owners = await ownersAsSlackUsers(deps, {
    run,
    ownerEmails: new Map([...ownerEmails].filter(([id]) => owned.has(id))),
  });
  return {
    merged,
    leads: mapRecords({
      run,
      records: contacts.map((c) => ({ id: c.id, values: c.properties })),
      owners,
    }),
    // Every contact read states its lifecycle outcomes again: a deal added since clears them.
    opportunities: contacts.map((c) => ({
      externalId: hubspotLifecycleId(c.id),
      outcomes: hubspotLifecycleOutcomes(c.properties),
      leadCandidates: [c.id],
    })),
    deletedOpportunities: merged.map((m) => hubspotLifecycleId(m.from)),
  };
}

/** What deals read from HubSpot change in Leadfit: each deal's outcomes, on its contacts' lead. */
export async function dealChanges(
  deps: { hubspot: HubSpotCrm },
  { deals }: { deals: readonly HubSpotRecord[] },
): Promise<PageChanges> {
  const contacts = await deps.hubspot.contactsOfDeals(deals.map((d) => d.id));
  return {
    opportunities: deals.map((deal) => ({
      externalId: deal.id,
      outcomes: hubspotDealOutcomes(deal),
      leadCandidates: contacts.get(deal.id) ?? [],
    })),
  };
}

/**
 * HubSpot: contacts (leads, merges, deletions, lifecycle outcomes), then deals (outcomes), each
 * by its own cursor.
 */
export async function syncHubSpot(
  deps: SyncDeps & { hubspot: HubSpotCrm },
  { run }: { run: CrmSyncRun },
): Promise<void> {
  const ownerEmails = await deps.hubspot.ownerEmails();
  await syncObject(
    deps,
    run,
    "contacts",
    hubspotContactProperties(run.mapping),
    (contacts) => contactChanges(deps, { run, ownerEmails, contacts }),
    (ids) => ({ deleted: ids }),
  );
  await syncObject(
    deps,
    run,
    "deals",
    HUBSPOT_DEAL_PROPERTIES,
    (deals) => dealChanges(deps, { deals }),
    (ids) => ({ deletedOpportunities: ids }),
  );
}

/**
 * Reads one object by CRM search on its last change, oldest first, and stores each page with
 * its cursor, reading a few pages ahead of the one stored (readAhead). Then the records archived
 * since the last time are deleted.
 */
async function syncObject(
  deps: SyncDeps & { hubspot: HubSpotCrm },
  run: CrmSyncRun,
  object: HubSpotObject,
  properties: readonly string[],
  changesOf: (records: HubSpotRecord[]) => Promise<PageChanges>,
  deletionsOf: (ids: string[]) => PageChanges,
): Promise<void> {
  const { hubspot } = deps;
  const pages = changedPages(hubspot, object, properties, changedSince(run, object));
  for await (const page of readAhead(pages)) {
    await storePage(deps, {
      run,
      page: await changesOf(page.records),
      source: { object, cursor: storedCursor(page.newest, run.startedAt) },
    });
  }
  // Archived records have a cursor of their own, on when they were archived: each is handled
  // once, however long the object itself goes unchanged.
  const archivedObject = `${object}.archived`;
  const archivedSince = changedSince(run, archivedObject);
  const archived = (await hubspot.archived(object)).filter(
    (r) => r.archivedAt === null || r.archivedAt > archivedSince,
  );
  if (archived.length === 0) return;
  const newest = archived.reduce(
    (at, r) => Math.max(at, r.archivedAt?.getTime() ?? 0),
    archivedSince.getTime(),
  );
  await storePage(deps, {
    run,
    page: deletionsOf(archived.map((r) => r.id)),
    source: { object: archivedObject, cursor: new Date(newest) },
  });
}

/**
 * The pages of records of `object` changed at or after `since`, each with its newest change.
 * After each page the query starts again from that newest change instead of paging on with
 * `after`: a record changed meanwhile moves to the end of the order and an offset would then
 * skip another one. Only a page whose records all share one time pages on with `after`.
 */
async function* changedPages(
  hubspot: HubSpotCrm,
  object: HubSpotObject,
  properties: readonly string[],
  since: Date,
): AsyncGenerator<{ records: HubSpotRecord[]; newest: Date }, void> {
  const modified = HUBSPOT_MODIFIED_PROPERTY[object];
  let cursor = since;
  let offset = 0;
  for (;;) {
    const page = await hubspot.searchChanged(object, { modifiedSince: cursor, properties, offset });
    if (page.records.length === 0) return;
    const newest = new Date(
      Math.max(...page.records.map((r) => Date.parse(r.properties[modified] ?? r.updatedAt))),
    );
    if (newest.getTime() > cursor.getTime()) {
      cursor = newest;
      offset = 0;
    } else {
      offset += page.records.length;
    }
    yield { records: page.records, newest };
    if (!page.more) return;
  }
}
