import type { InputBlock, KnownBlock, ModalView, StaticSelect } from "@slack/types";
import type { ContextNote } from "../../domain/context-note.ts";
import type { MetricDefinition } from "../../domain/metrics.ts";
import { INPUTS, VIEWS } from "./ids.ts";
import {
  checkPrivateMetadata,
  MAX_TEXT_INPUT,
  metricOption,
  option,
  pickOptions,
} from "./limits.ts";
import { escapeAndTruncate, oneLine, plain, truncate } from "./text.ts";

export interface ContextNoteModalInput {
  /** Weeks to choose from, value = ISO week ("2026-W47"), label e.g. "2026-W47 (Nov 16–22)". */
  weeks: { value: string; label: string }[];
  initialWeek: string;
  campaigns: { key: string; name: string }[];
  metrics: MetricDefinition[];
  text: string;
  privateMetadata: string;
}

function staticSelect(
  actionId: string,
  placeholder: string,
  options: StaticSelect["options"] & {},
  initialValue?: string,
): StaticSelect {
  const initial = options.find((o) => o.value === initialValue);
  return {
    type: "static_select",
    action_id: actionId,
    placeholder: plain(placeholder),
    options,
    ...(initial ? { initial_option: initial } : {}),
  };
}

/** The modal to attach a human note to a week, optionally to a campaign and a metric. */
export function contextNoteModal(input: ContextNoteModalInput): ModalView {
  const weekChoices =
    input.weeks.length > 0 ? input.weeks : [{ value: input.initialWeek, label: input.initialWeek }];
  const weeks = pickOptions(weekChoices, (w) => w.value, [input.initialWeek]);
  const campaigns = pickOptions(input.campaigns, (c) => c.key);
  const metrics = pickOptions(input.metrics, (m) => m.key);
  const blocks: KnownBlock[] = [];
  if (weeks.length > 0) {
    blocks.push({
      type: "input",
      block_id: INPUTS.week,
      label: plain("Week"),
      element: staticSelect(
        INPUTS.week,
        "Pick a week",
        weeks.map((w) => option(w.label, w.value)),
        input.initialWeek,
      ),
    });
  }
  if (campaigns.length > 0) {
    blocks.push({
      type: "input",
      block_id: INPUTS.campaign,
      optional: true,
      label: plain("Campaign"),
      hint: plain("Leave empty when the note is about the whole week."),
      element: staticSelect(
        INPUTS.campaign,
        "Any campaign",
        campaigns.map((c) => option(c.name, c.key)),
      ),
    });
  }
  if (metrics.length > 0) {
    blocks.push({
      type: "input",
      block_id: INPUTS.metric,
      optional: true,
      label: plain("Metric"),
      element: staticSelect(INPUTS.metric, "Any metric", metrics.map(metricOption)),
    });
  }
  const text = truncate(input.text.trim(), MAX_TEXT_INPUT);
  const textInput: InputBlock = {
    type: "input",
    block_id: INPUTS.text,
    label: plain("What happened"),
    hint: plain("Shown with that week's digest, in reports, and as a marker on charts."),
    element: {
      type: "plain_text_input",
      action_id: INPUTS.text,
      multiline: true,
      max_length: MAX_TEXT_INPUT,
      placeholder: plain(
        "e.g. Webinar moved to Thursday; the paid search budget ran out on Friday",
      ),
      ...(text === "" ? {} : { initial_value: text }),
    },
  };
  blocks.push(textInput);
  return {
    type: "modal",
    callback_id: VIEWS.contextNote,
    title: plain("Add context"),
    submit: plain("Save"),
    close: plain("Cancel"),
    private_metadata: checkPrivateMetadata(input.privateMetadata),
    blocks,
  };
}

const MAX_SAVED_TEXT = 500;

/** Mrkdwn confirmation: "📝 Context note added to 2026-W47: …". */
export function contextNoteSaved(input: { note: ContextNote }): string {
  const { note } = input;
  const about = [
    note.campaignKey && `campaign ${escapeAndTruncate(oneLine(note.campaignKey), 100)}`,
    note.metricKey && `metric ${escapeAndTruncate(oneLine(note.metricKey), 100)}`,
  ].filter(Boolean);
  const scope = about.length > 0 ? ` (${about.join(", ")})` : "";
  const text = escapeAndTruncate(oneLine(note.text), MAX_SAVED_TEXT);
  return `📝 Context note added to ${escapeAndTruncate(note.week, 20)}${scope}: “${text}”`;
}
