import type {
  InputBlock,
  KnownBlock,
  ModalView,
  MultiStaticSelect,
  PlainTextOption,
} from "@slack/types";
import type { Lead, LeadFeedback } from "../../domain/lead.ts";
import { DEFAULT_REVISIT_DAYS } from "../../domain/revisit.ts";
import type { Reason } from "../../domain/taxonomy.ts";
import { groupReasonsByOwner } from "../../domain/taxonomy.ts";
import type { Verdict } from "../../domain/verdict.ts";
import { VERDICT_NOTE_MAX, VERDICTS } from "../../domain/verdict.ts";
import { ACTIONS, INPUTS, VIEWS } from "./ids.ts";
import { leadFactsBlocks } from "./lead-card.ts";
import { checkPrivateMetadata, MAX_OPTION_TEXT, option, pickOptions } from "./limits.ts";
import { mrkdwn, plain, slackDate, truncate, userMention, verdictText } from "./text.ts";

export interface FeedbackModalInput {
  lead: Lead | null;
  campaignName: string | null;
  current: LeadFeedback | null;
  reasons: Reason[];
  initialVerdict?: Verdict;
  /** The revisit date the picker starts on, "YYYY-MM-DD": the current one, else the default. */
  revisitOn: string;
  privateMetadata: string;
}

/** Options for the lead picker's options-load response: at most 100, text at most 75. */
export function leadOptions(leads: readonly { id: string; label: string }[]): PlainTextOption[] {
  return pickOptions(leads, (l) => l.id).map((l) => option(l.label, l.id));
}

function verdictOption(verdict: Verdict): PlainTextOption {
  return option(verdictText(verdict), verdict);
}

function leadPickerInput(): InputBlock {
  return {
    type: "input",
    block_id: INPUTS.lead,
    label: plain("Lead"),
    element: {
      type: "external_select",
      action_id: ACTIONS.leadPicker,
      min_query_length: 2,
      placeholder: plain("Name, email or company"),
      focus_on_load: true,
    },
  };
}

function currentVerdictContext(current: LeadFeedback): KnownBlock {
  const verdict = verdictText(current.verdict);
  return {
    type: "context",
    elements: [
      mrkdwn(
        `Current verdict: ${verdict} by ${userMention(current.userId)} on ${slackDate(current.givenAt)}`,
      ),
    ],
  };
}

/**
 * At most 100 reason options, grouped by who can act. Reasons already chosen come first so they
 * can be shown as selected; the order within each group is the taxonomy's.
 */
function reasonsSelect(reasons: readonly Reason[], selected: readonly string[]): MultiStaticSelect {
  const kept = pickOptions(reasons, (r) => r.key, selected);
  const select: MultiStaticSelect = {
    type: "multi_static_select",
    action_id: INPUTS.reasons,
    placeholder: plain("Pick one or more"),
    option_groups: groupReasonsByOwner(kept).map((group) => ({
      label: plain(truncate(group.label, MAX_OPTION_TEXT)),
      options: group.reasons.map((r) => option(r.label, r.key)),
    })),
  };
  const initial = (select.option_groups ?? [])
    .flatMap((g) => g.options)
    .filter((o) => o.value !== undefined && selected.includes(o.value));
  if (initial.length > 0) select.initial_options = initial;
  return select;
}

/** The feedback modal: a lead (picked here when not given), a verdict, reasons and a note. */
export function feedbackModal(input: FeedbackModalInput): ModalView {
  const { lead, current } = input;
  const blocks: KnownBlock[] = [];
  if (lead === null) {
    blocks.push(leadPickerInput());
  } else {
    blocks.push(...leadFactsBlocks(lead, input.campaignName));
    if (current) blocks.push(currentVerdictContext(current));
  }

  const options = VERDICTS.map(verdictOption);
  const initialVerdict = input.initialVerdict ?? current?.verdict;
  const initialOption = options.find((o) => o.value === initialVerdict);
  blocks.push({
    type: "input",
    block_id: INPUTS.verdict,
    label: plain("Verdict"),
    hint: plain("Not yet = right profile, wrong timing: it never counts as a bad lead."),
    element: {
      type: "radio_buttons",
      action_id: INPUTS.verdict,
      options,
      ...(initialOption ? { initial_option: initialOption } : {}),
    },
  });

  blocks.push({
    type: "input",
    block_id: INPUTS.revisitOn,
    optional: true,
    label: plain("Revisit on (Not yet)"),
    hint: plain(
      `On this date the lead comes back to sales, once. Default: ${DEFAULT_REVISIT_DAYS} days on.`,
    ),
    element: { type: "datepicker", action_id: INPUTS.revisitOn, initial_date: input.revisitOn },
  });

  const selected = current?.verdict === "not_fit" ? current.reasons : [];
  if (input.reasons.length > 0) {
    blocks.push({
      type: "input",
      block_id: INPUTS.reasons,
      optional: true,
      label: plain("Reasons (required for Not a fit)"),
      element: reasonsSelect(input.reasons, selected),
    });
  } else {
    blocks.push({
      type: "context",
      elements: [mrkdwn("No reasons are set up for this workspace yet.")],
    });
  }

  const note = current?.note ? truncate(current.note, VERDICT_NOTE_MAX) : "";
  blocks.push({
    type: "input",
    block_id: INPUTS.note,
    optional: true,
    label: plain("Note"),
    element: {
      type: "plain_text_input",
      action_id: INPUTS.note,
      multiline: true,
      max_length: VERDICT_NOTE_MAX,
      placeholder: plain("What sales saw, for marketing to act on"),
      ...(note ? { initial_value: note } : {}),
    },
  });

  return {
    type: "modal",
    callback_id: VIEWS.feedback,
    title: plain("Lead feedback"),
    submit: plain("Save"),
    close: plain("Cancel"),
    private_metadata: checkPrivateMetadata(input.privateMetadata),
    blocks,
  };
}
