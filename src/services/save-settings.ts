import type { ModalView } from "@slack/types";
import type { Repositories } from "../db/repositories/index.ts";
import { checkSettings, type SettingsField, type SettingsInput } from "../domain/settings-check.ts";
import type { Workspace } from "../domain/workspace.ts";
import type { AdminDirectory } from "../outbound/slack/admins.ts";
import { type SlackGateway, slackErrorCode } from "../outbound/slack/gateway.ts";
import { noticeModal } from "../presentation/slack/notice.ts";
import { requireAdmin } from "./require-admin.ts";

export type SaveSettingsResult =
  | { ok: true; notice: ModalView | null }
  | { ok: false; problems: Partial<Record<SettingsField, string>> };

/**
 * Saves an admin's settings (checked on the server) and joins the channels they picked; the
 * notice says what the admin still has to do about a channel, when anything.
 */
export async function saveSettings(
  deps: { repos: Repositories; admins: AdminDirectory; gateway: SlackGateway },
  input: { workspace: Workspace; userId: string; form: SettingsInput },
): Promise<SaveSettingsResult> {
  await requireAdmin(deps, input);
  const checked = checkSettings(input.form, await deps.repos.metrics.catalogue(input.workspace.id));
  if (!checked.ok) return checked;
  await deps.repos.workspaces.saveSettings(input.workspace.id, checked.settings, input.userId);
  const notices: string[] = [];
  for (const channel of new Set([
    checked.settings.salesChannelId,
    checked.settings.marketingChannelId,
  ])) {
    const notice = channel ? await joinNotice(deps, { channel }) : null;
    if (notice) notices.push(notice);
  }
  return {
    ok: true,
    notice: notices.length > 0 ? noticeModal("Settings saved", notices.join("\n\n")) : null,
  };
}

/**
 * Joins a channel an admin picked for the app to post in; null when the app is in it, else what
 * the admin should do (a private channel, or a Slack error such as a missing scope).
 */
export async function joinNotice(
  deps: { gateway: SlackGateway },
  { channel }: { channel: string },
): Promise<string | null> {
  try {
    const joined = await deps.gateway.joinChannel(channel);
    return joined.joined ? null : joined.reason;
  } catch (error) {
    const code = slackErrorCode(error);
    if (!code) throw error;
    return `Leadfit could not join <#${channel}> (${code}): invite it with \`/invite @Leadfit\`.`;
  }
}
