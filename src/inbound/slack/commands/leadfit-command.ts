import type { Deps } from "../../../deps.ts";
import type { Lead } from "../../../domain/lead.ts";
import { toStorableText } from "../../../domain/storable.ts";
import { contextNoteSaved } from "../../../presentation/slack/context-note.ts";
import { helpMessage, noLeadMatches, otherMatchesNote } from "../../../presentation/slack/help.ts";
import { addContextNote } from "../../../services/add-context-note.ts";
import { hindsightAnswer } from "../../../services/build-hindsight.ts";
import { campaignReport } from "../../../services/campaign-report.ts";
import { userMessageOf } from "../../../services/error-notice.ts";
import { findLead } from "../../../services/find-lead.ts";
import { lastWeekDigest } from "../../../services/last-week-digest.ts";
import { openVerdictModal } from "../../../services/open-verdict-modal.ts";
import { currentDefinition } from "../../../services/show-definition.ts";
import type { CommandArgs } from "../listener-args.ts";
import { triggerRequestKey } from "../parse/request-keys.ts";
import { logRepeat, reportError } from "../report-error.ts";
import { workspaceFor } from "../workspace-of-request.ts";

/**
 * `/leadfit` — no argument: feedback on any lead (picker); `<email or id>`: feedback on that lead;
 * `note <text>`, `definition`, `digest preview`, `report [campaign]`, `hindsight [campaign]`,
 * `help`. Anything else gets
 * the help, never silence. The same command sent again (its trigger id) stores no second note and
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
      const openVerdictModalOnce = async (input: {
        workspaceId: string;
        lead: Lead | undefined;
      }) => {
        const requestKey = triggerRequestKey(command.trigger_id);
        const opened = await openVerdictModal(
          { ...deps, gateway },
          { ...input, triggerId: command.trigger_id, requestKey, channelId: command.channel_id },
        );
        if (!opened) logRepeat(deps, requestKey, "open the verdict modal");
        return opened;
      };
      if (word === "") {
        await acknowledge();
        await openVerdictModalOnce({ workspaceId: (await loadWorkspace()).id, lead: undefined });
      } else if (word === "help") {
        await acknowledge(helpMessage());
      } else if (word === "note") {
        const requestKey = triggerRequestKey(command.trigger_id);
        const added = await addContextNote(deps, {
          workspace: await loadWorkspace(),
          author: command.user_id,
          text: rest.join(" "),
          requestKey,
        });
        if (added.repeat) {
          await acknowledge();
          return logRepeat(deps, requestKey, "/leadfit note");
        }
        await acknowledge({
          response_type: "ephemeral",
          text: contextNoteSaved({ note: added.value }),
        });
      } else if (word === "definition") {
        await acknowledge(await currentDefinition(deps, { workspaceId: command.team_id }));
      } else if (word === "digest" && rest[0]?.toLowerCase() === "preview") {
        // A digest takes longer to build than Slack waits: answered after the acknowledgement.
        await acknowledge();
        const message = await lastWeekDigest(deps, { workspace: await loadWorkspace() });
        await respond({ response_type: "ephemeral", ...message });
      } else if (word === "report") {
        const message = await campaignReport(deps, {
          workspace: await loadWorkspace(),
          campaignKey: rest[0] ?? null,
        });
        await acknowledge({ response_type: "ephemeral", ...message });
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
        await acknowledge(helpMessage());
      } else {
        // The lookup comes after the acknowledgement; what it finds is answered through the
        // command's response URL.
        await acknowledge();
        const match = await findLead(deps, { workspaceId: command.team_id, text });
        if (!match) {
          await respond({ response_type: "ephemeral", ...noLeadMatches(text) });
          return;
        }
        // The lead was found in the team's workspace: it exists, no need to read it.
        const opened = await openVerdictModalOnce({
          workspaceId: command.team_id,
          lead: match.lead,
        });
        if (opened && match.others > 0) {
          await respond({
            response_type: "ephemeral",
            text: otherMatchesNote(match.others, match.lead.email),
          });
        }
      }
    } catch (error) {
      if (acknowledged) return reportError(deps, error, "/leadfit", respond);
      await reportError(deps, error, "/leadfit");
      await ack({ response_type: "ephemeral", text: userMessageOf(error) });
    }
  };
}
