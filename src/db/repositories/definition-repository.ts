import { type RuleDocument, ruleDocumentSchema } from "../../domain/definition-rules.ts";
import type { DefinitionState, PrismaClient } from "../generated/client.ts";
import { AuditRepository } from "./audit-repository.ts";

export interface AgreedDefinition {
  version: number;
  rules: RuleDocument;
  state: DefinitionState;
  proposedBy: string;
  proposedAt: Date;
  decidedBy: string | null;
  decidedAt: Date | null;
}

const definitionSelect = {
  version: true,
  rules: true,
  state: true,
  proposedBy: true,
  proposedAt: true,
  decidedBy: true,
  decidedAt: true,
} as const;

function toDefinition(row: Omit<AgreedDefinition, "rules"> & { rules: unknown }): AgreedDefinition {
  // Stored rules were validated on the way in; parsing again keeps a hand-edited row from leaking.
  return { ...row, rules: ruleDocumentSchema.parse(row.rules) };
}

export class DefinitionRepository {
  constructor(private readonly db: PrismaClient) {}

  async active(workspaceId: string): Promise<AgreedDefinition | undefined> {
    const row = await this.db.agreedDefinition.findFirst({
      where: { workspaceId, state: "active" },
      select: definitionSelect,
    });
    return row ? toDefinition(row) : undefined;
  }

  /** Every version, newest first. */
  async history(workspaceId: string): Promise<AgreedDefinition[]> {
    const rows = await this.db.agreedDefinition.findMany({
      where: { workspaceId },
      select: definitionSelect,
      orderBy: { version: "desc" },
    });
    return rows.map(toDefinition);
  }

  async propose(
    workspaceId: string,
    rules: RuleDocument,
    proposedBy: string,
  ): Promise<AgreedDefinition> {
    return this.db.$transaction(async (tx) => {
      const last = await tx.agreedDefinition.aggregate({
        where: { workspaceId },
        _max: { version: true },
      });
      const row = await tx.agreedDefinition.create({
        data: {
          workspaceId,
          version: (last._max.version ?? 0) + 1,
          rules: JSON.parse(JSON.stringify(rules)),
          proposedBy,
        },
        select: definitionSelect,
      });
      await new AuditRepository(tx).record(workspaceId, proposedBy, "definition.proposed", {
        version: row.version,
      });
      return toDefinition(row);
    });
  }

  /** Makes a proposed version the active one; the previous active version is superseded. */
  async accept(
    workspaceId: string,
    version: number,
    decidedBy: string,
    at: Date,
  ): Promise<AgreedDefinition> {
    return this.db.$transaction(async (tx) => {
      await tx.agreedDefinition.updateMany({
        where: { workspaceId, state: "active" },
        data: { state: "superseded" },
      });
      const row = await tx.agreedDefinition.update({
        where: { workspaceId_version: { workspaceId, version } },
        data: { state: "active", decidedBy, decidedAt: at },
        select: definitionSelect,
      });
      await new AuditRepository(tx).record(workspaceId, decidedBy, "definition.accepted", {
        version,
      });
      return toDefinition(row);
    });
  }
}
