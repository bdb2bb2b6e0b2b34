import {
  type CrmConnectionSummary,
  type CrmKind,
  type CrmSyncCounts,
  crmCursorsSchema,
} from "../../domain/crm-connection.ts";
import { atomically, type Db } from "../client-or-transaction.ts";
import type { Prisma } from "../generated/client.ts";
import { AuditRepository } from "./audit-repository.ts";

/** A connection with its sealed credentials, for the services that call the CRM. */
export interface StoredCrmConnection extends CrmConnectionSummary {
  workspaceId: string;
  sealedCredentials: string;
  /** When Leadfit's own fields were found or created in the CRM; null: not yet. */
  fieldsReadyAt: Date | null;
  /** The mapping as an admin set it (the mapping file's JSON); an empty object: the CRM's preset. */
  mapping: object;
}

/** A connection as admins see it: without its credentials and Leadfit's own bookkeeping. */
export function connectionSummary(stored: StoredCrmConnection): CrmConnectionSummary {
  const {
    sealedCredentials: _sealed,
    workspaceId: _id,
    fieldsReadyAt: _ready,
    mapping: _mapping,
    ...summary
  } = stored;
  return summary;
}

const connectionSelect = {
  workspaceId: true,
  kind: true,
  credentials: true,
  account: true,
  backfillDays: true,
  connectedBy: true,
  connectedAt: true,
  cursors: true,
  lastSyncAt: true,
  lastError: true,
  lastErrorAt: true,
  leadsCreated: true,
  leadsUpdated: true,
  leadsRemoved: true,
  outcomes: true,
  verdictsWritten: true,
  fieldsReadyAt: true,
  mapping: true,
} satisfies Prisma.CrmConnectionSelect;

const isObject = (json: Prisma.JsonValue): json is Prisma.JsonObject =>
  typeof json === "object" && json !== null && !Array.isArray(json);

function toStored(r: Prisma.CrmConnectionGetPayload<{ select: typeof connectionSelect }>) {
  const stored: StoredCrmConnection = {
    workspaceId: r.workspaceId,
    kind: r.kind,
    sealedCredentials: r.credentials,
    fieldsReadyAt: r.fieldsReadyAt,
    mapping: isObject(r.mapping) ? r.mapping : {},
    account: r.account,
    backfillDays: r.backfillDays,
    connectedBy: r.connectedBy,
    connectedAt: r.connectedAt,
    // Written only by this repository; a row that does not parse is a bug worth failing on.
    cursors: crmCursorsSchema.parse(r.cursors),
    lastSyncAt: r.lastSyncAt,
    lastError: r.lastError,
    lastErrorAt: r.lastErrorAt,
    counts: {
      leadsCreated: r.leadsCreated,
      leadsUpdated: r.leadsUpdated,
      leadsRemoved: r.leadsRemoved,
      outcomes: r.outcomes,
      verdictsWritten: r.verdictsWritten,
    },
  };
  return stored;
}

export class CrmConnectionRepository {
  constructor(private readonly db: Db) {}

  /**
   * Connects a workspace to a CRM, replacing any earlier connection (its cursors and counts too).
   * The mapping is `mapping` when given, else the earlier one when the CRM is the same, else the
   * preset.
   */
  async connect(input: {
    workspaceId: string;
    kind: CrmKind;
    sealedCredentials: string;
    account: string;
    backfillDays: number;
    connectedBy: string;
    at: Date;
    mapping?: object;
  }): Promise<StoredCrmConnection> {
    return atomically(this.db, async (tx) => {
      const earlier = await tx.crmConnection.findUnique({
        where: { workspaceId: input.workspaceId },
        select: { kind: true },
      });
      const mapping = input.mapping ?? (earlier && earlier.kind !== input.kind ? {} : undefined);
      const fresh = {
        kind: input.kind,
        credentials: input.sealedCredentials,
        account: input.account,
        backfillDays: input.backfillDays,
        connectedBy: input.connectedBy,
        connectedAt: input.at,
        cursors: {},
        syncLeaseUntil: null,
        lastSyncAt: null,
        lastError: null,
        lastErrorAt: null,
        leadsCreated: 0,
        leadsUpdated: 0,
        leadsRemoved: 0,
        outcomes: 0,
        verdictsWritten: 0,
        fieldsReadyAt: null,
      };
      const row = await tx.crmConnection.upsert({
        where: { workspaceId: input.workspaceId },
        create: { workspaceId: input.workspaceId, ...fresh, mapping: input.mapping ?? {} },
        update: { ...fresh, ...(mapping ? { mapping } : {}) },
        select: connectionSelect,
      });
      await new AuditRepository(tx).record(input.workspaceId, input.connectedBy, "crm.connected", {
        kind: input.kind,
        account: input.account,
      });
      return toStored(row);
    });
  }

  async get(workspaceId: string): Promise<StoredCrmConnection | undefined> {
    const row = await this.db.crmConnection.findUnique({
      where: { workspaceId },
      select: connectionSelect,
    });
    return row ? toStored(row) : undefined;
  }

