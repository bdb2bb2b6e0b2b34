import { describe, expect, it } from "vitest";
import type { DigestSchedule } from "../../../src/domain/digest-schedule.ts";
import { ACTIONS, INPUTS, VIEWS } from "../../../src/presentation/slack/ids.ts";
import {
  digestPreviewModal,
  scheduleModal,
} from "../../../src/presentation/slack/schedule-modal.ts";
import { expectWithinSlackLimits } from "../../support/block-kit-limits.ts";
import { HUGE } from "./fixtures.ts";

const schedule: DigestSchedule = {
  id: "00000000-0000-4000-8000-000000000001",
  workspaceId: "T1",
  channelId: "C0DIGEST",
  weekday: 3,
  time: "07:45",
  cron: "0 8 * * 1",
  timezone: "Asia/Tokyo",
  enabled: false,
  skipWeek: null,
  createdAt: new Date("2026-11-01T00:00:00Z"),
};

type Element = { initial_option?: { value: string }; initial_time?: string; [k: string]: unknown };

function elementOf(view: ReturnType<typeof scheduleModal>, id: string): Element {
  const block = view.blocks.find((b) => b.block_id === id) as { element: Element } | undefined;
  if (!block) throw new Error(`no block ${id}`);
  return block.element;
}

describe("scheduleModal", () => {
  it("starts a new schedule on Mondays at 09:00, on, in the workspace's zone", () => {
    const view = scheduleModal({ schedule: null, workspaceTimezone: "Europe/Berlin" });
    expect(view.callback_id).toBe(VIEWS.schedule);
    expect(view.private_metadata).toBe("");
    expect(elementOf(view, INPUTS.weekday).initial_option?.value).toBe("1");
    expect(elementOf(view, INPUTS.time).initial_time).toBe("09:00");
    expect(elementOf(view, INPUTS.enabled).initial_options).toHaveLength(1);
    expect(JSON.stringify(view)).toContain("Empty: the workspace's (Europe/Berlin)");
    expectWithinSlackLimits(view);
  });

  it("fills in the schedule being edited and carries its id", () => {
    const view = scheduleModal({ schedule, workspaceTimezone: HUGE });
    expect(view.private_metadata).toBe(schedule.id);
    expect(elementOf(view, INPUTS.digestChannel).initial_conversation).toBe("C0DIGEST");
    expect(elementOf(view, INPUTS.weekday).initial_option?.value).toBe("3");
    expect(elementOf(view, INPUTS.time).initial_time).toBe("07:45");
    expect(elementOf(view, INPUTS.cron).initial_value).toBe("0 8 * * 1");
    expect(elementOf(view, INPUTS.timezone).initial_value).toBe("Asia/Tokyo");
    expect(elementOf(view, INPUTS.enabled).initial_options).toBeUndefined();
    expectWithinSlackLimits(view);
  });
});

describe("digestPreviewModal", () => {
  it("shows the digest's blocks without its buttons", () => {
    const view = digestPreviewModal({
      channelId: "C0DIGEST",
      message: {
        text: "Weekly digest",
        blocks: [
          { type: "header", text: { type: "plain_text", text: "Weekly digest" } },
          {
            type: "actions",
            elements: [
              {
                type: "button",
                action_id: ACTIONS.digestAddContext,
                text: { type: "plain_text", text: "Add context" },
              },
            ],
          },
        ],
      },
    });
    expect(view.blocks.map((b) => b.type)).toEqual(["context", "header"]);
    expect(JSON.stringify(view)).toContain("<#C0DIGEST>");
    expectWithinSlackLimits(view);
  });
});
