import type { ActionsBlock, KnownBlock, ModalView } from "@slack/types";
import type { AgreedDefinition, AgreedDefinitionState } from "../../domain/agreed-definition.ts";
import { backtestLines, type DefinitionBacktest } from "../../domain/definition-backtest.ts";
import type { RuleDocument } from "../../domain/definition-rules.ts";
import { BUILT_IN_FIELDS, formatRule, RULE_OPS } from "../../domain/definition-rules.ts";
import { ACTIONS, INPUTS, VIEWS } from "./ids.ts";
import { MAX_TEXT_INPUT } from "./limits.ts";
import type { Message } from "./message.ts";
import {
  button,
  codeBlock,
  escapeAndTruncate,
  escapeMrkdwn,
  mrkdwn,
  oneLine,
  plain,
  plural,
  slackDate,
  truncate,
  userMention,
} from "./text.ts";

/** Versions listed by the history message; older ones are counted. */
export const MAX_HISTORY_VERSIONS = 10;

const MAX_RULE_LINE = 300;

/**
 * Lines escaped for mrkdwn and cut to fit `budget` characters in a code block; when some do not
 * fit, the last line says how many more there are.
 */
function fitLines(lines: readonly string[], budget: number, noun: string): string[] {
  const shown: string[] = [];
  let used = 8; // the code block's fences and line breaks
  for (const [i, line] of lines.entries()) {
    const text = escapeAndTruncate(line, MAX_RULE_LINE);
    const rest = lines.length - i - 1;
    const reserve = rest > 0 ? 30 : 0;
    if (used + text.length + 1 + reserve > budget) {
      shown.push(`… ${plural(lines.length - i, `more ${noun}`)}`);
      return shown;
    }
    shown.push(text);
    used += text.length + 1;
  }
  return shown;
}

function ruleLines(rules: RuleDocument): string[] {
  return rules.all.map((rule) => oneLine(formatRule(rule)));
}

/** The rules, one per line, in a code block of at most `budget` characters. */
function rulesCodeBlock(rules: RuleDocument, budget: number): string {
  const lines = ruleLines(rules);
  return codeBlock(lines.length === 0 ? ["(no rules)"] : fitLines(lines, budget, "rule"));
}

/** "agreed by <@U1> and <@U2> on <date>". */
function agreedBy(definition: AgreedDefinition): string {
  const when = slackDate(definition.decidedAt ?? definition.proposedAt);
  const proposer = userMention(definition.proposedBy);
  return definition.decidedBy === null
    ? `proposed by ${proposer} on ${when}`
    : `agreed by ${proposer} and ${userMention(definition.decidedBy)} on ${when}`;
}

/** Ephemeral answer to `/leadfit definition`. */
export function definitionMessage(input: { active: AgreedDefinition | undefined }): Message {
  const { active } = input;
  const actions: ActionsBlock = {
    type: "actions",
    elements: [
      button(ACTIONS.definitionPropose, active ? "Propose a change" : "Propose a definition"),
      button(ACTIONS.definitionHistory, "History"),
    ],
  };
  if (!active) {
    return {
      text: "No agreed definition yet",
      blocks: [
        {
          type: "section",
          text: mrkdwn(
            "*No agreed definition yet.* Propose one: once someone on the other team accepts it, every new lead is checked against it.",
          ),
        },
        actions,
      ],
    };
  }
  return {
    text: `Agreed lead definition, version ${active.version}`,
    blocks: [
      {
        type: "section",
        text: mrkdwn(`*Agreed lead definition* · version ${active.version}\n${agreedBy(active)}`),
      },
      { type: "section", text: mrkdwn(rulesCodeBlock(active.rules, 2800)) },
      actions,
    ],
  };
}

const STATE_LABELS: Record<AgreedDefinitionState, string> = {
  active: "✅ active",
  proposed: "🕐 waiting for a decision",
  superseded: "superseded",
  declined: "❌ declined",
};

