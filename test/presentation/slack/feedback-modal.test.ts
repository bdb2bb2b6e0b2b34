import type {
  ContextBlock,
  InputBlock,
  KnownBlock,
  MultiStaticSelect,
  PlainTextInput,
  RadioButtons,
} from "@slack/types";
import { describe, expect, it } from "vitest";
import { AppError } from "../../../src/domain/app-error.ts";
import { DEFAULT_REASONS, REASON_OWNER_LABELS } from "../../../src/domain/taxonomy.ts";
import { VERDICT_NOTE_MAX } from "../../../src/domain/verdict.ts";
import {
  type FeedbackModalInput,
  feedbackModal,
  leadOptions,
} from "../../../src/presentation/slack/feedback-modal.ts";
import { ACTIONS, INPUTS, VIEWS } from "../../../src/presentation/slack/ids.ts";
import { expectWithinSlackLimits } from "../../support/block-kit-limits.ts";
import {
  expectEscaped,
  HUGE,
  makeExtremeLead,
  makeFeedback,
  makeLead,
  makeReasons,
  NOW_TOKEN,
} from "./fixtures.ts";

function inputBlock(blocks: unknown[], id: string): InputBlock {
  const block = (blocks as KnownBlock[]).find(
    (b): b is InputBlock => b.type === "input" && b.block_id === id,
  );
  if (!block) throw new Error(`no input ${id}`);
  return block;
}

const base: FeedbackModalInput = {
  lead: makeLead(),
  campaignName: "q4-webinar",
  current: null,
  reasons: [...DEFAULT_REASONS],
  revisitOn: "2027-03-06",
  privateMetadata: JSON.stringify({ leadId: "lead_01", channel: "C1", ts: "1.2" }),
};

describe("feedbackModal", () => {
  it("is the verdict view with its title, buttons and metadata", () => {
    const view = feedbackModal(base);
    expect(view).toMatchObject({
      type: "modal",
      callback_id: VIEWS.feedback,
      title: { type: "plain_text", text: "Lead feedback" },
      submit: { type: "plain_text", text: "Save" },
      close: { type: "plain_text", text: "Cancel" },
      private_metadata: base.privateMetadata,
    });
    expectWithinSlackLimits(view);
  });

  it("asks for a lead with an external select when none is given", () => {
    const view = feedbackModal({ ...base, lead: null });
    const picker = view.blocks[0] as InputBlock;
    expect(picker.block_id).toBe(INPUTS.lead);
    expect(picker.element).toMatchObject({
      type: "external_select",
      action_id: ACTIONS.leadPicker,
      min_query_length: 2,
      placeholder: { text: "Name, email or company" },
    });
    expectWithinSlackLimits(view);
  });

  it("shows the lead's facts and definition check when the lead is known", () => {
    const view = feedbackModal(base);
    expect(JSON.stringify(view.blocks[0])).toContain("*Ana Costa* · CMO at Acme");
    expect((view.blocks[1] as ContextBlock).elements[0]).toMatchObject({
      text: "✓ Meets the agreed definition (v3)",
    });
    expect(view.blocks.some((b) => b.type === "input" && b.block_id === INPUTS.lead)).toBe(false);
  });

  it("offers the three verdicts with the hint about not yet, none preselected", () => {
    const verdict = inputBlock(feedbackModal(base).blocks, INPUTS.verdict);
    const radio = verdict.element as RadioButtons;
    expect(radio.action_id).toBe(INPUTS.verdict);
    expect(radio.options.map((o) => [o.text.text, o.value])).toEqual([
      ["✅ Good fit", "fit"],
      ["⏳ Not yet", "not_yet"],
      ["❌ Not a fit", "not_fit"],
    ]);
    expect(radio.initial_option).toBeUndefined();
    expect(verdict.hint?.text).toBe(
      "Not yet = right profile, wrong timing: it never counts as a bad lead.",
    );
  });

  it("preselects the clicked verdict", () => {
    const view = feedbackModal({ ...base, initialVerdict: "not_fit" });
    const radio = inputBlock(view.blocks, INPUTS.verdict).element as RadioButtons;
    expect(radio.initial_option?.value).toBe("not_fit");
    expectWithinSlackLimits(view);
  });

  it("groups the reasons by who can act, values being reason keys", () => {
    const reasons = inputBlock(feedbackModal(base).blocks, INPUTS.reasons);
    expect(reasons.optional).toBe(true);
    expect(reasons.label.text).toBe("Reasons (required for Not a fit)");
    const select = reasons.element as MultiStaticSelect;
    expect(select.type).toBe("multi_static_select");
    expect(select.action_id).toBe(INPUTS.reasons);
    expect(select.option_groups?.map((g) => g.label.text)).toEqual(
      Object.values(REASON_OWNER_LABELS),
    );
    expect(select.option_groups?.[1]?.options.map((o) => o.value)).toEqual([
      "duplicate",
      "invalid_contact",
    ]);
    expect(select.initial_options).toBeUndefined();
  });

  it("prefills everything from the current verdict", () => {
    const current = makeFeedback({
      verdict: "not_fit",
      reasons: ["no_budget", "wrong_role"],
      note: "Said <no> & hung up",
      userId: "U5",
    });
    const view = feedbackModal({ ...base, current });
    const context = view.blocks[2] as ContextBlock;
    expect(context.elements[0]).toMatchObject({
      text: `Current verdict: ❌ Not a fit by <@U5> on ${NOW_TOKEN}`,
    });
    const radio = inputBlock(view.blocks, INPUTS.verdict).element as RadioButtons;
    expect(radio.initial_option).toEqual(radio.options[2]);
    const select = inputBlock(view.blocks, INPUTS.reasons).element as MultiStaticSelect;
    expect(select.initial_options?.map((o) => o.value)).toEqual(["wrong_role", "no_budget"]);
    const note = inputBlock(view.blocks, INPUTS.note).element as PlainTextInput;
    expect(note).toMatchObject({
      type: "plain_text_input",
      action_id: INPUTS.note,
      multiline: true,
      max_length: VERDICT_NOTE_MAX,
      initial_value: "Said <no> & hung up",
    });
    expect(inputBlock(view.blocks, INPUTS.note).optional).toBe(true);
    expectWithinSlackLimits(view);
  });

  it("shows the current verdict as context and lets the click override it", () => {
    const current = makeFeedback({ verdict: "not_yet", userId: "U5" });
    const view = feedbackModal({ ...base, current, initialVerdict: "fit" });
    expect(JSON.stringify(view.blocks)).toContain("Current verdict: ⏳ Not yet by <@U5>");
    const radio = inputBlock(view.blocks, INPUTS.verdict).element as RadioButtons;
    expect(radio.initial_option?.value).toBe("fit");
    const select = inputBlock(view.blocks, INPUTS.reasons).element as MultiStaticSelect;
    expect(select.initial_options).toBeUndefined();
  });

  it("works without any reasons set up", () => {
    const view = feedbackModal({ ...base, reasons: [] });
    expect(view.blocks.some((b) => b.block_id === INPUTS.reasons)).toBe(false);
    expectWithinSlackLimits(view);
  });

  it("asks when a not-yet lead comes back, starting on the date given", () => {
    const revisit = inputBlock(feedbackModal(base).blocks, INPUTS.revisitOn);
    expect(revisit.optional).toBe(true);
    expect(revisit.element).toMatchObject({ type: "datepicker", initial_date: "2027-03-06" });
    expect(revisit.hint?.text).toContain("90 days");
  });

  it("refuses private_metadata Slack would reject", () => {
    expect(() => feedbackModal({ ...base, privateMetadata: "x".repeat(3001) })).toThrow(AppError);
  });
});

