import type { Repositories } from "../db/repositories/index.ts";
import type { AgreedDefinition } from "../domain/agreed-definition.ts";
import type { Workspace } from "../domain/workspace.ts";
import type { Logger } from "../log.ts";
import { type SlackGateway, slackErrorCode } from "../outbound/slack/gateway.ts";
import { definitionProposalMessage, whoCanAccept } from "../presentation/slack/definition.ts";
import { backtestDefinition } from "./backtest-definition.ts";
import { logUnexpected } from "./error-notice.ts";

/**
 * A stored proposal, with its backtest, posted to the sales and marketing channels for the other
 * team (or to the proposer, to forward, when no team channel is set). A channel the app cannot
 * post in is named to the proposer with how to invite the app.
 */
export async function shareDefinitionProposal(
  deps: {
    repos: Pick<Repositories, "hindsight">;
    gateway: SlackGateway;
    log: Logger;
    now: () => Date;
  },
  input: {
    workspace: Workspace;
    proposal: AgreedDefinition;
    previous: AgreedDefinition | undefined;
    proposedBy: string;
  },
): Promise<void> {
  const { workspace, proposal, previous, proposedBy } = input;
  const { gateway } = deps;
  const message = definitionProposalMessage({
    proposal,
    previous,
    whoCanAccept: whoCanAccept(proposedBy, workspace),
    backtest: await backtestDefinition(deps, {
      workspaceId: workspace.id,
      active: previous?.rules,
      proposed: proposal.rules,
      now: deps.now(),
    }).then(
      (figures) => ({ figures, currency: workspace.currency }),
      // The proposal is posted without its backtest rather than not at all.
      (error: unknown) => {
        logUnexpected(deps, { error, where: "backtest a proposed definition" });
        return undefined;
      },
    ),
  });
  const channels = [
    ...new Set(
      [workspace.salesChannelId, workspace.marketingChannelId].filter(
        (c): c is string => c !== null,
      ),
    ),
  ];
  for (const channel of channels.length > 0 ? channels : [proposedBy]) {
    try {
      await gateway.postMessage(channel, message);
    } catch (error) {
      deps.log.warn("could not post a definition proposal", {
        channel,
        error: slackErrorCode(error) ?? String(error),
      });
      await gateway
        .postMessage(proposedBy, {
          text: `Your proposal (version ${proposal.version}) could not be posted to <#${channel}> (${slackErrorCode(error) ?? "error"}). Invite the app there with \`/invite @Leadfit\`.`,
          blocks: [],
        })
        .catch(() => {});
    }
  }
}
