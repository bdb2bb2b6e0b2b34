import type { KnownBlock } from "@slack/types";
import type { WaitingLead } from "../../domain/lead.ts";
import { leadHeadline } from "./lead-card.ts";
import type { Message } from "./message.ts";
import { dayText, mrkdwn, plural, slackDate } from "./text.ts";

/** Since when a lead waits: its arrival, or for a lead back from not yet, its revisit date. */
function waitingSince(lead: WaitingLead): string {
  const back = lead.backFromNotYet;
  if (!back) return `since ${slackDate(lead.createdAt)}`;
  return `🔁 back from not yet${back.revisitOn ? ` since ${dayText(back.revisitOn)}` : ""}`;
}

/** The daily reminder in the sales channel: leads waiting past the review SLA. */
export function overdueReminder(input: {
  leads: WaitingLead[];
  total: number;
  slaHours: number;
}): Message {
  const headline = `⏰ ${plural(input.total, "lead")} waiting for a verdict for more than ${input.slaHours} hours`;
  const lines = input.leads.map((lead) => `• ${leadHeadline(lead)} · ${waitingSince(lead)}`);
  const more = input.total - input.leads.length;
  const blocks: KnownBlock[] = [
    { type: "section", text: mrkdwn(`*${headline}*`) },
    { type: "section", text: mrkdwn(lines.join("\n").slice(0, 2900) || "—") },
    {
      type: "context",
      elements: [
        mrkdwn(
          `${more > 0 ? `And ${more} more. ` : ""}Give each a verdict from its card, \`/leadfit &lt;email&gt;\` or Leadfit's Home tab.`,
        ),
      ],
    },
  ];
  return { text: headline, blocks };
}
