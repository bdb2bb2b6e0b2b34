import type {
  ConversationsSelect,
  InputBlock,
  KnownBlock,
  ModalView,
  MultiUsersSelect,
  NumberInput,
  PlainTextOption,
} from "@slack/types";
import type { MetricDefinition } from "../../domain/metrics.ts";
import { MAX_KPIS } from "../../domain/metrics.ts";
import type { Workspace } from "../../domain/workspace.ts";
import { DEFAULT_TIMEZONE, MAX_ADMINS } from "../../domain/workspace.ts";
import { INPUTS, VIEWS } from "./ids.ts";
import { MAX_TEXT_INPUT, metricOption, option, pickOptions } from "./limits.ts";
import { mrkdwn, plain, truncate } from "./text.ts";

export interface SettingsModalInput {
  workspace: Workspace;
  metrics: MetricDefinition[];
  timezoneSuggestion: string | null;
}

export const REVIEW_SLA_HOURS_RANGE = { min: 1, max: 720 } as const;
export const NEEDS_CONTEXT_THRESHOLD_RANGE = { min: 1, max: 500 } as const;
export const CONVERSION_WINDOW_DAYS_RANGE = { min: 1, max: 730 } as const;
const PER_REP_OPTION = option("Show hindsight per sales rep (to admins only)", "on");

/** Users preselected in a users select; more would only slow the modal down. */
const MAX_INITIAL_USERS = 100;

type InputElement = InputBlock["element"];

function inputBlock(
  id: string,
  label: string,
  element: InputElement,
  extra: { optional?: boolean; hint?: string } = {},
): InputBlock {
  const block: InputBlock = { type: "input", block_id: id, label: plain(label), element };
  if (extra.optional) block.optional = true;
  if (extra.hint) block.hint = plain(extra.hint);
  return block;
}

function channelSelect(id: string, initial: string | null): ConversationsSelect {
  return {
    type: "conversations_select",
    action_id: id,
    placeholder: plain("Pick a channel"),
    filter: { include: ["public", "private"], exclude_bot_users: true },
    ...(initial ? { initial_conversation: initial } : {}),
  };
}

function usersSelect(id: string, initial: readonly string[], max?: number): MultiUsersSelect {
  const users = [...new Set(initial)].slice(0, MAX_INITIAL_USERS);
  return {
    type: "multi_users_select",
    action_id: id,
    placeholder: plain("Pick people"),
    ...(users.length > 0 ? { initial_users: users } : {}),
    ...(max === undefined ? {} : { max_selected_items: max }),
  };
}

function clamp(n: number, range: { min: number; max: number }): number {
  return Math.min(range.max, Math.max(range.min, Math.round(n)));
}

function integerInput(id: string, value: number, range: { min: number; max: number }): NumberInput {
  return {
    type: "number_input",
    action_id: id,
    is_decimal_allowed: false,
    min_value: String(range.min),
    max_value: String(range.max),
    ...(Number.isFinite(value) ? { initial_value: String(clamp(value, range)) } : {}),
  };
}

function header(text: string): KnownBlock {
  return { type: "header", text: plain(text) };
}

