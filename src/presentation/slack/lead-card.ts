import type { ActionsBlock, Button, ContextBlock, KnownBlock, SectionBlock } from "@slack/types";
import type { FieldValue } from "../../domain/definition-rules.ts";
import type { Lead, LeadFeedback, NotYetCameBack } from "../../domain/lead.ts";
import type { Verdict } from "../../domain/verdict.ts";
import { VERDICT_LABELS } from "../../domain/verdict.ts";
import { ACTIONS } from "./ids.ts";
import type { Message } from "./message.ts";
import {
  dayText,
  definitionLine,
  escapeAndTruncate,
  mrkdwn,
  oneLine,
  plain,
  plural,
  present,
  quote,
  slackDate,
  userMention,
  VERDICT_EMOJI,
  verdictText,
} from "./text.ts";

export interface LeadCardInput {
  lead: Lead;
  campaignName: string | null;
  current: { feedback: LeadFeedback; reasonLabels: string[] } | null;
}

/** Qualification fields shown on a card; the rest are counted. */
export const MAX_CARD_FIELDS = 6;

const MAX_NAME = 100;
const MAX_ROLE_PART = 100;
const MAX_CAMPAIGN = 150;
const MAX_EMAIL = 200;
const MAX_FIELD_KEY = 50;
const MAX_FIELD_VALUE = 200;
const MAX_REASONS = 800;
const MAX_NOTE = 800;
const MAX_NOTE_LINES = 10;

function displayName(lead: Lead): string {
  return present(lead.name) ?? present(lead.email) ?? lead.externalId;
}

/** "CMO at Acme", "CMO", "Acme" or null. */
function role(lead: Lead): string | null {
  const title = present(lead.title);
  const company = present(lead.company);
  if (title && company) return `${title} at ${company}`;
  return title ?? company;
}

/** Mrkdwn: "*Ana Costa* · CMO at Acme" (the email stands in for a missing name). */
export function leadHeadline(lead: Lead): string {
  const name = `*${escapeAndTruncate(displayName(lead), MAX_NAME)}*`;
  const title = present(lead.title);
  const company = present(lead.company);
  const parts = [
    title && escapeAndTruncate(title, MAX_ROLE_PART),
    company && escapeAndTruncate(company, MAX_ROLE_PART),
  ].filter((p): p is string => Boolean(p));
  return parts.length === 0 ? name : `${name} · ${parts.join(" at ")}`;
}

function formatFieldValue(value: FieldValue): string {
  if (value === null) return "—";
  if (typeof value === "boolean") return value ? "yes" : "no";
  return present(String(value)) ?? "—";
}

/** "*Campaign*\nq4-webinar"-style fields: campaign, email, created and the first qualification fields. */
function leadFields(lead: Lead, campaignName: string | null): SectionBlock["fields"] {
  const campaign = present(campaignName);
  const fields = [
    mrkdwn(`*Campaign*\n${campaign ? escapeAndTruncate(campaign, MAX_CAMPAIGN) : "—"}`),
    mrkdwn(`*Email*\n${escapeAndTruncate(oneLine(lead.email), MAX_EMAIL) || "—"}`),
    mrkdwn(`*Created*\n${slackDate(lead.createdAt)}`),
  ];
  for (const [key, value] of Object.entries(lead.fields).slice(0, MAX_CARD_FIELDS)) {
    const k = escapeAndTruncate(oneLine(key), MAX_FIELD_KEY) || "—";
    const v = escapeAndTruncate(formatFieldValue(value), MAX_FIELD_VALUE);
    fields.push(mrkdwn(`*${k}:* ${v}`));
  }
  return fields;
}

/** The lead's key facts and how it stands against the agreed definition: a section and a context. */
export function leadFactsBlocks(lead: Lead, campaignName: string | null): KnownBlock[] {
  const section: SectionBlock = {
    type: "section",
    text: mrkdwn(leadHeadline(lead)),
    fields: leadFields(lead, campaignName),
  };
  const context: ContextBlock = {
    type: "context",
    elements: [mrkdwn(escapeAndTruncate(definitionLine(lead.definition), 1000))],
  };
  const hidden = Object.keys(lead.fields).length - MAX_CARD_FIELDS;
  if (hidden > 0) context.elements.push(mrkdwn(`+${plural(hidden, "more field")}`));
  const owner = present(lead.owner);
  if (owner) context.elements.push(mrkdwn(`Owner: ${userMention(owner)}`));
  return [section, context];
}

const VERDICT_ACTIONS: Record<Verdict, string> = {
  fit: ACTIONS.verdictFit,
  not_yet: ACTIONS.verdictNotYet,
  not_fit: ACTIONS.verdictNotFit,
};

const VERDICT_STYLES: Record<Verdict, Button["style"]> = {
  fit: "primary",
  not_yet: undefined,
  not_fit: "danger",
};

/** ✅ Good fit / ⏳ Not yet / ❌ Not a fit, each carrying the lead id. */
export function verdictButtons(leadId: string): ActionsBlock {
  const verdicts: Verdict[] = ["fit", "not_yet", "not_fit"];
  return {
    type: "actions",
    elements: verdicts.map((verdict) => {
      const button: Button = {
        type: "button",
        action_id: VERDICT_ACTIONS[verdict],
        text: plain(verdictText(verdict)),
        value: leadId,
      };
      const style = VERDICT_STYLES[verdict];
      if (style) button.style = style;
      return button;
    }),
  };
}

