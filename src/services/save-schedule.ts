import type { ModalView } from "@slack/types";
import type { Repositories } from "../db/repositories/index.ts";
import { isAppError } from "../domain/app-error.ts";
import { cronProblem } from "../domain/digest-fire-times.ts";
import type { DigestSchedule, ScheduleInput } from "../domain/digest-schedule.ts";
import { isValidTimeZone } from "../domain/week.ts";
import type { Workspace } from "../domain/workspace.ts";
import type { AdminDirectory } from "../outbound/slack/admins.ts";
import type { SlackGateway } from "../outbound/slack/gateway.ts";
import { noticeModal } from "../presentation/slack/notice.ts";
import { requireAdmin } from "./require-admin.ts";
import { joinNotice } from "./save-settings.ts";

export type ScheduleField = "channel" | "cron" | "timezone";

export type SaveScheduleResult =
  | { ok: true; schedule: DigestSchedule; notice: ModalView | null }
  | { ok: false; problems: Partial<Record<ScheduleField, string>> };

/**
 * Creates or changes a digest schedule (admins only, checked here): a valid cron expression and
 * zone, one schedule per channel. The app joins the channel, or its notice says how to invite
 * it. Every replica's scheduler picks the change up within a minute.
 */
export async function saveSchedule(
  deps: { repos: Repositories; admins: AdminDirectory; gateway: SlackGateway },
  input: { workspace: Workspace; userId: string; id: string | null; form: ScheduleInput },
): Promise<SaveScheduleResult> {
  const { workspace, userId, form } = input;
  await requireAdmin(deps, { workspace, userId });
  const problems: Partial<Record<ScheduleField, string>> = {};
  const cron = form.cron ? cronProblem(form.cron) : null;
  if (cron) problems.cron = cron;
  if (form.timezone && !isValidTimeZone(form.timezone)) {
    problems.timezone = `"${form.timezone}" is not a known time zone. Use an IANA name such as Europe/Berlin, or leave it empty for the workspace's.`;
  }
  if (Object.keys(problems).length > 0) return { ok: false, problems };
  let schedule: DigestSchedule;
  try {
    schedule = await deps.repos.schedules.save(workspace.id, userId, {
      ...form,
      ...(input.id ? { id: input.id } : {}),
    });
  } catch (error) {
    if (isAppError(error) && error.code === "channel_taken") {
      return { ok: false, problems: { channel: error.userMessage } };
    }
    throw error;
  }
  const joining = await joinNotice(deps, { channel: schedule.channelId });
  return { ok: true, schedule, notice: joining ? noticeModal("Schedule saved", joining) : null };
}
