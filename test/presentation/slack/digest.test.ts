import type {
  ActionsBlock,
  Button,
  HeaderBlock,
  ImageBlock,
  KnownBlock,
  SectionBlock,
} from "@slack/types";
import { describe, expect, it } from "vitest";
import { digestMessage } from "../../../src/presentation/slack/digest.ts";
import { MAX_DIGEST_CHARTS } from "../../../src/presentation/slack/digest-fitting.ts";
import { reportButtonValue } from "../../../src/presentation/slack/digest-sections.ts";
import { digestThreadInvite } from "../../../src/presentation/slack/digest-thread-invite.ts";
import { ACTIONS } from "../../../src/presentation/slack/ids.ts";
import type { Message } from "../../../src/presentation/slack/message.ts";
import { reportMessage } from "../../../src/presentation/slack/report.ts";
import { expectWithinSlackLimits, MESSAGE_JSON_BUDGET } from "../../support/block-kit-limits.ts";
import {
  makeCampaign,
  makeCharts,
  makeDigest,
  makeEmptyDigest,
  makeFigure,
  makeHugeDigest,
  makeManyCharts,
  makeNote,
} from "./digest-fixtures.ts";
import { expectEscaped, mrkdwnTexts } from "./fixtures.ts";
import { hindsightGroup, hindsightReport, rejectedLead } from "./hindsight-fixtures.ts";

/** Every mrkdwn text of the message, joined: what a reader sees. */
function shown(message: Message): string {
  return mrkdwnTexts(message.blocks).join("\n");
}

function header(message: Message): string {
  const block = message.blocks.find((b): b is HeaderBlock => b.type === "header");
  return block?.text.text ?? "";
}

function images(message: Message): ImageBlock[] {
  return message.blocks.filter((b): b is ImageBlock => b.type === "image");
}

function buttons(blocks: KnownBlock[]): Button[] {
  return blocks.flatMap((b) => {
    if (b.type === "actions") return (b as ActionsBlock).elements as Button[];
    if (b.type === "section" && b.accessory?.type === "button") return [b.accessory];
    return [];
  });
}

/** Within Slack's limits, and the blocks' JSON within the budget of a message. */
function expectFits(message: Message): void {
  expectWithinSlackLimits(message);
  expect(message.blocks.length).toBeLessThanOrEqual(50);
  expect(JSON.stringify(message.blocks).length).toBeLessThanOrEqual(MESSAGE_JSON_BUDGET);
}

