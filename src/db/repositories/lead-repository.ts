import type { FieldValue } from "../../domain/definition-rules.ts";
import type { DefinitionCheck, DefinitionFailure, Lead } from "../../domain/lead.ts";
import type { Db } from "../db.ts";
import type { Prisma } from "../generated/client.ts";

const leadSelect = {
  id: true,
  workspaceId: true,
  externalId: true,
  email: true,
  name: true,
  company: true,
  title: true,
  owner: true,
  createdAt: true,
  fields: true,
  definitionStatus: true,
  definitionFailures: true,
  definitionVersion: true,
  cardChannelId: true,
  cardTs: true,
  campaign: { select: { key: true } },
} satisfies Prisma.LeadSelect;

function toLead(row: Prisma.LeadGetPayload<{ select: typeof leadSelect }>): Lead {
  return {
    id: row.id,
    workspaceId: row.workspaceId,
    externalId: row.externalId,
    email: row.email,
    name: row.name,
    company: row.company,
    title: row.title,
    campaignKey: row.campaign?.key ?? null,
    owner: row.owner,
    createdAt: row.createdAt,
    // Written only by this repository from parsed input, so the JSON has the shape we stored.
    fields: row.fields as Record<string, FieldValue>,
    definition: {
      status: row.definitionStatus,
      failures: row.definitionFailures as unknown as DefinitionFailure[],
      version: row.definitionVersion,
    },
    card: row.cardChannelId && row.cardTs ? { channelId: row.cardChannelId, ts: row.cardTs } : null,
  };
}

export interface LeadInput {
  externalId: string;
  email: string;
  name: string | null;
  company: string | null;
  title: string | null;
  campaignId: string | null;
  owner: string | null;
  createdAt: Date;
  fields: Record<string, FieldValue>;
  definition: DefinitionCheck;
}

export class LeadRepository {
  constructor(private readonly db: Db) {}

  async get(id: string): Promise<Lead | undefined> {
    const row = await this.db.lead.findUnique({ where: { id }, select: leadSelect });
    return row ? toLead(row) : undefined;
  }

  async findByExternalId(workspaceId: string, externalId: string): Promise<Lead | undefined> {
    const row = await this.db.lead.findUnique({
      where: { workspaceId_externalId: { workspaceId, externalId } },
      select: leadSelect,
    });
    return row ? toLead(row) : undefined;
  }

  /** Leads with this email, newest first. */
  async findByEmail(workspaceId: string, email: string): Promise<Lead[]> {
    const rows = await this.db.lead.findMany({
      where: { workspaceId, email: { equals: email, mode: "insensitive" } },
      select: leadSelect,
      orderBy: { createdAt: "desc" },
    });
    return rows.map(toLead);
  }

  async upsert(workspaceId: string, input: LeadInput): Promise<Lead> {
    const { definition } = input;
    // Listed one by one: a wider object passed in must never reach Prisma with extra keys.
    const data = {
      email: input.email,
      name: input.name,
      company: input.company,
      title: input.title,
      campaignId: input.campaignId,
      owner: input.owner,
      createdAt: input.createdAt,
      fields: input.fields,
      definitionStatus: definition.status,
      definitionFailures: definition.failures.map((f) => ({ text: f.text, reason: f.reason })),
      definitionVersion: definition.version,
    };
    const row = await this.db.lead.upsert({
      where: { workspaceId_externalId: { workspaceId, externalId: input.externalId } },
      create: { workspaceId, externalId: input.externalId, ...data },
      update: data,
      select: leadSelect,
    });
    return toLead(row);
  }

  async setCard(id: string, card: { channelId: string; ts: string }): Promise<void> {
    await this.db.lead.update({
      where: { id },
      data: { cardChannelId: card.channelId, cardTs: card.ts },
    });
  }
}
