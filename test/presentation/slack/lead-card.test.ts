import type { ActionsBlock, Button, ContextBlock, KnownBlock, SectionBlock } from "@slack/types";
import { describe, expect, it } from "vitest";
import { ACTIONS } from "../../../src/presentation/slack/ids.ts";
import {
  type LeadCardInput,
  leadCardBlocks,
  leadCardText,
  leadSummaryBlocks,
  leadSummaryText,
} from "../../../src/presentation/slack/lead-card.ts";
import { expectWithinSlackLimits } from "../../support/block-kit-limits.ts";
import {
  expectEscaped,
  HUGE,
  makeExtremeLead,
  makeFeedback,
  makeLead,
  NOW,
  NOW_TOKEN,
} from "./fixtures.ts";

function card(input: LeadCardInput) {
  return { text: leadCardText(input), blocks: leadCardBlocks(input) };
}

function ofType<T extends KnownBlock["type"]>(blocks: KnownBlock[], type: T) {
  return blocks.filter((b): b is Extract<KnownBlock, { type: T }> => b.type === type);
}

function buttons(blocks: KnownBlock[]): Button[] {
  return [
    ...ofType(blocks, "actions").flatMap((b: ActionsBlock) => b.elements),
    ...ofType(blocks, "section").flatMap((b: SectionBlock) => (b.accessory ? [b.accessory] : [])),
  ].filter((e): e is Button => e.type === "button");
}

const VERDICT_IDS = [ACTIONS.verdictFit, ACTIONS.verdictNotYet, ACTIONS.verdictNotFit];

describe("lead card for a new lead", () => {
  const input: LeadCardInput = {
    lead: makeLead(),
    campaignName: "q4-webinar",
    current: null,
  };
  const message = card(input);

  it("shows who the lead is, the facts and the definition check", () => {
    const [section, context] = message.blocks as [SectionBlock, ContextBlock];
    expect(section.text?.text).toBe("*Ana Costa* · CMO at Acme");
    expect(section.fields?.map((f) => f.text)).toEqual([
      "*Campaign*\nq4-webinar",
      "*Email*\nana.costa@acme.example",
      `*Created*\n${NOW_TOKEN}`,
      "*employees:* 120",
      "*region:* EU",
      "*budget:* yes",
    ]);
    expect(context.elements).toEqual([
      { type: "mrkdwn", text: "✓ Meets the agreed definition (v3)" },
    ]);
  });

  it("has the three verdict buttons carrying the lead id", () => {
    const [fit, notYet, notFit] = buttons(message.blocks);
    expect([fit?.action_id, notYet?.action_id, notFit?.action_id]).toEqual(VERDICT_IDS);
    expect([fit?.text.text, notYet?.text.text, notFit?.text.text]).toEqual([
      "✅ Good fit",
      "⏳ Not yet",
      "❌ Not a fit",
    ]);
    expect([fit?.style, notYet?.style, notFit?.style]).toEqual(["primary", undefined, "danger"]);
    expect(buttons(message.blocks).map((b) => b.value)).toEqual(["lead_01", "lead_01", "lead_01"]);
  });

  it("has a notification text", () => {
    expect(message.text).toBe("New lead: Ana Costa, CMO at Acme (q4-webinar)");
    expectWithinSlackLimits(message);
  });

  it("falls back to the email when there is no name, and copes with no title or company", () => {
    const bare = makeLead({ name: "  ", title: null, company: null, fields: {} });
    const blocks = leadCardBlocks({ lead: bare, campaignName: null, current: null });
    const section = blocks[0] as SectionBlock;
    expect(section.text?.text).toBe("*ana.costa@acme.example*");
    expect(section.fields?.[0]?.text).toBe("*Campaign*\n—");
    expect(leadCardText({ lead: bare, campaignName: null, current: null })).toBe(
      "New lead: ana.costa@acme.example",
    );
    expectWithinSlackLimits({ text: "x", blocks });
  });

  it("shows the lead's owner and the definition's failed rules", () => {
    const lead = makeLead({
      owner: "U7",
      definition: {
        status: "not_met",
        version: 3,
        failures: [{ text: "employees >= 50", reason: "missing" }],
      },
    });
    const context = leadCardBlocks({ lead, campaignName: null, current: null })[1] as ContextBlock;
    expect(context.elements.map((e) => ("text" in e ? e.text : ""))).toEqual([
      "✗ Misses the agreed definition (v3): employees &gt;= 50 — missing",
      "Owner: <@U7>",
    ]);
  });
});

