import type { Deps } from "../../../deps.ts";
import { toStorableText } from "../../../domain/storable.ts";
import { addContextNoteByCommand } from "../../../services/add-context-note.ts";
import { hindsightAnswer } from "../../../services/build-hindsight.ts";
import { campaignReport } from "../../../services/campaign-report.ts";
import { userMessageOf } from "../../../services/error-notice.ts";
import { openFeedbackModalForText } from "../../../services/find-lead.ts";
import { lastWeekDigest } from "../../../services/last-week-digest.ts";
import { leadfitHelp } from "../../../services/leadfit-help.ts";
import { openFeedbackModal } from "../../../services/open-feedback-modal.ts";
import { currentDefinition } from "../../../services/show-definition.ts";
import type { CommandArgs } from "../listener-args.ts";
import { triggerRequestKey } from "../parse/request-keys.ts";
import { logRepeat, reportError } from "../report-error.ts";
import { workspaceFor } from "../workspace-of-request.ts";

/**
 * `/leadfit` — no argument: feedback on any lead (picker); `<email or id>`: feedback on that lead;
 * `note <text>`, `definition`, `digest preview`, `report [campaign]`, `hindsight [campaign]`,
 * `help`. Anything else gets the help, never silence. The same command sent again (its trigger id) stores no second note and
 * opens no second modal.
 */
export function leadfitCommand(deps: Deps) {
  return async ({ command, ack, gateway, respond }: CommandArgs): Promise<void> => {
    let acknowledged = false;
    const acknowledge: typeof ack = async (response) => {
      acknowledged = true;
      await ack(response);
    };
    try {
      // Slack text is people's text: made storable rather than refused.
      const text = toStorableText(command.text).trim();
      const [first = "", ...rest] = text.split(/\s+/);
      const word = first.toLowerCase();
      // Read only where needed: help and the lead lookup are acknowledged without it.
      const loadWorkspace = () => workspaceFor(deps, command.team_id);
      const requestKey = triggerRequestKey(command.trigger_id);
      if (word === "") {
        await acknowledge();
        const opened = await openFeedbackModal(
          { ...deps, gateway },
          {
            workspaceId: (await loadWorkspace()).id,
            lead: undefined,
            triggerId: command.trigger_id,
            requestKey,
            channelId: command.channel_id,
          },
        );
        if (!opened) logRepeat(deps, requestKey, "open the feedback modal");
      } else if (word === "help") {
        await acknowledge(leadfitHelp());
      } else if (word === "note") {
        const added = await addContextNoteByCommand(deps, {
          workspace: await loadWorkspace(),
          author: command.user_id,
          text: rest.join(" "),
          requestKey,
        });
        if (added.repeat) {
          await acknowledge();
          return logRepeat(deps, requestKey, "/leadfit note");
        }
        await acknowledge({ response_type: "ephemeral", ...added.value });
      } else if (word === "definition") {
        await acknowledge(await currentDefinition(deps, { workspaceId: command.team_id }));
      } else if (word === "digest" && rest[0]?.toLowerCase() === "preview") {
        // A digest takes longer to build than Slack waits: answered after the acknowledgement.
        await acknowledge();
        const message = await lastWeekDigest(deps, { workspace: await loadWorkspace() });
        await respond({ response_type: "ephemeral", ...message });
      } else if (word === "report") {
        // A week's figures per campaign can take longer than Slack waits: answered after the ack.
        await acknowledge();
        const message = await campaignReport(deps, {
          workspace: await loadWorkspace(),
          campaignKey: rest[0] ?? null,
        });
        await respond({ response_type: "ephemeral", ...message });
      } else if (word === "hindsight") {
        // A year of leads and outcomes can take longer than Slack waits: answered after the ack.
        await acknowledge();
        const message = await hindsightAnswer(deps, {
          workspace: await loadWorkspace(),
          userId: command.user_id,
          campaignKey: rest[0] ?? null,
          now: deps.now(),
        });
        await respond({ response_type: "ephemeral", ...message });
      } else if (rest.length > 0) {
        // Emails and CRM ids are one word: several words that are no subcommand get the help.
        await acknowledge(leadfitHelp());
      } else {
        // The lookup comes after the acknowledgement; what it finds is answered through the
        // command's response URL.
        await acknowledge();
        const { repeat, answer } = await openFeedbackModalForText(
          { ...deps, gateway },
          {
            workspaceId: command.team_id,
            text,
            triggerId: command.trigger_id,
            requestKey,
            channelId: command.channel_id,
          },
        );
        if (repeat) logRepeat(deps, requestKey, "open the feedback modal");
        if (answer) await respond({ response_type: "ephemeral", ...answer });
      }
    } catch (error) {
      if (acknowledged) return reportError(deps, error, "/leadfit", respond);
      await reportError(deps, error, "/leadfit");
      await ack({ response_type: "ephemeral", text: userMessageOf({ error }) });
    }
  };
}
