import type { KnownBlock } from "@slack/types";
import type { Lead } from "../../domain/lead.ts";
import { leadHeadline } from "./lead-card.ts";
import type { Message } from "./message.ts";
import { mrkdwn, plural, slackDate } from "./text.ts";

/** The daily reminder in the sales channel: leads waiting past the review SLA. */
export function overdueReminder(input: {
  leads: Lead[];
  total: number;
  slaHours: number;
}): Message {
  const headline = `⏰ ${plural(input.total, "lead")} waiting for a verdict for more than ${input.slaHours} hours`;
  const lines = input.leads.map(
    (lead) => `• ${leadHeadline(lead)} · since ${slackDate(lead.createdAt)}`,
  );
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