/** The admins' settings modal: every input's block id and action id is its INPUTS id. */
export function settingsModal(input: SettingsModalInput): ModalView {
  const { workspace } = input;
  const kpiKeys = workspace.kpis.map((k) => k.metricKey);
  const northStarKey = workspace.northStar?.metricKey;
  const metrics = pickOptions(
    input.metrics,
    (m) => m.key,
    northStarKey ? [northStarKey, ...kpiKeys] : kpiKeys,
  );
  const options = metrics.map(metricOption);
  const byValue = (key: string | undefined): PlainTextOption | undefined =>
    options.find((o) => o.value === key);

  const timezone = workspace.timezone ?? input.timezoneSuggestion ?? DEFAULT_TIMEZONE;
  const currency = workspace.currency.slice(0, 3);

  const blocks: KnownBlock[] = [
    header("Basics"),
    inputBlock(
      INPUTS.timezone,
      "Timezone",
      {
        type: "plain_text_input",
        action_id: INPUTS.timezone,
        max_length: 100,
        initial_value: truncate(timezone, 100),
      },
      { hint: "IANA name, e.g. Europe/Berlin. It decides where each week starts and ends." },
    ),
    inputBlock(
      INPUTS.currency,
      "Currency",
      {
        type: "plain_text_input",
        action_id: INPUTS.currency,
        min_length: 3,
        max_length: 3,
        ...(currency.length === 3 ? { initial_value: currency } : {}),
      },
      { hint: "Three-letter ISO code, e.g. USD or EUR." },
    ),
    inputBlock(
      INPUTS.reviewSlaHours,
      "Review SLA (hours)",
      integerInput(INPUTS.reviewSlaHours, workspace.reviewSlaHours, REVIEW_SLA_HOURS_RANGE),
      { hint: "Leads without a verdict after this long are listed in the daily overdue reminder." },
    ),
    inputBlock(
      INPUTS.needsContextThreshold,
      "Needs context threshold (%)",
      integerInput(
        INPUTS.needsContextThreshold,
        workspace.needsContextThresholdPct,
        NEEDS_CONTEXT_THRESHOLD_RANGE,
      ),
      {
        hint: "A metric that moves more than this vs last week, with no note, gets a request for context.",
      },
    ),

    header("Hindsight"),
    inputBlock(
      INPUTS.conversionWindowDays,
      "Conversion window (days)",
      integerInput(
        INPUTS.conversionWindowDays,
        workspace.conversionWindowDays,
        CONVERSION_WINDOW_DAYS_RANGE,
      ),
      {
        hint: "Leads created this long ago have had their chance to buy: younger ones' hindsight is provisional.",
      },
    ),
    inputBlock(
      INPUTS.hindsightPerRep,
      "Per-rep hindsight",
      {
        type: "checkboxes",
        action_id: INPUTS.hindsightPerRep,
        options: [PER_REP_OPTION],
        ...(workspace.hindsightPerRep ? { initial_options: [PER_REP_OPTION] } : {}),
      },
      { optional: true, hint: "Off by default: how each rep's verdicts turned out is sensitive." },
    ),

    header("Channels and teams"),
    inputBlock(
      INPUTS.salesChannel,
      "Sales channel",
      channelSelect(INPUTS.salesChannel, workspace.salesChannelId),
      { optional: true, hint: "Lead cards and overdue reminders go here." },
    ),
    inputBlock(
      INPUTS.marketingChannel,
      "Marketing channel",
      channelSelect(INPUTS.marketingChannel, workspace.marketingChannelId),
      { optional: true, hint: "Requests for context go here." },
    ),
    inputBlock(INPUTS.salesTeam, "Sales team", usersSelect(INPUTS.salesTeam, workspace.salesTeam), {
      optional: true,
    }),
    inputBlock(
      INPUTS.marketingTeam,
      "Marketing team",
      usersSelect(INPUTS.marketingTeam, workspace.marketingTeam),
      {
        optional: true,
        hint: "A definition proposed by one team is accepted by someone on the other.",
      },
    ),
    inputBlock(
      INPUTS.admins,
      "Extra admins",
      usersSelect(INPUTS.admins, workspace.admins, MAX_ADMINS),
      {
        optional: true,
        hint: "Besides the installer and Slack's workspace owners and admins.",
      },
    ),

    header("North Star and KPIs"),
  ];

  if (options.length === 0) {
    blocks.push({
      type: "section",
      text: mrkdwn("No metrics are defined yet: add some through the API or the CLI first."),
    });
  } else {
    const northStar = byValue(northStarKey);
    blocks.push(
      inputBlock(
        INPUTS.northStar,
        "North Star metric",
        {
          type: "static_select",
          action_id: INPUTS.northStar,
          placeholder: plain("Pick one metric"),
          options,
          ...(northStar ? { initial_option: northStar } : {}),
        },
        { optional: true },
      ),
      inputBlock(
        INPUTS.northStarTarget,
        "North Star weekly target",
        {
          type: "number_input",
          action_id: INPUTS.northStarTarget,
          is_decimal_allowed: true,
          ...(workspace.northStar?.weeklyTarget != null &&
          Number.isFinite(workspace.northStar.weeklyTarget)
            ? { initial_value: String(workspace.northStar.weeklyTarget) }
            : {}),
        },
        { optional: true },
      ),
    );
    const kpis = kpiKeys
      .map((key) => byValue(key))
      .filter((o): o is PlainTextOption => o !== undefined)
      .slice(0, MAX_KPIS);
    blocks.push(
      inputBlock(
        INPUTS.kpis,
        `KPIs (at most ${MAX_KPIS})`,
        {
          type: "multi_static_select",
          action_id: INPUTS.kpis,
          placeholder: plain("Pick up to five metrics"),
          max_selected_items: MAX_KPIS,
          options,
          ...(kpis.length > 0 ? { initial_options: kpis } : {}),
        },
        {
          optional: true,
          hint: "Awareness and engagement KPIs need an outcome beside them (leads, pipeline, revenue or NPS).",
        },
      ),
    );
  }

  const targets = workspace.kpis
    .filter((k) => k.weeklyTarget !== null && Number.isFinite(k.weeklyTarget))
    .map((k) => `${k.metricKey} = ${k.weeklyTarget}`)
    .join("\n");
  blocks.push(
    inputBlock(
      INPUTS.kpiTargets,
      "KPI weekly targets",
      {
        type: "plain_text_input",
        action_id: INPUTS.kpiTargets,
        multiline: true,
        max_length: MAX_TEXT_INPUT,
        placeholder: plain("leads = 40"),
        ...(targets === "" ? {} : { initial_value: truncate(targets, MAX_TEXT_INPUT) }),
      },
      {
        optional: true,
        hint: "One per line: metric key = weekly target, e.g. leads = 40. Leave a KPI out for no target.",
      },
    ),
  );

  return {
    type: "modal",
    callback_id: VIEWS.settings,
    title: plain("Leadfit settings"),
    submit: plain("Save"),
    close: plain("Cancel"),
    blocks,
  };
}
