import type { KnownBlock, ModalView, PlainTextOption } from "@slack/types";
import {
  DEFAULT_TIME,
  DEFAULT_WEEKDAY,
  type DigestSchedule,
  WEEKDAYS,
} from "../../domain/digest-schedule.ts";
import { INPUTS, VIEWS } from "./ids.ts";
import { MAX_VIEW_BLOCKS } from "./limits.ts";
import type { Message } from "./message.ts";
import { channelMention, mrkdwn, plain, truncate } from "./text.ts";

const WEEKDAY_OPTIONS: PlainTextOption[] = WEEKDAYS.map((day, index) => ({
  text: plain(day),
  value: String(index + 1),
}));

const ENABLED_OPTION: PlainTextOption = {
  text: plain("Post the digest on this schedule"),
  value: "enabled",
};

/**
 * Adds or edits a digest schedule: its channel, a weekday and time or a cron expression, its
 * zone. Editing carries the schedule's id in `private_metadata`.
 */
export function scheduleModal(input: {
  schedule: DigestSchedule | null;
  workspaceTimezone: string;
}): ModalView {
  const { schedule } = input;
  const weekday = WEEKDAY_OPTIONS[(schedule?.weekday ?? DEFAULT_WEEKDAY) - 1];
  const enabled = schedule?.enabled ?? true;
  return {
    type: "modal",
    callback_id: VIEWS.schedule,
    private_metadata: schedule?.id ?? "",
    title: plain(schedule ? "Edit digest schedule" : "New digest schedule"),
    submit: plain("Save"),
    close: plain("Cancel"),
    blocks: [
      {
        type: "input",
        block_id: INPUTS.digestChannel,
        label: plain("Channel"),
        hint: plain("The weekly digest is posted here; its thread is where both teams discuss it."),
        element: {
          type: "conversations_select",
          action_id: INPUTS.digestChannel,
          placeholder: plain("Pick a channel"),
          filter: { include: ["public", "private"], exclude_bot_users: true },
          ...(schedule ? { initial_conversation: schedule.channelId } : {}),
        },
      },
      {
        type: "input",
        block_id: INPUTS.weekday,
        label: plain("Weekday"),
        element: {
          type: "static_select",
          action_id: INPUTS.weekday,
          options: WEEKDAY_OPTIONS,
          ...(weekday ? { initial_option: weekday } : {}),
        },
      },
      {
        type: "input",
        block_id: INPUTS.time,
        label: plain("Time"),
        hint: plain("Each digest reports the last complete week (Monday to Sunday) before it."),
        element: {
          type: "timepicker",
          action_id: INPUTS.time,
          initial_time: schedule?.time ?? DEFAULT_TIME,
        },
      },
      {
        type: "input",
        block_id: INPUTS.cron,
        optional: true,
        label: plain("Or a cron expression"),
        hint: plain(
          "Five fields (minute hour day-of-month month weekday), e.g. 30 8 * * 1. Wins over weekday and time.",
        ),
        element: {
          type: "plain_text_input",
          action_id: INPUTS.cron,
          max_length: 100,
          ...(schedule?.cron ? { initial_value: truncate(schedule.cron, 100) } : {}),
        },
      },
      {
        type: "input",
        block_id: INPUTS.timezone,
        optional: true,
        label: plain("Timezone"),
        hint: plain(
          truncate(
            `IANA name, e.g. Europe/Berlin. Empty: the workspace's (${input.workspaceTimezone}).`,
            150,
          ),
        ),
        element: {
          type: "plain_text_input",
          action_id: INPUTS.timezone,
          max_length: 100,
          ...(schedule?.timezone ? { initial_value: truncate(schedule.timezone, 100) } : {}),
        },
      },
      {
        type: "input",
        block_id: INPUTS.enabled,
        optional: true,
        label: plain("On"),
        element: {
          type: "checkboxes",
          action_id: INPUTS.enabled,
          options: [ENABLED_OPTION],
          ...(enabled ? { initial_options: [ENABLED_OPTION] } : {}),
        },
      },
    ],
  };
}

/**
 * The digest as the schedule's channel would get it, in a modal: the message's blocks without its
 * buttons (they act on a posted digest).
 */
export function digestPreviewModal(input: { message: Message; channelId: string }): ModalView {
  const note = `Preview for ${channelMention(input.channelId)}. When posted, its charts go into the digest's thread.`;
  const blocks: KnownBlock[] = [
    { type: "context", elements: [mrkdwn(note)] },
    ...input.message.blocks.filter((b) => b.type !== "actions"),
  ];
  return {
    type: "modal",
    title: plain("Digest preview"),
    close: plain("Close"),
    blocks: blocks.slice(0, MAX_VIEW_BLOCKS),
  };
}
