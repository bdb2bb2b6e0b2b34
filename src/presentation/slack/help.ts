import { COMMAND } from "./ids.ts";
import type { Message } from "./message.ts";
import { escapeAndTruncate, escapeMrkdwn, mrkdwn, oneLine, plural } from "./text.ts";

const COMMANDS: readonly [string, string][] = [
  [COMMAND, "give feedback on any lead (pick it in the form)"],
  [`${COMMAND} <email or lead id>`, "give feedback on that lead"],
  [`${COMMAND} note <text>`, "add context to this week's numbers"],
  [`${COMMAND} definition`, "see the agreed lead definition, or propose a change"],
  [`${COMMAND} digest preview`, "last week's digest, just for you"],
  [`${COMMAND} report [campaign]`, "last week's figures beside the feedback, per campaign"],
  [`${COMMAND} hindsight [campaign]`, "what became of the leads sales judged, the last 12 months"],
  [`${COMMAND} help`, "show this help"],
];

/** Short ephemeral help for `/leadfit`, also the answer to input it does not understand. */
export function helpMessage(): Message {
  const lines = COMMANDS.map(
    ([command, what]) => `\`${escapeAndTruncate(command, 100)}\` — ${what}`,
  );
  return {
    text: escapeMrkdwn(`Leadfit: ${COMMANDS.map(([command]) => command).join(", ")}`),
    blocks: [
      {
        type: "section",
        text: mrkdwn(`*Leadfit* puts sales' verdicts on marketing's leads.\n${lines.join("\n")}`),
      },
      {
        type: "context",
        elements: [
          mrkdwn(
            "⏳ *Not yet* = right profile, wrong timing: it never counts as a bad lead. Lead cards in the sales channel and the app's Home tab have the same buttons.",
          ),
        ],
      },
    ],
  };
}

/** "No lead matches “…”. Try an email or the CRM id." */
export function noLeadMatches(query: string): Message {
  const text = `No lead matches “${escapeAndTruncate(oneLine(query), 100)}”. Try an email or the CRM id.`;
  return { text, blocks: [{ type: "section", text: mrkdwn(text) }] };
}

/** Mrkdwn: "2 other leads share this email (ana@acme.com); showing the newest." */
export function otherMatchesNote(count: number, email: string): string {
  const others = count === 1 ? "1 other lead shares" : `${plural(count, "other lead")} share`;
  return `${others} this email (${escapeAndTruncate(oneLine(email), 200)}); showing the newest.`;
}
