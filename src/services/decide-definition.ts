import type { Repositories } from "../db/repositories/index.ts";
import { type AgreedDefinition, canDecide, checkLead } from "../domain/agreed-definition.ts";
import { AppError } from "../domain/app-error.ts";
import type { Workspace } from "../domain/workspace.ts";
import { definitionDecidedMessage } from "../presentation/slack/definition.ts";
import type { Message } from "../presentation/slack/message.ts";

export interface DecideInput {
  workspace: Workspace;
  version: number;
  userId: string;
  accept: boolean;
}

export interface DecideResult {
  definition: AgreedDefinition;
  /** Waiting leads checked again against the accepted version. */
  rechecked: number;
  /** The proposal's message as it reads now: the outcome where the buttons were. */
  message: Message;
}

const RECHECK_PAGE = 500;

/**
 * Accepts or declines a proposed version. Only someone on the other team than the proposer may
 * decide; acceptance activates the version and re-checks every lead still waiting for a verdict.
 */
export async function decideDefinition(
  deps: { repos: Repositories; now: () => Date },
  input: DecideInput,
): Promise<DecideResult> {
  const { repos } = deps;
  const proposal = await repos.agreedDefinitions.get(input.workspace.id, input.version);
  if (!proposal) {
    throw new AppError(
      "definition_not_found",
      `no version ${input.version}`,
      "That proposal no longer exists.",
    );
  }
  if (proposal.state !== "proposed") {
    throw new AppError(
      "definition_decided",
      `version ${input.version} is ${proposal.state}`,
      `Version ${input.version} was already decided (${proposal.state}).`,
    );
  }
  if (!canDecide(proposal.proposedBy, input.userId, input.workspace)) {
    const message =
      input.userId === proposal.proposedBy
        ? "You proposed this version: someone on the other team has to accept it."
        : "Only someone on the other team than the proposer can decide on this version.";
    throw new AppError(
      "definition_not_allowed",
      `${input.userId} may not decide version ${input.version}`,
      message,
    );
  }
  const at = deps.now();
  const decided = input.accept
    ? await repos.agreedDefinitions.accept(input.workspace.id, input.version, input.userId, at)
    : await repos.agreedDefinitions.decline(input.workspace.id, input.version, input.userId, at);
  if (!decided) {
    throw new AppError(
      "definition_decided",
      `version ${input.version} decided concurrently`,
      `Version ${input.version} was just decided by someone else.`,
    );
  }
  const rechecked = input.accept
    ? await recheckUntilSettled(repos, input.workspace.id, decided)
    : 0;
  const message = definitionDecidedMessage({
    proposal: decided,
    accepted: input.accept,
    decidedBy: input.userId,
    decidedAt: decided.decidedAt ?? at,
    rechecked,
  });
  return { definition: decided, rechecked, message };
}

/**
 * Re-checks the waiting leads against `accepted`, and again against whichever version became
 * active meanwhile: of two acceptances at once, the checks of the one left active are written last.
 */
async function recheckUntilSettled(
  repos: Repositories,
  workspaceId: string,
  accepted: AgreedDefinition,
): Promise<number> {
  for (let definition = accepted; ; ) {
    const rechecked = await recheckWaitingLeads(repos, workspaceId, definition);
    const active = await repos.agreedDefinitions.active(workspaceId);
    if (!active || active.version === definition.version) return rechecked;
    definition = active;
  }
}

async function recheckWaitingLeads(
  repos: Repositories,
  workspaceId: string,
  definition: AgreedDefinition,
): Promise<number> {
  let offset = 0;
  for (;;) {
    const { leads } = await repos.leads.unreviewed(workspaceId, { offset, limit: RECHECK_PAGE });
    for (const lead of leads)
      await repos.leads.setDefinition(workspaceId, lead.id, checkLead(definition, lead));
    offset += leads.length;
    if (leads.length < RECHECK_PAGE) return offset;
  }
}