describe("digestMessage: a realistic week", () => {
  const message = digestMessage({ digest: makeDigest(), charts: makeCharts() });
  const text = shown(message);

  it("fits Slack's limits", () => {
    expectFits(message);
  });

  it("names the week, its dates and the timezone", () => {
    expect(header(message)).toBe("Weekly digest · 2026-W47");
    expect(text).toContain("2026-11-16 – 2026-11-22 · Europe/Berlin");
  });

  it("says nothing of the CRM when it is fine, one line when it is in trouble", () => {
    expect(text).not.toContain("App Home");
    const line = "⚠️ HubSpot: its last sync failed — admins, see App Home.";
    const troubled = digestMessage({ digest: makeDigest({ crmTrouble: line }), charts: [] });
    expect(shown(troubled)).toContain(line);
    expectFits(troubled);
  });

  it("shows the North Star in the workspace currency, with changes judged by direction", () => {
    expect(text).toContain("⭐ *North Star · Pipeline*\n*$250,000*");
    expect(text).toContain("↑ +12% (better) vs last week · ↑ +5% (better) vs 4-week avg");
    expect(text).toContain("🎯 83% of target ($300,000)");
  });

  it("shows money in the workspace's currency", () => {
    const euros = shown(digestMessage({ digest: makeDigest({ currency: "EUR" }), charts: [] }));
    expect(euros).toContain("*€250,000*");
    expect(euros).toContain("cost per fit lead €500");
  });

  it("lists each KPI on one line with its changes, target progress, stage and goal", () => {
    expect(text).toContain(
      "• *SQLs* *25* · ↑ +25% (better) vs last week · ↑ +14% (better) vs 4-week avg · _lead · find_",
    );
    // Lower is better: a fall in spend is good news.
    expect(text).toContain(
      "• *Spend* *$8,000* · ↓ -20% (better) vs last week · ↓ -11% (better) vs 4-week avg · 125% of target ($10,000) · _cost · find_",
    );
    expect(text).toContain("• *NPS* *42* · ↓ -7% (worse) vs last week");
    expect(text).toContain("92% of target (45.5) · _advocacy · keep_");
    // A percentage moves in points, not in percent of itself.
    expect(text).toContain("• *Lead conversion* *12%* · ↑ +2 pts (better) vs last week");
  });

  it("never shows an awareness figure alone (the vanity rule)", () => {
    expect(text).toContain("• *Impressions* impressions 120k → 45 leads → 12 fit · ↑ +20%");
    expect(text).not.toContain("*120k*");
  });

  it("tells the vanity figure without a pairing that it is not tied to an outcome", () => {
    const digest = makeDigest({
      northStar: null,
      kpis: [makeFigure({ key: "clicks", label: "Clicks", stage: "engagement", value: 900 })],
    });
    const lines = shown(digestMessage({ digest, charts: [] }));
    expect(lines).toContain("• *Clicks* 900 _(not tied to an outcome yet)_");
  });

  it("shows lead feedback, with a fit rate that leaves out not yet", () => {
    expect(text).toContain("32 leads created · 28 reviewed (88%)");
    expect(text).toContain("✅ 12 good fit · ⏳ 6 not yet · ❌ 10 not a fit");
    expect(text).toContain("*Fit rate 55%* _(not yet is left out)_");
    expect(text).not.toContain("43%"); // 12 / 28, with not yet counted
    expect(text).toContain("⏰ 3 overdue past the review SLA");
    expect(text).toContain("⚠️ 2 leads rejected despite meeting the agreed definition");
  });

  it("groups the reasons by who can act, three at most per group", () => {
    expect(text).toContain(
      "*Marketing can fix (targeting):* Wrong role or seniority 4 · Company too small 2 · Wrong industry 1 · and 1 more",
    );
    expect(text).toContain("*Data quality:* Duplicate 2");
    expect(text).toContain("*No need or budget:* No budget 1");
    expect(text).not.toContain("Outside served regions");
  });

  it("marks the best and the worst campaign by cost per fit lead", () => {
    expect(text).toContain(
      "🏆 *Q4 webinar* — spend $4,000 · 14 leads · fit rate 80% · cost per fit lead $500",
    );
    expect(text).toContain("• *LinkedIn ABM* — spend $3,000");
    expect(text).toContain("⚠️ *Display retargeting* — spend $1,000 · 8 leads · fit rate 17%");
  });

  it("shows the week's notes with their author, tags and link, escaped", () => {
    expect(text).toContain(
      "• <@U3> (q4-webinar · Pipeline): Webinar moved to Thursday &lt;US holiday&gt; &amp; registrations slowed <https://acme.slack.com/archives/C1/p1794994200000100|message>",
    );
    expect(text).toContain("• <@U7>: Sales kick-off: fewer reviews on Friday");
  });

  it("asks the owner about a metric that moved without a note, else the channel without @here", () => {
    expect(text).toContain(
      "• <@U5>, Sessions moved +42% against its 4-week average — what happened?",
    );
    expect(text).toContain(
      "• Can someone add context for Direct traffic (linkedin-abm)? It moved -30% against its 4-week average.",
    );
    expect(JSON.stringify(message)).not.toMatch(/<!(here|channel|everyone)/);
  });

  it("shows uploaded charts by file id and preview charts by URL, and leaves out the others", () => {
    expect(images(message)).toEqual([
      {
        type: "image",
        slack_file: { id: "F0PIPELINE" },
        alt_text: "Pipeline over 12 weeks, rising to $250,000",
        title: { type: "plain_text", text: "Pipeline", emoji: true },
      },
      {
        type: "image",
        image_url: "https://leadfit.example/charts/fit-rate.png",
        alt_text: "Fit rate over 12 weeks",
        title: { type: "plain_text", text: "Fit rate", emoji: true },
      },
    ]);
  });

  it("offers to add context, review pending leads and open a campaign report", () => {
    const found = buttons(message.blocks).map((b) => [b.action_id, b.text.text, b.value]);
    expect(found).toEqual([
      [ACTIONS.digestAddContext, "Add context", "2026-W47"],
      [ACTIONS.digestReviewPending, "Review pending leads (4)", "2026-W47"],
      [ACTIONS.digestCampaignReport, "Campaign report", reportButtonValue(null, "2026-W47")],
    ]);
    expect(message.blocks.at(-1)?.type).toBe("actions");
  });

  it("has a plain-text summary for notifications", () => {
    expect(message.text).toBe(
      "Weekly digest 2026-W47: Pipeline $250,000 (+12% vs last week); 32 leads, fit rate 55%; 2 notes; 2 metrics need context",
    );
  });

  it("escapes the markup in every user text", () => {
    const evil = "<script>alert(1)</script> & <!channel>";
    const digest = makeDigest({
      workspaceName: evil,
      notes: [makeNote({ text: evil, author: evil, campaignKey: evil, permalink: "javascript:x" })],
      campaigns: [makeCampaign({ key: "k", name: evil })],
    });
    const evilMessage = digestMessage({ digest, charts: [] });
    expectFits(evilMessage);
    expectEscaped(evilMessage.blocks);
    expect(JSON.stringify(evilMessage)).not.toContain("<!channel>");
    expect(JSON.stringify(evilMessage)).not.toContain("javascript:");
  });
});

