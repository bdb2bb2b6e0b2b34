import type pg from "pg";
import type { CrmKind } from "../../domain/crm-connection.ts";
import { DEFAULT_METRICS } from "../../domain/metrics.ts";
import { DEFAULT_REASONS } from "../../domain/taxonomy.ts";
import type {
  TrackedMetrics,
  Webhook,
  Workspace,
  WorkspaceSettings,
} from "../../domain/workspace.ts";
import { atomically, type Db } from "../client-or-transaction.ts";
import { toNumber } from "../column-values.ts";
import type { Prisma } from "../generated/client.ts";
import { withTransaction } from "../retry.ts";
import { AuditRepository } from "./audit-repository.ts";

const webhookSelect = {
  webhookUrl: true,
  webhookSecret: true,
} satisfies Prisma.WorkspaceSelect;

const workspaceSelect = {
  id: true,
  name: true,
  active: true,
  timezone: true,
  currency: true,
  salesChannelId: true,
  marketingChannelId: true,
  salesTeam: true,
  marketingTeam: true,
  northStarWeeklyTarget: true,
  northStarMetric: { select: { key: true } },
  kpis: {
    select: { weeklyTarget: true, metric: { select: { key: true } } },
    orderBy: { position: "asc" },
  },
  reviewSlaHours: true,
  needsContextThresholdPct: true,
  conversionWindowDays: true,
  hindsightPerRep: true,
  admins: true,
  installedBy: true,
  ...webhookSelect,
} satisfies Prisma.WorkspaceSelect;

type WorkspaceRow = Prisma.WorkspaceGetPayload<{ select: typeof workspaceSelect }>;

function toWorkspace(row: WorkspaceRow): Workspace {
  return {
    id: row.id,
    name: row.name,
    active: row.active,
    timezone: row.timezone,
    currency: row.currency,
    salesChannelId: row.salesChannelId,
    marketingChannelId: row.marketingChannelId,
    salesTeam: row.salesTeam,
    marketingTeam: row.marketingTeam,
    northStar: row.northStarMetric
      ? { metricKey: row.northStarMetric.key, weeklyTarget: toNumber(row.northStarWeeklyTarget) }
      : null,
    kpis: row.kpis.map((k) => ({
      metricKey: k.metric.key,
      weeklyTarget: toNumber(k.weeklyTarget),
    })),
    reviewSlaHours: row.reviewSlaHours,
    needsContextThresholdPct: row.needsContextThresholdPct,
    conversionWindowDays: row.conversionWindowDays,
    hindsightPerRep: row.hindsightPerRep,
    admins: row.admins,
    installedBy: row.installedBy,
    webhook: toWebhook(row),
  };
}

function toWebhook(row: {
  webhookUrl: string | null;
  webhookSecret: string | null;
}): Webhook | null {
  return row.webhookUrl && row.webhookSecret
    ? { url: row.webhookUrl, secret: row.webhookSecret }
    : null;
}

export interface WorkspaceSummary {
  id: string;
  name: string;
  active: boolean;
}

export class WorkspaceRepository {
  /** `pool`, given outside a transaction, answers ensureCreated's look without Prisma. */
  constructor(
    private readonly db: Db,
    private readonly pool?: pg.Pool,
  ) {}

  async get(id: string): Promise<Workspace | undefined> {
    const row = await this.db.workspace.findUnique({ where: { id }, select: workspaceSelect });
    return row ? toWorkspace(row) : undefined;
  }

  async list(): Promise<WorkspaceSummary[]> {
    return this.db.workspace.findMany({
      select: { id: true, name: true, active: true },
      orderBy: { createdAt: "asc" },
    });
  }

  /**
   * The workspace with this id, created with the default metric catalogue and reason taxonomy
   * when it does not exist yet. Safe to call from several processes at once.
   */
  async ensure(id: string, name: string): Promise<Workspace> {
    await this.ensureCreated(id, name);
    const workspace = await this.get(id);
    if (!workspace) throw new Error(`workspace ${id} vanished right after it was ensured`);
    return workspace;
  }

  /**
   * As ensure, without reading the workspace back. When the workspace and every default metric and
   * reason exist (every start but the first), one query on the pool says so and nothing is written:
   * a start-up then answers /healthz without waiting for Prisma's query compiler.
   */
  async ensureCreated(id: string, name: string): Promise<void> {
    if (this.pool && (await this.isComplete(this.pool, id))) return;
    // Retried: it runs at start-up beside other processes, when a connection may not come free
    // within Prisma's wait.
    await atomically(
      this.db,
      async (tx) => {
        // ON CONFLICT DO NOTHING: an upsert would race another process creating the same row.
        await tx.workspace.createMany({ data: [{ id, name }], skipDuplicates: true });
        await tx.metricDefinition.createMany({
          data: DEFAULT_METRICS.map((m) => ({ ...m, workspaceId: id })),
          skipDuplicates: true,
        });
        await tx.reason.createMany({
          data: DEFAULT_REASONS.map((r, position) => ({ ...r, position, workspaceId: id })),
          skipDuplicates: true,
        });
      },
      withTransaction,
    );
  }