/** "· revisit on 6 Mar 2027" for a not-yet verdict; nothing for the others. */
function revisitText(feedback: LeadFeedback): string {
  return feedback.revisitOn ? ` · revisit on ${dayText(feedback.revisitOn)}` : "";
}

/** "✅ *Good fit* — by <@U1>, <date>", the reasons and the quoted note. */
function currentVerdictText(feedback: LeadFeedback, reasonLabels: string[]): string {
  const lines = [
    `${VERDICT_EMOJI[feedback.verdict]} *${VERDICT_LABELS[feedback.verdict]}* — by ${userMention(
      feedback.userId,
    )}, ${slackDate(feedback.givenAt)}${revisitText(feedback)}`,
  ];
  const reasons = reasonLabels.map(oneLine).filter((r) => r !== "");
  if (reasons.length > 0) {
    lines.push(`Reasons: ${escapeAndTruncate(reasons.join(", "), MAX_REASONS)}`);
  }
  const note = feedback.note
    ?.split(/\r\n|\r|\n/)
    .map((l) => l.trimEnd())
    .filter((l) => l !== "")
    .slice(0, MAX_NOTE_LINES)
    .join("\n");
  if (note) lines.push(quote(escapeAndTruncate(note, MAX_NOTE)));
  return lines.join("\n");
}

/** A not-yet lead whose revisit date came: it waits for a verdict again. */
export function isBackFromNotYet(feedback: LeadFeedback | null | undefined): boolean {
  return feedback?.verdict === "not_yet" && feedback.cameBackAt !== null;
}

/** "🔁 *Back from not yet* — judged ⏳ by <@U1> on <date>, to revisit on 6 Mar 2027". */
export function backFromNotYetText(feedback: NotYetCameBack): string {
  const revisit = feedback.revisitOn ? `, to revisit on ${dayText(feedback.revisitOn)}` : "";
  return `🔁 *Back from not yet* — judged ${VERDICT_EMOJI.not_yet} by ${userMention(
    feedback.userId,
  )} on ${slackDate(feedback.givenAt)}${revisit}`;
}

/**
 * The lead card posted in the sales channel, and its updated form once a verdict is in. A lead
 * back from not yet asks for a verdict again, saying when and by whom it was put off.
 */
export function leadCardBlocks(input: LeadCardInput): KnownBlock[] {
  const { lead, current } = input;
  const blocks = leadFactsBlocks(lead, input.campaignName);
  if (current === null) {
    blocks.push(verdictButtons(lead.id));
    return blocks;
  }
  if (isBackFromNotYet(current.feedback)) {
    const back: ContextBlock = {
      type: "context",
      elements: [mrkdwn(backFromNotYetText(current.feedback))],
    };
    return [back, ...blocks, verdictButtons(lead.id)];
  }
  blocks.push({
    type: "section",
    text: mrkdwn(currentVerdictText(current.feedback, current.reasonLabels)),
    accessory: {
      type: "button",
      action_id: ACTIONS.verdictChange,
      text: plain("Change"),
      value: lead.id,
    },
  });
  return blocks;
}

const MAX_FALLBACK = 300;

/** Notification text: "New lead: Ana Costa, CMO at Acme (q4-webinar)". */
export function leadCardText(input: LeadCardInput): string {
  const { lead, current } = input;
  const who = [displayName(lead), role(lead)].filter(Boolean).join(", ");
  const campaign = present(input.campaignName);
  const text = campaign ? `${who} (${campaign})` : who;
  const line =
    current === null
      ? `New lead: ${text}`
      : isBackFromNotYet(current.feedback)
        ? `Back from not yet: ${text}`
        : `${text}: ${verdictText(current.feedback.verdict)}`;
  return escapeAndTruncate(line, MAX_FALLBACK);
}

export interface LeadSummaryInput {
  count: number;
  campaignName: string | null;
}

function leadSummaryLine(input: LeadSummaryInput, bold: boolean): string {
  const count = plural(input.count, "new lead");
  const campaign = present(input.campaignName);
  const from = campaign ? ` from ${escapeAndTruncate(campaign, MAX_CAMPAIGN)}` : "";
  return `${bold ? `*${count}*` : count}${from} — review them in the app's Home tab`;
}

/** One message for a large batch of new leads, which then wait on App Home. */
export function leadSummaryBlocks(input: LeadSummaryInput): KnownBlock[] {
  return [{ type: "section", text: mrkdwn(`📥 ${leadSummaryLine(input, true)}`) }];
}

/** "37 new leads from q4-webinar — review them in the app's Home tab". */
export function leadSummaryText(input: LeadSummaryInput): string {
  return leadSummaryLine(input, false);
}

/** What a deleted lead's card becomes: nothing about the lead is left in it. */
export function deletedLeadCard(): Message {
  return {
    text: "A lead was deleted from Leadfit.",
    blocks: [
      {
        type: "context",
        elements: [mrkdwn("🗑️ This lead was deleted from Leadfit, with its verdicts.")],
      },
    ],
  };
}