describe("digestMessage: marks and variants", () => {
  it("marks a late digest in the header and the text", () => {
    const message = digestMessage({ digest: makeDigest(), charts: [], late: true });
    expectFits(message);
    expect(header(message)).toBe("Weekly digest · 2026-W47 (late)");
    expect(message.text).toMatch(/^Weekly digest 2026-W47 \(late\): /);
  });

  it("names the campaign of a campaign digest in the header", () => {
    const message = digestMessage({
      digest: makeDigest({ campaignKey: "q4-webinar" }),
      charts: [],
    });
    expectFits(message);
    expect(header(message)).toBe("Weekly digest · 2026-W47 · q4-webinar");
  });

  it("keeps the worst campaign in view when the list is cut", () => {
    const campaigns = Array.from({ length: 10 }, (_, i) =>
      makeCampaign({ key: `c${i}`, name: `Campaign ${i}`, spend: 100, costPerFitLead: 10 + i }),
    );
    const message = digestMessage({
      digest: makeDigest({ campaigns, bestCampaign: "c0", worstCampaign: "c9" }),
      charts: [],
    });
    const text = shown(message);
    expectFits(message);
    expect(text).toContain("🏆 *Campaign 0*");
    expect(text).toContain("⚠️ *Campaign 9*");
    expect(text).not.toContain("Campaign 5*");
    expect(text).toContain("and 4 more campaigns");
  });
});

describe("digestMessage: an empty week", () => {
  const message = digestMessage({ digest: makeEmptyDigest(), charts: [] });
  const text = shown(message);

  it("fits Slack's limits with no empty or broken section", () => {
    expectFits(message);
  });

  it("reads as a quiet week", () => {
    expect(text).toContain("No leads this week.");
    expect(text).toContain("*Fit rate —*");
    expect(text).toContain("No campaign had spend or leads this week.");
    expect(text).toContain("No notes this week.");
    expect(text).toContain("No North Star or KPIs chosen yet");
    expect(text).not.toContain("Needs context");
    expect(text).not.toContain("NaN");
    expect(text).not.toContain("undefined");
    expect(images(message)).toEqual([]);
    expect(message.text).toBe("Weekly digest 2026-W47: 0 leads, fit rate —; no notes");
  });

  it("still offers the buttons", () => {
    expect(buttons(message.blocks).map((b) => b.action_id)).toEqual([
      ACTIONS.digestAddContext,
      ACTIONS.digestReviewPending,
      ACTIONS.digestCampaignReport,
    ]);
    expect(buttons(message.blocks)[1]?.text.text).toBe("Review pending leads");
  });
});

describe("digestMessage: no North Star and no KPIs", () => {
  const message = digestMessage({
    digest: makeDigest({ northStar: null, kpis: [] }),
    charts: makeCharts(),
  });

  it("says they are not chosen and shows the rest", () => {
    expectFits(message);
    const text = shown(message);
    expect(text).toContain("No North Star or KPIs chosen yet");
    expect(text).not.toContain("North Star ·");
    expect(text).not.toContain("*KPIs*");
    expect(text).toContain("*Fit rate 55%*");
    expect(message.text).toBe(
      "Weekly digest 2026-W47: 32 leads, fit rate 55%; 2 notes; 2 metrics need context",
    );
  });

  it("shows KPIs without a North Star", () => {
    const kpisOnly = digestMessage({ digest: makeDigest({ northStar: null }), charts: [] });
    expectFits(kpisOnly);
    expect(shown(kpisOnly)).toContain("*KPIs*\n• *SQLs*");
    expect(shown(kpisOnly)).not.toContain("No North Star or KPIs chosen yet");
  });
});