  private async isComplete(pool: pg.Pool, id: string): Promise<boolean> {
    const { rows } = await pool.query<{ complete: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM workspace WHERE id = $1)
          AND (SELECT count(*) FROM metric_definition WHERE "workspaceId" = $1 AND key = ANY($2)) = $3
          AND (SELECT count(*) FROM reason WHERE "workspaceId" = $1 AND key = ANY($4)) = $5
          AS complete`,
      [
        id,
        DEFAULT_METRICS.map((m) => m.key),
        DEFAULT_METRICS.length,
        DEFAULT_REASONS.map((r) => r.key),
        DEFAULT_REASONS.length,
      ],
    );
    return rows[0]?.complete === true;
  }

  /** Replaces the North Star and KPIs (keys of the workspace's catalogue), audited. */
  async setTrackedMetrics(id: string, tracked: TrackedMetrics, actor: string): Promise<void> {
    await atomically(this.db, async (tx) => {
      await writeTrackedMetrics(tx, id, tracked);
      await new AuditRepository(tx).record(id, actor, "tracked_metrics.set", tracked);
    });
  }

  /** Saves every setting at once, audited; nothing is written when any part is refused. */
  async saveSettings(id: string, settings: WorkspaceSettings, actor: string): Promise<void> {
    const { northStar, kpis, ...fields } = settings;
    await atomically(this.db, async (tx) => {
      await tx.workspace.update({ where: { id }, data: fields });
      await writeTrackedMetrics(tx, id, { northStar, kpis });
      await new AuditRepository(tx).record(id, actor, "settings.saved", settings);
    });
  }

  async setWebhook(
    id: string,
    webhook: { url: string; secret: string } | null,
    actor: string,
  ): Promise<void> {
    await atomically(this.db, async (tx) => {
      await tx.workspace.update({
        where: { id },
        data: { webhookUrl: webhook?.url ?? null, webhookSecret: webhook?.secret ?? null },
      });
      // The secret itself is never written to the audit trail.
      await new AuditRepository(tx).record(id, actor, "webhook.set", { url: webhook?.url ?? null });
    });
  }

  /** Leadfit's public address last given in this workspace for a CRM's authorize link, if any. */
  async publicUrl(id: string): Promise<string | null> {
    const row = await this.db.workspace.findUnique({ where: { id }, select: { publicUrl: true } });
    return row?.publicUrl ?? null;
  }

  /**
   * A CRM authorize link was made (audited as crm.authorize_link_made, with the address the CRM
   * sends the admin back to); with `remember`, that address is kept for the next link.
   */
  async recordCrmAuthorizeLink(
    id: string,
    actor: string,
    link: { crm: CrmKind; publicUrl: string; remember: boolean },
  ): Promise<void> {
    await atomically(this.db, async (tx) => {
      if (link.remember)
        await tx.workspace.update({ where: { id }, data: { publicUrl: link.publicUrl } });
      await new AuditRepository(tx).record(id, actor, "crm.authorize_link_made", {
        crm: link.crm,
        publicUrl: link.publicUrl,
      });
    });
  }

  async setTimezone(id: string, timezone: string): Promise<void> {
    await this.db.workspace.update({ where: { id }, data: { timezone } });
  }
}

async function writeTrackedMetrics(tx: Db, id: string, tracked: TrackedMetrics): Promise<void> {
  const keys = [tracked.northStar?.metricKey, ...tracked.kpis.map((k) => k.metricKey)];
  const metrics = await tx.metricDefinition.findMany({
    where: { workspaceId: id, key: { in: keys.filter((k): k is string => k !== undefined) } },
    select: { id: true, key: true },
  });
  const idOf = (key: string) => {
    const found = metrics.find((m) => m.key === key);
    if (!found) throw new Error(`metric ${key} is not in workspace ${id}'s catalogue`);
    return found.id;
  };
  await tx.workspace.update({
    where: { id },
    data: {
      northStarMetricId: tracked.northStar ? idOf(tracked.northStar.metricKey) : null,
      northStarWeeklyTarget: tracked.northStar?.weeklyTarget ?? null,
    },
  });
  await tx.kpi.deleteMany({ where: { workspaceId: id } });
  await tx.kpi.createMany({
    data: tracked.kpis.map((k, position) => ({
      workspaceId: id,
      metricId: idOf(k.metricKey),
      position,
      weeklyTarget: k.weeklyTarget,
    })),
  });
}
