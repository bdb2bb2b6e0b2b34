import type { ModalView } from "@slack/types";
import type { Repositories } from "../db/repositories/index.ts";
import { campaignAliasModal } from "../presentation/slack/campaign-alias-home.ts";

/** The form adding a campaign alias, naming the workspace's campaign keys to pick from. */
export async function campaignAliasForm(
  deps: { repos: Pick<Repositories, "campaigns"> },
  input: { workspaceId: string },
): Promise<ModalView> {
  const campaigns = await deps.repos.campaigns.list(input.workspaceId);
  return campaignAliasModal(campaigns.map((c) => c.key));
}
