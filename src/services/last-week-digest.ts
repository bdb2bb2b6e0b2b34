import type { ModalView } from "@slack/types";
import type { Repositories } from "../db/repositories/index.ts";
import { lastCompleteWeek } from "../domain/week.ts";
import { type Workspace, workspaceTimezone } from "../domain/workspace.ts";
import { digestMessage } from "../presentation/slack/digest.ts";
import type { Message } from "../presentation/slack/message.ts";
import { digestPreviewModal } from "../presentation/slack/schedule-modal.ts";
import { buildDigest } from "./build-digest.ts";

type LastWeekDeps = { repos: Repositories; now: () => Date };

/**
 * `/leadfit digest preview`: the digest of the last complete week (Monday to Sunday before now, in
 * the workspace's timezone), just for the person asking;
 * without its charts, which a message only they see cannot carry.
 */
export async function lastWeekDigest(
  deps: LastWeekDeps,
  input: { workspace: Workspace },
): Promise<Message> {
  const { workspace } = input;
  const { digest } = await buildDigest(deps, {
    workspace,
    week: lastCompleteWeek(deps.now(), workspaceTimezone(workspace)),
  });
  return digestMessage({ digest, charts: [] });
}

/** A schedule's "Preview": the digest its channel would get for the last complete week, in a modal. */
export async function lastWeekDigestPreview(
  deps: LastWeekDeps,
  input: { workspace: Workspace; scheduleId: string },
): Promise<ModalView> {
  const [schedule, message] = await Promise.all([
    deps.repos.schedules.get(input.workspace.id, input.scheduleId),
    lastWeekDigest(deps, input),
  ]);
  return digestPreviewModal({ message, channelId: schedule.channelId });
}
