import type { PrismaClient } from "../../src/db/generated/client.ts";

/** Rows of one table in one workspace, and when the newest change to them was made. */
export interface TableState {
  count: number;
  lastChange: number | null;
}

/** What the ingestion paths can write in a workspace: equal states mean nothing was written. */
export interface WorkspaceState {
  lead: TableState;
  campaign: TableState;
  metricValue: TableState;
  metricDefinition: TableState;
  cardOutbox: number;
}

const table = (result: { _count: number; _max: { updatedAt: Date | null } }): TableState => ({
  count: result._count,
  lastChange: result._max.updatedAt?.getTime() ?? null,
});

// One query at a time: the embedded database serves a single connection.
export async function workspaceState(
  prisma: PrismaClient,
  workspaceId: string,
): Promise<WorkspaceState> {
  const where = { workspaceId };
  const aggregate = { where, _count: true, _max: { updatedAt: true } } as const;
  const lead = table(await prisma.lead.aggregate(aggregate));
  const campaign = table(await prisma.campaign.aggregate(aggregate));
  const metricValue = table(await prisma.metricValue.aggregate(aggregate));
  const metricDefinition = table(await prisma.metricDefinition.aggregate(aggregate));
  const cardOutbox = await prisma.cardOutbox.count({ where });
  return { lead, campaign, metricValue, metricDefinition, cardOutbox };
}