describe("feedbackModal with extreme data", () => {
  const reasons = makeReasons(300, true);
  const chosen = ["reason_3", "reason_299", "reason_150"];
  const view = feedbackModal({
    lead: makeExtremeLead(),
    campaignName: HUGE,
    current: makeFeedback({ verdict: "not_fit", reasons: chosen, note: HUGE, userId: "U5" }),
    reasons,
    revisitOn: "2027-03-06",
    privateMetadata: "m".repeat(3000),
  });
  const select = inputBlock(view.blocks, INPUTS.reasons).element as MultiStaticSelect;
  const options = select.option_groups?.flatMap((g) => g.options) ?? [];

  it("stays within Slack's limits", () => {
    expectWithinSlackLimits(view);
    expectEscaped(view);
  });

  it("offers at most 100 reasons, keeping the chosen ones selected", () => {
    expect(options).toHaveLength(100);
    expect(select.initial_options?.map((o) => o.value).sort()).toEqual([...chosen].sort());
    for (const o of options) expect(o.text.text.length).toBeLessThanOrEqual(75);
  });

  it("cuts the note to the input's maximum", () => {
    const note = inputBlock(view.blocks, INPUTS.note).element as PlainTextInput;
    expect(note.initial_value?.length).toBeLessThanOrEqual(VERDICT_NOTE_MAX);
  });
});

describe("leadOptions", () => {
  it("makes one option per lead, value = lead id", () => {
    expect(leadOptions([{ id: "lead_01", label: "Ana Costa · Acme · ana@acme.example" }])).toEqual([
      {
        text: { type: "plain_text", text: "Ana Costa · Acme · ana@acme.example", emoji: true },
        value: "lead_01",
      },
    ]);
  });

  it("returns at most 100 options with text of at most 75 characters", () => {
    const leads = Array.from({ length: 150 }, (_, i) => ({ id: `lead_${i}`, label: HUGE }));
    const options = leadOptions(leads);
    expect(options).toHaveLength(100);
    expect(options[99]?.value).toBe("lead_99");
    for (const o of options) expect(o.text.text.length).toBeLessThanOrEqual(75);
    expectWithinSlackLimits({
      type: "modal",
      title: { type: "plain_text", text: "t" },
      blocks: [
        {
          type: "section",
          text: { type: "mrkdwn", text: "x" },
          accessory: { type: "static_select", action_id: "a", options },
        },
      ],
    });
  });
});