function historyEntry(definition: AgreedDefinition): string {
  const lines = [
    `*Version ${definition.version}* · ${STATE_LABELS[definition.state]}`,
    `Proposed by ${userMention(definition.proposedBy)} on ${slackDate(definition.proposedAt)}`,
  ];
  if (definition.decidedBy !== null) {
    const verb = definition.state === "declined" ? "declined" : "accepted";
    const when = definition.decidedAt ? ` on ${slackDate(definition.decidedAt)}` : "";
    lines[1] += ` · ${verb} by ${userMention(definition.decidedBy)}${when}`;
  }
  lines.push(rulesCodeBlock(definition.rules, 350));
  return lines.join("\n");
}

/** Every version, newest first: the ten newest in full, the older ones counted. */
export function definitionHistoryMessage(versions: AgreedDefinition[]): Message {
  const sorted = [...versions].sort((a, b) => b.version - a.version);
  if (sorted.length === 0) {
    return {
      text: "No agreed definition has been proposed yet",
      blocks: [{ type: "section", text: mrkdwn("No agreed definition has been proposed yet.") }],
    };
  }
  const shown = sorted.slice(0, MAX_HISTORY_VERSIONS);
  const blocks: KnownBlock[] = [
    { type: "section", text: mrkdwn("*Agreed lead definition — history*") },
    ...shown.map((d): KnownBlock => ({ type: "section", text: mrkdwn(historyEntry(d)) })),
  ];
  const more = sorted.length - shown.length;
  if (more > 0) {
    blocks.push({
      type: "context",
      elements: [mrkdwn(`and ${plural(more, "more version")}`)],
    });
  }
  return {
    text: `Agreed lead definition history: ${plural(sorted.length, "version")}`,
    blocks,
  };
}

const SYNTAX_HINT = `One rule per line: \`employees >= 50\` · \`region in NA, EU\` · \`budget exists\` — operators ${RULE_OPS.join(" ")}`;

/** The modal to propose a new version, prefilled with the current rules. */
export function definitionModal(input: { currentText: string; fields: string[] }): ModalView {
  const known = [...new Set(input.fields.map(oneLine).filter((f) => f !== ""))];
  const fieldsText =
    known.length === 0
      ? "No qualification fields seen yet."
      : `Known fields: ${escapeAndTruncate(known.join(", "), 1500)}`;
  return {
    type: "modal",
    callback_id: VIEWS.definition,
    title: plain("Agreed definition"),
    submit: plain("Propose"),
    close: plain("Cancel"),
    blocks: [
      {
        type: "input",
        block_id: INPUTS.rules,
        label: plain("Rules"),
        element: {
          type: "plain_text_input",
          action_id: INPUTS.rules,
          multiline: true,
          max_length: MAX_TEXT_INPUT,
          placeholder: plain("employees >= 50"),
          ...(input.currentText.trim() === ""
            ? {}
            : { initial_value: wholeLines(input.currentText, MAX_TEXT_INPUT) }),
        },
      },
      {
        type: "context",
        elements: [
          mrkdwn(escapeMrkdwn(SYNTAX_HINT)),
          mrkdwn(
            `${fieldsText} Always available: ${BUILT_IN_FIELDS.join(", ")}. Someone on the other team accepts or declines the proposal.`,
          ),
        ],
      },
    ],
  };
}

/** Text cut at a line break so no rule is left half-written; a single long line is cut. */
function wholeLines(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.lastIndexOf("\n", max);
  return cut > 0 ? text.slice(0, cut) : truncate(text, max);
}

/** Rules removed ("- …") then added ("+ …") compared with the previous version. */
function ruleChanges(previous: RuleDocument, next: RuleDocument): string[] {
  const before = ruleLines(previous);
  const after = ruleLines(next);
  return [
    ...before.filter((line) => !after.includes(line)).map((line) => `- ${line}`),
    ...after.filter((line) => !before.includes(line)).map((line) => `+ ${line}`),
  ];
}

function proposalHeadline(proposal: AgreedDefinition, tense: "proposes" | "proposed"): string {
  return `${userMention(proposal.proposedBy)} ${tense} version ${proposal.version} of the agreed lead definition`;
}

