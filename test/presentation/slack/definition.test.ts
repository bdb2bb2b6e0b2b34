import type {
  ActionsBlock,
  ContextBlock,
  InputBlock,
  KnownBlock,
  PlainTextInput,
  SectionBlock,
} from "@slack/types";
import { describe, expect, it } from "vitest";
import {
  definitionDecidedMessage,
  definitionHistoryMessage,
  definitionMessage,
  definitionModal,
  definitionProposalMessage,
  whoCanAccept,
} from "../../../src/presentation/slack/definition.ts";
import { ACTIONS, INPUTS, VIEWS } from "../../../src/presentation/slack/ids.ts";
import { expectWithinSlackLimits } from "../../support/block-kit-limits.ts";
import {
  EVIL,
  expectEscaped,
  HUGE,
  long,
  makeDefinition,
  makeRules,
  NOW,
  NOW_TOKEN,
} from "./fixtures.ts";

function sectionTexts(blocks: KnownBlock[]): string[] {
  return blocks
    .filter((b): b is SectionBlock => b.type === "section")
    .map((b) => b.text?.text ?? "");
}

function actionIds(blocks: KnownBlock[]): (string | undefined)[] {
  return blocks
    .filter((b): b is ActionsBlock => b.type === "actions")
    .flatMap((b) => b.elements.map((e) => e.action_id));
}

describe("definitionMessage", () => {
  it("shows the active rules, one per line, with who agreed and when", () => {
    const message = definitionMessage({ active: makeDefinition() });
    expect(message.text).toBe("Agreed lead definition, version 3");
    expect(sectionTexts(message.blocks)).toEqual([
      `*Agreed lead definition* · version 3\nagreed by <@U1> and <@U2> on ${NOW_TOKEN}`,
      "```\nemployees &gt;= 50\nregion in NA, EU\nbudget exists\n```",
    ]);
    expect(actionIds(message.blocks)).toEqual([
      ACTIONS.definitionPropose,
      ACTIONS.definitionHistory,
    ]);
    expectWithinSlackLimits(message);
  });

  it("says when there is no agreed definition yet", () => {
    const message = definitionMessage({ active: undefined });
    expect(message.text).toBe("No agreed definition yet");
    expect(sectionTexts(message.blocks)[0]).toContain("No agreed definition yet");
    expect(actionIds(message.blocks)).toEqual([
      ACTIONS.definitionPropose,
      ACTIONS.definitionHistory,
    ]);
    expectWithinSlackLimits(message);
  });

  it("fits hundreds of long rules and says how many are left out", () => {
    const message = definitionMessage({
      active: makeDefinition({ rules: makeRules(500), proposedBy: HUGE }),
    });
    expectWithinSlackLimits(message);
    expectEscaped(message);
    expect(sectionTexts(message.blocks)[1]).toMatch(/… \d+ more rules\n```$/);
    // A backtick in a value cannot close the code block early.
    expect(sectionTexts(message.blocks)[1]?.match(/```/g)).toHaveLength(2);
  });
});

describe("definitionHistoryMessage", () => {
  const stateOf = (version: number) =>
    version === 12
      ? "active"
      : version === 11
        ? "proposed"
        : version === 10
          ? "declined"
          : "superseded";
  const versions = [5, 1, 12, 3, 7, 2, 9, 4, 11, 6, 8, 10].map((version) =>
    makeDefinition({ version, state: stateOf(version) }),
  );

  it("lists the ten newest versions first, with their state, and counts the rest", () => {
    const message = definitionHistoryMessage(versions);
    const texts = sectionTexts(message.blocks).slice(1);
    expect(texts.map((t) => /^\*Version (\d+)\*/.exec(t)?.[1])).toEqual([
      "12",
      "11",
      "10",
      "9",
      "8",
      "7",
      "6",
      "5",
      "4",
      "3",
    ]);
    expect(texts[0]).toContain("*Version 12* · ✅ active");
    expect(texts[1]).toContain("*Version 11* · 🕐 waiting for a decision");
    expect(texts[2]).toContain("declined by <@U2>");
    const context = message.blocks.at(-1) as ContextBlock;
    expect(context.elements[0]).toMatchObject({ text: "and 2 more versions" });
    expectWithinSlackLimits(message);
  });

  it("says so when there is no version", () => {
    const message = definitionHistoryMessage([]);
    expect(message.text).toContain("No agreed definition");
    expectWithinSlackLimits(message);
  });

  it("stays within a message's size with long rules in every version", () => {
    const message = definitionHistoryMessage(
      Array.from({ length: 40 }, (_, i) =>
        makeDefinition({ version: i + 1, rules: makeRules(80) }),
      ),
    );
    expect(message.blocks.length).toBeLessThanOrEqual(12);
    expectWithinSlackLimits(message);
    expectEscaped(message);
  });
});