  /** The workspaces with a connection, for the clock's sync. */
  async connectedWorkspaces(): Promise<string[]> {
    const rows = await this.db.crmConnection.findMany({
      where: { workspace: { active: true } },
      select: { workspaceId: true },
      orderBy: { workspaceId: "asc" },
    });
    return rows.map((r) => r.workspaceId);
  }

  /** The active workspaces connected to `kind` with this account (several may share a portal). */
  async workspacesOfAccount(kind: CrmKind, account: string): Promise<string[]> {
    const rows = await this.db.crmConnection.findMany({
      where: { kind, account, workspace: { active: true } },
      select: { workspaceId: true },
      orderBy: { workspaceId: "asc" },
    });
    return rows.map((r) => r.workspaceId);
  }

  /** Forgets the connection and its credentials; the kind it was, or undefined when none. */
  async disconnect(workspaceId: string, actor: string): Promise<CrmKind | undefined> {
    return atomically(this.db, async (tx) => {
      const found = await tx.crmConnection.findUnique({
        where: { workspaceId },
        select: { kind: true },
      });
      if (!found) return undefined;
      await tx.crmConnection.delete({ where: { workspaceId } });
      await new AuditRepository(tx).record(workspaceId, actor, "crm.disconnected", {
        kind: found.kind,
      });
      return found.kind;
    });
  }

  /** Sets the mapping the next sync reads (an empty object: the preset); false when not connected. */
  async setMapping(workspaceId: string, mapping: object, actor: string): Promise<boolean> {
    return atomically(this.db, async (tx) => {
      const { count } = await tx.crmConnection.updateMany({
        where: { workspaceId },
        data: { mapping: mapping as Prisma.InputJsonObject },
      });
      if (count === 0) return false;
      await new AuditRepository(tx).record(workspaceId, actor, "crm.mapping_set", {
        preset: Object.keys(mapping).length === 0,
      });
      return true;
    });
  }

  /** New tokens after a refresh, sealed by the caller. */
  async replaceCredentials(workspaceId: string, sealedCredentials: string): Promise<void> {
    await this.db.crmConnection.updateMany({
      where: { workspaceId },
      data: { credentials: sealedCredentials },
    });
  }

  /**
   * Takes the connection for one sync until `until`; false when another sync holds it. A crashed
   * sync's lease runs out, so the next one resumes from the stored cursors.
   */
  async claimSync(workspaceId: string, at: Date, until: Date): Promise<boolean> {
    const { count } = await this.db.crmConnection.updateMany({
      where: { workspaceId, OR: [{ syncLeaseUntil: null }, { syncLeaseUntil: { lte: at } }] },
      data: { syncLeaseUntil: until },
    });
    return count > 0;
  }

  /** Ends a sync: its time, and its error or none. */
  async finishSync(
    workspaceId: string,
    outcome: { at: Date; error: string | null },
  ): Promise<void> {
    await this.db.crmConnection.updateMany({
      where: { workspaceId },
      data: {
        syncLeaseUntil: null,
        lastSyncAt: outcome.at,
        ...(outcome.error === null
          ? { lastError: null, lastErrorAt: null }
          : { lastError: outcome.error, lastErrorAt: outcome.at }),
      },
    });
  }

  /**
   * Adds a page's counts and, for a page read by the sync, moves its object's cursor. Called with
   * repositories bound to the transaction that stored the page: the cursor never runs ahead of it.
   */
  async recordPage(
    workspaceId: string,
    page: { cursor?: { object: string; modifiedSince: Date }; counts: Partial<CrmSyncCounts> },
  ): Promise<void> {
    // One statement: the object's cursor (if any) replaced within the others, the counts added to.
    const by = (name: keyof CrmSyncCounts) => page.counts[name] ?? 0;
    const object = page.cursor?.object ?? null;
    const modifiedSince = page.cursor?.modifiedSince.toISOString() ?? null;
    await this.db.$executeRaw`
      update crm_connection set
        cursors = case when ${object}::text is null then cursors
          else cursors || jsonb_build_object(${object}::text,
            jsonb_build_object('modifiedSince', ${modifiedSince}::text)) end,
        "leadsCreated" = "leadsCreated" + ${by("leadsCreated")},
        "leadsUpdated" = "leadsUpdated" + ${by("leadsUpdated")},
        "leadsRemoved" = "leadsRemoved" + ${by("leadsRemoved")},
        outcomes = outcomes + ${by("outcomes")},
        "verdictsWritten" = "verdictsWritten" + ${by("verdictsWritten")}
      where "workspaceId" = ${workspaceId}`;
  }

  /** Records that Leadfit's own fields exist in the CRM (at), or that they must be checked again (null). */
  async setFieldsReady(workspaceId: string, at: Date | null): Promise<void> {
    await this.db.crmConnection.updateMany({ where: { workspaceId }, data: { fieldsReadyAt: at } });
  }

  /** Forgets the cursors, so the next sync backfills again (`crm sync --full`). */
  async resetCursors(workspaceId: string): Promise<void> {
    await this.db.crmConnection.updateMany({ where: { workspaceId }, data: { cursors: {} } });
  }
}