function backtestText(
  backtest: DefinitionBacktest,
  versions: { active: number | null; proposed: number },
  currency: string,
): string {
  const { heading, scope, lines } = backtestLines(backtest, versions, currency);
  return [`*${heading}* ${scope}`, ...lines].join("\n");
}

/** Who can accept a proposal, in words for the proposal message. */
export function whoCanAccept(
  proposedBy: string,
  teams: { salesTeam: readonly string[]; marketingTeam: readonly string[] },
): string {
  if (teams.salesTeam.includes(proposedBy))
    return "Someone on the marketing team can accept or decline it.";
  if (teams.marketingTeam.includes(proposedBy))
    return "Someone on the sales team can accept or decline it.";
  if (teams.salesTeam.length === 0 && teams.marketingTeam.length === 0) {
    return "Anyone but the proposer can accept or decline it (set the sales and marketing teams in Leadfit's settings to require the other team).";
  }
  return "Someone on the sales or marketing team can accept or decline it.";
}

/** The proposal posted for the other team to accept or decline. */
export function definitionProposalMessage(input: {
  proposal: AgreedDefinition;
  previous: AgreedDefinition | undefined;
  whoCanAccept: string;
  /** The backtest, when it could be made. */
  backtest?: { figures: DefinitionBacktest; currency: string } | undefined;
}): Message {
  const { proposal, previous } = input;
  const headline = proposalHeadline(proposal, "proposes");
  const blocks: KnownBlock[] = [
    { type: "section", text: mrkdwn(`*${headline}*`) },
    { type: "section", text: mrkdwn(rulesCodeBlock(proposal.rules, 2400)) },
  ];
  if (previous) {
    const changes = ruleChanges(previous.rules, proposal.rules);
    blocks.push({
      type: "section",
      text: mrkdwn(
        changes.length === 0
          ? `No rule changes from version ${previous.version}.`
          : `*What changes from version ${previous.version}*\n${codeBlock(fitLines(changes, 1800, "change"))}`,
      ),
    });
  }
  if (input.backtest) {
    const versions = { active: previous?.version ?? null, proposed: proposal.version };
    blocks.push({
      type: "section",
      text: mrkdwn(backtestText(input.backtest.figures, versions, input.backtest.currency)),
    });
  }
  const who = truncate(input.whoCanAccept.trim(), 1000);
  if (who !== "") blocks.push({ type: "context", elements: [mrkdwn(who)] });
  const value = String(proposal.version);
  blocks.push({
    type: "actions",
    elements: [
      button(ACTIONS.definitionAccept, "Accept", { style: "primary", value }),
      button(ACTIONS.definitionDecline, "Decline", { style: "danger", value }),
    ],
  });
  return { text: headline, blocks };
}

/** The proposal message once decided: the buttons are replaced by the outcome. */
export function definitionDecidedMessage(input: {
  proposal: AgreedDefinition;
  accepted: boolean;
  decidedBy: string;
  decidedAt: Date;
  rechecked?: number;
}): Message {
  const { proposal } = input;
  const by = `${userMention(input.decidedBy)} on ${slackDate(input.decidedAt)}`;
  let outcome: string;
  if (input.accepted) {
    const rechecked =
      input.rechecked === undefined
        ? "."
        : `; ${plural(input.rechecked, "waiting lead")} re-checked.`;
    outcome = `✅ Version ${proposal.version} accepted by ${by}${rechecked}`;
  } else {
    outcome = `❌ Declined by ${by}.`;
  }
  return {
    text: input.accepted
      ? `Version ${proposal.version} of the agreed lead definition accepted`
      : `Version ${proposal.version} of the agreed lead definition declined`,
    blocks: [
      { type: "section", text: mrkdwn(`*${proposalHeadline(proposal, "proposed")}*`) },
      { type: "section", text: mrkdwn(rulesCodeBlock(proposal.rules, 2400)) },
      { type: "section", text: mrkdwn(outcome) },
    ],
  };
}