describe("definitionModal", () => {
  const currentText = "employees >= 50\nregion in NA, EU";

  it("is prefilled with the current rules and explains the syntax and the fields", () => {
    const view = definitionModal({ currentText, fields: ["employees", "region", "budget"] });
    expect(view).toMatchObject({
      callback_id: VIEWS.definition,
      title: { text: "Agreed definition" },
      submit: { text: "Propose" },
    });
    const input = view.blocks[0] as InputBlock;
    expect(input.block_id).toBe(INPUTS.rules);
    expect(input.element).toMatchObject({
      type: "plain_text_input",
      action_id: INPUTS.rules,
      multiline: true,
      max_length: 3000,
      initial_value: currentText,
    } satisfies PlainTextInput);
    const context = JSON.stringify(view.blocks[1]);
    expect(context).toContain("employees &gt;= 50");
    expect(context).toContain("region in NA, EU");
    expect(context).toContain("= != &gt; &gt;= &lt; &lt;= in not_in exists");
    expect(context).toContain("Known fields: employees, region, budget");
    expectWithinSlackLimits(view);
  });

  it("cuts very long rule text at a line break and the field list to fit", () => {
    const text = Array.from({ length: 400 }, (_, i) => `field_${i} in ${EVIL}`).join("\n");
    const fields = Array.from({ length: 1000 }, (_, i) => `${EVIL}_${i}`);
    const view = definitionModal({ currentText: text, fields });
    const initial = ((view.blocks[0] as InputBlock).element as PlainTextInput).initial_value ?? "";
    expect(initial.length).toBeLessThanOrEqual(3000);
    expect(text.startsWith(`${initial}\n`)).toBe(true);
    expectWithinSlackLimits(view);
    expectEscaped(view);
  });

  it("leaves the input empty when there is no definition yet", () => {
    const view = definitionModal({ currentText: "", fields: [] });
    expect(
      ((view.blocks[0] as InputBlock).element as PlainTextInput).initial_value,
    ).toBeUndefined();
    expectWithinSlackLimits(view);
  });
});

describe("definitionProposalMessage", () => {
  const previous = makeDefinition({ version: 2 });
  const proposal = makeDefinition({
    version: 3,
    state: "proposed",
    proposedBy: "U3",
    decidedBy: null,
    decidedAt: null,
    rules: {
      all: [
        { field: "employees", op: ">=", value: 100 },
        { field: "region", op: "in", value: ["NA", "EU"] },
      ],
    },
  });
  const whoCanAccept = "Someone on the sales team (<@U1>, <@U2>) can accept.";

  it("shows the rules, what changed, who can accept, and Accept / Decline", () => {
    const message = definitionProposalMessage({ proposal, previous, whoCanAccept });
    expect(message.text).toBe("<@U3> proposes version 3 of the agreed lead definition");
    const texts = sectionTexts(message.blocks);
    expect(texts[0]).toBe("*<@U3> proposes version 3 of the agreed lead definition*");
    expect(texts[1]).toBe("```\nemployees &gt;= 100\nregion in NA, EU\n```");
    expect(texts[2]).toBe(
      "*What changes from version 2*\n```\n- employees &gt;= 50\n- budget exists\n+ employees &gt;= 100\n```",
    );
    const context = message.blocks.find((b): b is ContextBlock => b.type === "context");
    expect(context?.elements[0]).toMatchObject({ text: whoCanAccept });
    const actions = message.blocks.at(-1) as ActionsBlock;
    expect(actions.elements).toMatchObject([
      { action_id: ACTIONS.definitionAccept, style: "primary", value: "3" },
      { action_id: ACTIONS.definitionDecline, style: "danger", value: "3" },
    ]);
    expectWithinSlackLimits(message);
  });

  it("leaves out the changes for a first definition, and says when nothing changed", () => {
    const first = definitionProposalMessage({ proposal, previous: undefined, whoCanAccept });
    expect(sectionTexts(first.blocks)).toHaveLength(2);
    const same = definitionProposalMessage({
      proposal,
      previous: { ...proposal, version: 2 },
      whoCanAccept,
    });
    expect(sectionTexts(same.blocks)[2]).toBe("No rule changes from version 2.");
  });

  it("carries the backtest: what the proposal would have done to the last 180 days' leads", () => {
    const figures = {
      days: 180,
      leads: 1240,
      metBefore: 812,
      metAfter: 784,
      excluded: { leads: 40, reachedOpportunity: 7, won: 3, wonAmount: 48000 },
      included: { leads: 12, reachedOpportunity: 0, won: 0, wonAmount: 0 },
    };
    const message = definitionProposalMessage({
      proposal,
      previous,
      whoCanAccept,
      backtest: { figures, currency: "USD" },
    });
    expect(sectionTexts(message.blocks)[3]).toBe(
      [
        "*Tried on the last 180 days' leads* (1,240 leads)",
        "812 met version 2; 784 would meet version 3.",
        "• Would have kept out 40 leads: 7 reached an opportunity, 3 won ($48,000)",
        "• Would have let in 12 leads: 0 reached an opportunity, 0 won",
      ].join("\n"),
    );
    const first = definitionProposalMessage({
      proposal,
      previous: undefined,
      whoCanAccept,
      backtest: {
        figures: { ...figures, included: { ...figures.excluded, leads: 0 } },
        currency: "EUR",
      },
    });
    expect(sectionTexts(first.blocks)[2]).toContain(
      "with no definition active, none was kept out; 784 would meet version 3.",
    );
    expect(sectionTexts(first.blocks)[2]).toContain("• Would have let in no lead");
    const empty = definitionProposalMessage({
      proposal,
      previous,
      whoCanAccept,
      backtest: { figures: { ...figures, leads: 0 }, currency: "USD" },
    });
    expect(sectionTexts(empty.blocks)[3]).toContain("No lead was created in those days.");
    expectWithinSlackLimits(message);
  });

  it("stays within a message's size with huge rule documents on both sides", () => {
    const message = definitionProposalMessage({
      proposal: makeDefinition({ version: 9, rules: makeRules(300), proposedBy: HUGE }),
      previous: makeDefinition({ version: 8, rules: makeRules(250) }),
      whoCanAccept: long("Anyone but the proposer. ", 5000),
      backtest: {
        figures: {
          days: 180,
          leads: 9_999_999,
          metBefore: 9_999_999,
          metAfter: 0,
          excluded: {
            leads: 9_999_999,
            reachedOpportunity: 9_999_999,
            won: 9_999_999,
            wonAmount: 1e15,
          },
          included: { leads: 0, reachedOpportunity: 0, won: 0, wonAmount: 0 },
        },
        currency: "USD",
      },
    });
    expectWithinSlackLimits(message);
    expectEscaped(message);
  });
});

