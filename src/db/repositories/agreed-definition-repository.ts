import type { AgreedDefinition } from "../../domain/agreed-definition.ts";
import { type RuleDocument, ruleDocumentSchema } from "../../domain/definition-rules.ts";
import { firstTime, type Once, REPEAT } from "../../domain/once.ts";
import { atomically, type Db } from "../client-or-transaction.ts";
import { withTransaction } from "../retry.ts";
import { AuditRepository } from "./audit-repository.ts";
import { SlackRequestRepository } from "./slack-request-repository.ts";

const agreedDefinitionSelect = {
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

export class AgreedDefinitionRepository {
  constructor(private readonly db: Db) {}

  async active(workspaceId: string): Promise<AgreedDefinition | undefined> {
    const row = await this.db.agreedDefinition.findFirst({
      where: { workspaceId, state: "active" },
      select: agreedDefinitionSelect,
    });
    return row ? toDefinition(row) : undefined;
  }

  /** Every version, newest first. */
  async history(workspaceId: string): Promise<AgreedDefinition[]> {
    const rows = await this.db.agreedDefinition.findMany({
      where: { workspaceId },
      select: agreedDefinitionSelect,
      orderBy: { version: "desc" },
    });
    return rows.map(toDefinition);
  }

  async propose(
    workspaceId: string,
    rules: RuleDocument,
    proposedBy: string,
  ): Promise<AgreedDefinition> {
    // Two proposals at once may compute the same next version: the loser's unique violation is
    // retried, and it reads the winner's version then.
    return atomically(
      this.db,
      (tx) => this.insertProposal(tx, workspaceId, rules, proposedBy),
      withTransaction,
    );
  }

  /**
   * `propose`, with the key of the Slack request that proposed the rules stored with them, so a
   * repeat of that request (a retry, a replay) proposes nothing.
   */
  async proposeOnce(
    workspaceId: string,
    rules: RuleDocument,
    proposedBy: string,
    requestKey: string,
  ): Promise<Once<AgreedDefinition>> {
    return atomically(
      this.db,
      async (tx) => {
        if (!(await new SlackRequestRepository(tx).claim(workspaceId, requestKey))) return REPEAT;
        return firstTime(await this.insertProposal(tx, workspaceId, rules, proposedBy));
      },
      withTransaction,
    );
  }

  private async insertProposal(
    tx: Db,
    workspaceId: string,
    rules: RuleDocument,
    proposedBy: string,
  ): Promise<AgreedDefinition> {
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
      select: agreedDefinitionSelect,
    });
    await new AuditRepository(tx).record(workspaceId, proposedBy, "definition.proposed", {
      version: row.version,
    });
    return toDefinition(row);
  }

  /**
   * Makes a proposed version the active one; the previous active version is superseded. Returns
   * undefined when the version is no longer a proposal (someone decided first).
   */
  accept(
    workspaceId: string,
    version: number,
    decidedBy: string,
    at: Date,
  ): Promise<AgreedDefinition | undefined> {
    return this.decide(workspaceId, version, "active", decidedBy, at);
  }

  /** Declines a proposal; undefined when it is no longer one. */
  decline(
    workspaceId: string,
    version: number,
    decidedBy: string,
    at: Date,
  ): Promise<AgreedDefinition | undefined> {
    return this.decide(workspaceId, version, "declined", decidedBy, at);
  }

  private decide(
    workspaceId: string,
    version: number,
    state: "active" | "declined",
    decidedBy: string,
    at: Date,
  ): Promise<AgreedDefinition | undefined> {
    // The database allows one active version per workspace: of two acceptances at once, the later
    // one meets the earlier one's active row, is retried, and supersedes it.
    return atomically(
      this.db,
      async (tx) => {
        // Only a proposal can be decided, once: the lock holds a concurrent decision on the same
        // version until this one ends, and that one then finds it decided.
        const [current] = await tx.$queryRaw<{ state: string }[]>`
        select state from agreed_definition
        where "workspaceId" = ${workspaceId} and version = ${version} for update`;
        if (current?.state !== "proposed") return undefined;
        if (state === "active") {
          await tx.agreedDefinition.updateMany({
            where: { workspaceId, state: "active" },
            data: { state: "superseded" },
          });
        }
        const row = await tx.agreedDefinition.update({
          where: { workspaceId_version: { workspaceId, version } },
          data: { state, decidedBy, decidedAt: at },
          select: agreedDefinitionSelect,
        });
        const action = state === "active" ? "definition.accepted" : "definition.declined";
        await new AuditRepository(tx).record(workspaceId, decidedBy, action, { version });
        return toDefinition(row);
      },
      withTransaction,
    );
  }

  async get(workspaceId: string, version: number): Promise<AgreedDefinition | undefined> {
    const row = await this.db.agreedDefinition.findUnique({
      where: { workspaceId_version: { workspaceId, version } },
      select: agreedDefinitionSelect,
    });
    return row ? toDefinition(row) : undefined;
  }
}
