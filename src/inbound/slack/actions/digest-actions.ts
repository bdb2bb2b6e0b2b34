import type { Deps } from "../../../deps.ts";
import { parseIsoWeek } from "../../../domain/week.ts";
import { campaignReport } from "../../../services/campaign-report.ts";
import { openContextNoteModal } from "../../../services/open-context-note-modal.ts";
import { pendingLeads } from "../../../services/pending-leads.ts";
import { postDigest } from "../../../services/post-digest.ts";
import type { ButtonArgs } from "../listener-args.ts";
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
      await openContextNoteModal(
        { ...deps, gateway },
        {
          workspace,
          triggerId: body.trigger_id,
          text: "",
          week: parseIsoWeek(week),
          metadata:
            channelId && message
              ? { thread: { channelId, ts: message.thread_ts ?? message.ts } }
              : {},
        },
      );
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
      const message = await campaignReport(deps, {
        workspace,
        week: parseIsoWeek(value?.week ?? ""),
        campaignKey: value?.campaign ?? null,
      });
      await respond({ response_type: "ephemeral", replace_original: false, ...message });
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
      await postDigest(
        { ...deps, gateway },
        {
          workspace,
          week: parseIsoWeek(value.week),
          channelId,
          report: { campaignKey: value.campaign },
        },
      );
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
      const message = await pendingLeads(deps, {
        workspaceId: workspace.id,
        viewerId: body.user.id,
      });
      await respond({ response_type: "ephemeral", replace_original: false, ...message });
    } catch (error) {
      await reportError(deps, error, "review pending leads", respond);
    }
  };
}