describe("digestMessage: the first digest of a month", () => {
  const period = { since: "2026-03-01", until: "2026-05-31", today: "2026-12-07" };
  // March: 10 leads, 6 fit and 4 not a fit (60%); 2 won. April: 3 fit, 2 not yet (100%); none won.
  const hindsight = hindsightReport(
    [
      hindsightGroup({ verdict: "fit", leads: 6, reachedOpportunity: 2, won: 1, wonAmount: 20000 }),
      hindsightGroup({ verdict: "not_fit", leads: 4, reachedOpportunity: 1, won: 1 }),
      hindsightGroup({
        cohortStart: "2026-04-01",
        verdict: "fit",
        leads: 3,
        reachedOpportunity: 0,
        won: 0,
        wonAmount: 0,
      }),
      hindsightGroup({
        cohortStart: "2026-04-01",
        verdict: "not_yet",
        leads: 2,
        reachedOpportunity: 1,
        won: 0,
        wonAmount: 0,
      }),
    ],
    {
      rejected: [rejectedLead(1, "Initech")],
      reasons: [
        { reason: "no_budget", leads: 2, reachedOpportunity: 0, won: 0 },
        { reason: "wrong_industry", leads: 4, reachedOpportunity: 1, won: 1 },
      ],
      period,
    },
  );
  const message = digestMessage({ digest: makeDigest({ hindsight }), charts: makeCharts() });
  const text = shown(message);

  it("looks back at the mature months: fit rate beside later wins, per month", () => {
    expectFits(message);
    expect(text).toContain(
      "*Hindsight* · leads created 2026-03-01 – 2026-05-31, the months past the 180-day conversion window; outcomes as of today\n• 2026-03: fit rate 60% → later won 20% (2 of 10 leads, $68,000)\n• 2026-04: fit rate 100% → later won 0% (0 of 5 leads)",
    );
  });

  it("names the top reasons of the rejected leads that bought, and the leads back from not yet", () => {
    expect(text).toContain(
      "*Rejected, then bought*: 1 lead judged not a fit later reached an opportunity, 1 won ($48,000). Top reasons: Wrong industry (1 of 4).",
    );
    expect(text).toContain(
      "*Back from not yet*: came back: 4, of which reached an opportunity 1; of 2 not-yet leads, 1 reached an opportunity, 0 won.",
    );
  });

  it("sits between the campaigns and the notes, and only in that digest", () => {
    expect(text.indexOf("*Hindsight*")).toBeGreaterThan(text.indexOf("*Campaigns*"));
    expect(text.indexOf("*Hindsight*")).toBeLessThan(text.indexOf("*Context*"));
    expect(shown(digestMessage({ digest: makeDigest(), charts: [] }))).not.toContain("Hindsight");
  });

  it("says so when the months had no lead", () => {
    const empty = digestMessage({
      digest: makeDigest({ hindsight: hindsightReport([], { period }) }),
      charts: [],
    });
    expectFits(empty);
    expect(shown(empty)).toContain(
      "conversion window; outcomes as of today\nNo lead was created in those months.",
    );
  });
});

describe("digestMessage: a huge workspace", () => {
  const message = digestMessage({ digest: makeHugeDigest(), charts: makeManyCharts(12) });
  const text = shown(message);

  it("stays within 50 blocks and the size budget", () => {
    expectFits(message);
  });

  it("ends the long lists with 'and N more'", () => {
    expect(text).toContain("and 194 more campaigns");
    expect(text).toContain("and 55 more notes");
    expect(text).toMatch(/and \d+ more metrics/);
    expect(text).toMatch(/· and \d+ more/); // reasons beyond the first ones of a group
    expect(text).toContain("⚠️ *199 "); // the worst campaign stays in view
  });

  it("keeps the month's hindsight, its top reasons cut to the digest's caps", () => {
    expect(text).toContain("• 2026-05: fit rate 50% → later won 1% (4k of 400006 leads");
    expect(text).toMatch(/Top reasons: 0 .*\(100 of 500\)/);
    expect(text).toContain("*Back from not yet*: came back: 4");
  });

  it("shows no more than five KPIs and a few charts", () => {
    expect(text.match(/^• \*\d /gm)?.length).toBeGreaterThanOrEqual(5);
    expect(images(message).length).toBeGreaterThan(0);
    expect(images(message).length).toBeLessThanOrEqual(MAX_DIGEST_CHARTS);
  });

  it("escapes every user text", () => {
    expectEscaped(message.blocks);
    expect(message.text).not.toContain("<script>");
  });

  it("fits even when every text is made of characters that grow in JSON", () => {
    const hostile = `"\\\u0001\t`.repeat(1000);
    const worst = digestMessage({
      digest: makeHugeDigest(hostile),
      charts: makeManyCharts(40, hostile),
    });
    expectFits(worst);
    expect(JSON.stringify(worst)).not.toContain("\\u0001");
  });

  it("fits with absurd numbers", () => {
    const absurd = makeFigure({ key: "pipeline", unit: "currency", value: 1e300, previous: 1 });
    const digest = makeHugeDigest();
    const worst = digestMessage({
      digest: { ...digest, northStar: absurd, kpis: Array(5).fill(absurd) },
      charts: [],
    });
    expectFits(worst);
  });
});