describe("definitionDecidedMessage", () => {
  const proposal = makeDefinition({ version: 3, state: "active", proposedBy: "U3" });

  it("replaces the buttons with the acceptance and the re-check count", () => {
    const message = definitionDecidedMessage({
      proposal,
      accepted: true,
      decidedBy: "U1",
      decidedAt: NOW,
      rechecked: 12,
    });
    expect(actionIds(message.blocks)).toEqual([]);
    expect(sectionTexts(message.blocks).at(-1)).toBe(
      `✅ Version 3 accepted by <@U1> on ${NOW_TOKEN}; 12 waiting leads re-checked.`,
    );
    expect(sectionTexts(message.blocks)[0]).toContain("<@U3> proposed version 3");
    expectWithinSlackLimits(message);
  });

  it("reads well for one lead, none counted, and a decline", () => {
    const one = definitionDecidedMessage({
      proposal,
      accepted: true,
      decidedBy: "U1",
      decidedAt: NOW,
      rechecked: 1,
    });
    expect(sectionTexts(one.blocks).at(-1)).toMatch(/; 1 waiting lead re-checked\.$/);
    const uncounted = definitionDecidedMessage({
      proposal,
      accepted: true,
      decidedBy: "U1",
      decidedAt: NOW,
    });
    expect(sectionTexts(uncounted.blocks).at(-1)).toBe(
      `✅ Version 3 accepted by <@U1> on ${NOW_TOKEN}.`,
    );
    const declined = definitionDecidedMessage({
      proposal,
      accepted: false,
      decidedBy: "U1",
      decidedAt: NOW,
    });
    expect(sectionTexts(declined.blocks).at(-1)).toBe(`❌ Declined by <@U1> on ${NOW_TOKEN}.`);
    expect(actionIds(declined.blocks)).toEqual([]);
    expectWithinSlackLimits(declined);
  });

  it("stays within a message's size with a huge rule document", () => {
    const message = definitionDecidedMessage({
      proposal: makeDefinition({ rules: makeRules(500) }),
      accepted: true,
      decidedBy: "U1",
      decidedAt: NOW,
      rechecked: 123_456,
    });
    expectWithinSlackLimits(message);
    expectEscaped(message);
  });
});

describe("who is told they can accept a proposed definition", () => {
  const teams = { salesTeam: ["U0SALES001"], marketingTeam: ["U0MKT00001"] };

  it("is the other team when the proposer is on one", () => {
    expect(whoCanAccept("U0SALES001", teams)).toBe(
      "Someone on the marketing team can accept or decline it.",
    );
    expect(whoCanAccept("U0MKT00001", teams)).toBe(
      "Someone on the sales team can accept or decline it.",
    );
  });

  it("is either team when the proposer is on neither, and anyone but the proposer when no team is set", () => {
    expect(whoCanAccept("U0OTHER001", teams)).toBe(
      "Someone on the sales or marketing team can accept or decline it.",
    );
    expect(whoCanAccept("U0OTHER001", { salesTeam: [], marketingTeam: [] })).toMatch(
      /^Anyone but the proposer can accept or decline it/,
    );
    expect(whoCanAccept("U0OTHER001", { salesTeam: [], marketingTeam: ["U0MKT00001"] })).toBe(
      "Someone on the sales or marketing team can accept or decline it.",
    );
  });
});
