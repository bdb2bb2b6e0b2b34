import type { Repositories } from "../db/repositories/index.ts";
import { type IsoWeek, lastCompleteWeek } from "../domain/week.ts";
import { type Workspace, workspaceTimezone } from "../domain/workspace.ts";
import type { Message } from "../presentation/slack/message.ts";
import { reportMessage } from "../presentation/slack/report.ts";
import { buildDigest } from "./build-digest.ts";

/**
 * `/leadfit report [campaign]` and a digest's "Campaign report": a week's figures beside the
 * feedback, per campaign or for one, just for the person asking (with a button to post it, chart
 * and all, to the channel). The week is the last complete one unless given.
 */
export async function campaignReport(
  deps: { repos: Repositories; now: () => Date },
  input: { workspace: Workspace; week?: IsoWeek; campaignKey: string | null },
): Promise<Message> {
  const { workspace, campaignKey } = input;
  const { digest } = await buildDigest(deps, {
    workspace,
    week: input.week ?? lastCompleteWeek(deps.now(), workspaceTimezone(workspace)),
    campaignKey,
  });
  return reportMessage({ digest, ephemeral: true });
}