describe("digestThreadInvite", () => {
  it("invites discussion and context, pointing at what needs it", () => {
    const message = digestThreadInvite({ week: "2026-W47", needsContext: 3 });
    expectFits(message);
    const text = shown(message);
    expect(text).toContain(
      "Discuss this week here.* Something the numbers don't show? Use *Add context*",
    );
    expect(text).toContain("3 metrics moved sharply without a note");
    expect(message.text).toContain("Discuss 2026-W47 here.");
    expect(buttons(message.blocks).map((b) => [b.action_id, b.value])).toEqual([
      [ACTIONS.digestAddContext, "2026-W47"],
    ]);
  });

  it("says nothing about needs context when every move has a note", () => {
    const message = digestThreadInvite({ week: "2026-W47", needsContext: 0 });
    expectFits(message);
    expect(shown(message)).not.toContain("without a note");
  });
});

describe("reportMessage", () => {
  const digest = makeDigest({ campaignKey: "q4-webinar" });

  it("shows an ephemeral campaign report with a button to post it with its chart", () => {
    const message = reportMessage({ digest, ephemeral: true });
    expectFits(message);
    expect(header(message)).toBe("Report · q4-webinar · 2026-W47");
    const text = shown(message);
    expect(text).toContain("*Metrics*\n⭐ *Pipeline* *$250,000*");
    expect(text).toContain("*Lead feedback*\n32 leads created");
    expect(text).toContain("*Fit rate 55%*");
    expect(text).toContain("*Marketing can fix (targeting):* Wrong role or seniority 4");
    expect(text).toContain("cost per fit lead $500");
    expect(text).toContain("Webinar moved to Thursday &lt;US holiday&gt;");
    expect(images(message)).toEqual([]);
    const [post] = buttons(message.blocks);
    expect(post?.action_id).toBe(ACTIONS.reportPostToChannel);
    expect(post?.text.text).toBe("Post to channel with chart");
    expect(JSON.parse(post?.value ?? "")).toEqual({ campaign: "q4-webinar", week: "2026-W47" });
    expect(message.text).toMatch(/^Report q4-webinar 2026-W47: Pipeline \$250,000/);
  });

  it("puts metrics beside feedback in two fields", () => {
    const message = reportMessage({ digest, ephemeral: true });
    const block = message.blocks.find((b): b is SectionBlock => b.type === "section" && !!b.fields);
    expect(block?.fields?.map((f) => f.text.split("\n")[0])).toEqual([
      "*Metrics*",
      "*Lead feedback*",
    ]);
  });

  it("has no button when posted to the channel", () => {
    const message = reportMessage({ digest, ephemeral: false });
    expectFits(message);
    expect(buttons(message.blocks)).toEqual([]);
  });

  it("covers all campaigns when none is named", () => {
    const message = reportMessage({ digest: makeDigest(), ephemeral: true });
    expectFits(message);
    expect(header(message)).toBe("Report · all campaigns · 2026-W47");
    const value = buttons(message.blocks)[0]?.value ?? "";
    expect(JSON.parse(value)).toEqual({ campaign: null, week: "2026-W47" });
    expect(value.length).toBeLessThanOrEqual(2000);
  });

  it("reads well for an empty week", () => {
    const message = reportMessage({ digest: makeEmptyDigest(), ephemeral: true });
    expectFits(message);
    const text = shown(message);
    expect(text).toContain("No North Star or KPIs chosen yet.");
    expect(text).toContain("No leads this week.");
  });

  it("fits Slack's limits for a huge workspace, escaped", () => {
    for (const ephemeral of [true, false]) {
      const message = reportMessage({ digest: makeHugeDigest(), ephemeral });
      expectFits(message);
      expectEscaped(message.blocks);
      const hostile = reportMessage({ digest: makeHugeDigest(`"\\`.repeat(2000)), ephemeral });
      expectFits(hostile);
    }
  });
});
