import type { ModalView } from "@slack/types";
import type { Repositories } from "../db/repositories/index.ts";
import { type IsoWeek, lastCompleteWeek } from "../domain/week.ts";
import { type Workspace, workspaceTimezone } from "../domain/workspace.ts";
import type { AdminDirectory } from "../outbound/slack/admins.ts";
import type { SlackGateway } from "../outbound/slack/gateway.ts";
import { noticeModal } from "../presentation/slack/notice.ts";
import { channelMention } from "../presentation/slack/text.ts";
import { postDigest } from "./post-digest.ts";
import { requireAdmin } from "./require-admin.ts";

/**
 * Posts the last complete week's digest to a schedule's channel now (admins only). It claims no
 * scheduled run: the scheduled digest still goes out at its time. `sent` says where it went.
 */
export async function sendDigestNow(
  deps: { repos: Repositories; admins: AdminDirectory; gateway: SlackGateway; now: () => Date },
  input: { workspace: Workspace; userId: string; scheduleId: string },
): Promise<{ channel: string; ts: string; week: IsoWeek; sent: ModalView }> {
  const { workspace } = input;
  await requireAdmin(deps, { workspace, userId: input.userId });
  const schedule = await deps.repos.schedules.get(workspace.id, input.scheduleId);
  const week = lastCompleteWeek(deps.now(), workspaceTimezone(workspace));
  const posted = await postDigest(deps, {
    workspace,
    week,
    channelId: schedule.channelId,
  });
  const link = await deps.gateway.permalink(posted.channel, posted.ts).catch(() => null);
  const sent = noticeModal(
    "Digest sent",
    `The digest was posted to ${channelMention(posted.channel)}${link ? ` (<${link}|open it>)` : ""}. The scheduled digest still goes out at its time.`,
  );
  return { ...posted, week, sent };
}
