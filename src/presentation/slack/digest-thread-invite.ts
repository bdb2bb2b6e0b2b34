import { MAX_BUTTON_VALUE } from "./digest-sections.ts";
import { esc } from "./digest-text.ts";
import { ACTIONS } from "./ids.ts";
import type { Message } from "./message.ts";
import { button, mrkdwn, plural } from "./text.ts";

/** The first reply in the digest's thread: the place to discuss the week and add context. */
export function digestThreadInvite(input: { week: string; needsContext: number }): Message {
  const week = esc(input.week, 40);
  const lines = [
    "💬 *Discuss this week here.* Something the numbers don't show? Use *Add context* to attach a note to the week, a campaign or a metric: it appears in reports and on the charts.",
  ];
  if (input.needsContext > 0) {
    lines.push(
      `${plural(input.needsContext, "metric")} moved sharply without a note: see *Needs context* above.`,
    );
  }
  return {
    text: `Discuss ${week} here. Something the numbers don't show? Use Add context.`,
    blocks: [
      {
        type: "section",
        text: mrkdwn(lines.join("\n")),
        accessory: button(
          ACTIONS.digestAddContext,
          "Add context",
          input.week !== "" && input.week.length <= MAX_BUTTON_VALUE ? { value: input.week } : {},
        ),
      },
    ],
  };
}