describe("lead card once a verdict is in", () => {
  const input: LeadCardInput = {
    lead: makeLead(),
    campaignName: "q4-webinar",
    current: {
      feedback: makeFeedback({
        verdict: "not_fit",
        reasons: ["wrong_role", "no_budget"],
        note: "Intern, no say in buying.\nAsked us to call back in Q3 & said <no>.",
      }),
      reasonLabels: ["Wrong role or seniority", "No budget"],
    },
  };
  const message = card(input);

  it("replaces the verdict buttons with the verdict, who gave it and when", () => {
    expect(buttons(message.blocks).map((b) => b.action_id)).toEqual([ACTIONS.verdictChange]);
    const verdict = message.blocks[2] as SectionBlock;
    expect(verdict.text?.text).toBe(
      [
        `❌ *Not a fit* — by <@U1>, ${NOW_TOKEN}`,
        "Reasons: Wrong role or seniority, No budget",
        "> Intern, no say in buying.",
        "> Asked us to call back in Q3 &amp; said &lt;no&gt;.",
      ].join("\n"),
    );
    expect(verdict.accessory).toMatchObject({
      type: "button",
      action_id: ACTIONS.verdictChange,
      value: "lead_01",
    });
    expect(message.text).toBe("Ana Costa, CMO at Acme (q4-webinar): ❌ Not a fit");
    expectWithinSlackLimits(message);
  });

  it("shows a good fit without reasons or note", () => {
    const blocks = leadCardBlocks({
      lead: makeLead(),
      campaignName: null,
      current: { feedback: makeFeedback({ verdict: "fit" }), reasonLabels: [] },
    });
    expect((blocks[2] as SectionBlock).text?.text).toBe(`✅ *Good fit* — by <@U1>, ${NOW_TOKEN}`);
  });
});

describe("lead card for a not-yet lead", () => {
  const notYet = makeFeedback({ verdict: "not_yet", revisitOn: "2027-03-06" });

  it("says when the lead comes back", () => {
    const blocks = leadCardBlocks({
      lead: makeLead(),
      campaignName: null,
      current: { feedback: notYet, reasonLabels: [] },
    });
    expect((blocks[2] as SectionBlock).text?.text).toBe(
      `⏳ *Not yet* — by <@U1>, ${NOW_TOKEN} · revisit on 6 Mar 2027`,
    );
  });

  it("once back, asks for a verdict again, saying who put it off, when, and until when", () => {
    const back = card({
      lead: makeLead(),
      campaignName: "q4-webinar",
      current: { feedback: { ...notYet, cameBackAt: NOW }, reasonLabels: [] },
    });
    const [first] = back.blocks as [ContextBlock];
    expect(first.elements).toEqual([
      {
        type: "mrkdwn",
        text: `🔁 *Back from not yet* — judged ⏳ by <@U1> on ${NOW_TOKEN}, to revisit on 6 Mar 2027`,
      },
    ]);
    expect(buttons(back.blocks).map((b) => [b.action_id, b.value])).toEqual(
      VERDICT_IDS.map((id) => [id, "lead_01"]),
    );
    expect(back.text).toBe("Back from not yet: Ana Costa, CMO at Acme (q4-webinar)");
    expectWithinSlackLimits(back);
  });
});

describe("lead card with extreme data", () => {
  const lead = makeExtremeLead();
  const fresh = card({ lead, campaignName: HUGE, current: null });
  const back = card({
    lead,
    campaignName: HUGE,
    current: {
      feedback: makeFeedback({ verdict: "not_yet", revisitOn: "2027-03-06", cameBackAt: NOW }),
      reasonLabels: [],
    },
  });
  const judged = card({
    lead,
    campaignName: HUGE,
    current: {
      feedback: makeFeedback({ verdict: "not_fit", note: `${HUGE}\n`.repeat(30) }),
      reasonLabels: Array.from({ length: 300 }, (_, i) => `${i} ${HUGE.slice(0, 80)}`),
    },
  });

  it("stays within Slack's limits", () => {
    expectWithinSlackLimits(fresh);
    expectWithinSlackLimits(judged);
    expectWithinSlackLimits(back);
  });

  it("escapes user text everywhere", () => {
    expectEscaped(fresh);
    expectEscaped(judged);
    expectEscaped(back);
    expect(fresh.text).not.toContain("<script>");
  });

  it("shows six qualification fields and counts the others", () => {
    const [section, context] = fresh.blocks as [SectionBlock, ContextBlock];
    expect(section.fields).toHaveLength(9);
    expect(context.elements.some((e) => "text" in e && e.text === "+44 more fields")).toBe(true);
  });

  it("still has the verdict buttons with the lead id", () => {
    expect(buttons(fresh.blocks).map((b) => [b.action_id, b.value])).toEqual(
      VERDICT_IDS.map((id) => [id, lead.id]),
    );
  });
});

describe("lead summary for a large batch", () => {
  it("says how many leads wait and where", () => {
    const input = { count: 37, campaignName: "q4-webinar" };
    expect(leadSummaryText(input)).toBe(
      "37 new leads from q4-webinar — review them in the app's Home tab",
    );
    expect(leadSummaryText({ count: 1, campaignName: null })).toBe(
      "1 new lead — review them in the app's Home tab",
    );
    const message = { text: leadSummaryText(input), blocks: leadSummaryBlocks(input) };
    expect(JSON.stringify(message.blocks)).toContain("*37 new leads* from q4-webinar");
    expectWithinSlackLimits(message);
  });

  it("escapes and shortens an extreme campaign name", () => {
    const input = { count: 5000, campaignName: HUGE };
    const message = { text: leadSummaryText(input), blocks: leadSummaryBlocks(input) };
    expectEscaped(message);
    expect(message.text).not.toContain("<script>");
    expectWithinSlackLimits(message);
  });
});
