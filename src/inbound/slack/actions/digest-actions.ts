import type { Deps } from "../../../deps.ts";
import { parseIsoWeek } from "../../../domain/week.ts";
import { reportMessage } from "../../../presentation/slack/report.ts";
import { buildDigest } from "../../../services/build-digest.ts";
import { postDigest } from "../../../services/post-digest.ts";
import type { ButtonArgs } from "../listener-args.ts";
import { openContextNoteModal } from "../open-context-note-modal.ts";
import { parseJsonValue, reportValue, weekValue } from "../parse/values.ts";
import { reportError } from "../report-error.ts";
import { interactionWorkspace } from "../workspace-of-request.ts";

/** "Add context" on a digest: a note for its week, posted in the digest's thread. */
export function addContextButton(deps: Deps) {
  return async ({ ack, body, action, gateway, respond }: ButtonArgs): Promise<void> => {
    await ack();
    try {
      const week = weekValue.parse(action.value);
      const workspace = await interactionWorkspace(deps, body);
      // The thread is the digest message's (or, from the invitation in the thread, its parent's).
      const message = body.message as { ts: string; thread_ts?: string } | undefined;
      const channelId = body.channel?.id;
      await openContextNoteModal(deps, gateway, {
        workspace,
        triggerId: body.trigger_id,
        text: "",
        week: parseIsoWeek(week),
        metadata:
          channelId && message
            ? { thread: { channelId, ts: message.thread_ts ?? message.ts } }
            : {},
      });
    } catch (error) {
      await reportError(deps, error, "add context from a digest", respond);
    }
  };
}

/** "Campaign report" on a digest: the week's figures per campaign, just for the person asking. */
export function campaignReportButton(deps: Deps) {
  return async ({ ack, body, action, respond }: ButtonArgs): Promise<void> => {
    await ack();
    try {
      const value = parseJsonValue(reportValue, action.value);
      const workspace = await interactionWorkspace(deps, body);
      const { digest } = await buildDigest(deps.repos, {
        workspace,
        week: parseIsoWeek(value?.week ?? ""),
        campaignKey: value?.campaign ?? null,
      });
      await respond({
        response_type: "ephemeral",
        replace_original: false,
        ...reportMessage({ digest, ephemeral: true }),
      });
    } catch (error) {
      await reportError(deps, error, "campaign report", respond);
    }
  };
}

/** "Post to channel with chart": an ephemeral report cannot carry a chart; the posted one can. */
export function postReportButton(deps: Deps) {
  return async ({ ack, body, action, gateway, respond }: ButtonArgs): Promise<void> => {
    await ack();
    try {
      const value = parseJsonValue(reportValue, action.value);
      const channelId = body.channel?.id;
      if (!value || !channelId) throw new Error(`bad report button: ${action.value}`);
      const workspace = await interactionWorkspace(deps, body);
      await postDigest(deps.repos, gateway, {
        workspace,
        week: parseIsoWeek(value.week),
        channelId,
        report: { campaignKey: value.campaign },
      });
    } catch (error) {
      await reportError(deps, error, "post a campaign report", respond);
    }
  };
}

/** "Review pending leads": where they wait. */
export function reviewPendingButton(deps: Deps) {
  return async ({ ack, body, respond }: ButtonArgs): Promise<void> => {
    await ack();
    try {
      const workspace = await interactionWorkspace(deps, body);
      const { total } = await deps.repos.leads.unreviewed(workspace.id, {
        viewerId: body.user.id,
        limit: 1,
      });
      await respond({
        response_type: "ephemeral",
        replace_original: false,
        text:
          total === 0
            ? "Every lead has a verdict. 🎉"
            : `${total} lead${total === 1 ? "" : "s"} wait for a verdict — your own first — in Leadfit's *Home* tab, ten at a time with ✅ ⏳ ❌ on each.`,
      });
    } catch (error) {
      await reportError(deps, error, "review pending leads", respond);
    }
  };
}
