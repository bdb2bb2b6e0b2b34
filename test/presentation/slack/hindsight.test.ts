import { describe, expect, it } from "vitest";
import type { HindsightGroup } from "../../../src/domain/hindsight.ts";
import { hindsightChart } from "../../../src/presentation/charts/hindsight-chart.ts";
import { hindsightHomePanel, hindsightMessage } from "../../../src/presentation/slack/hindsight.ts";
import { ACTIONS } from "../../../src/presentation/slack/ids.ts";
import { expectWithinSlackLimits } from "../../support/block-kit-limits.ts";
import {
  hindsightGroup as group,
  rejectedLead as lead,
  hindsightReport as report,
} from "./hindsight-fixtures.ts";

const allText = (message: ReturnType<typeof hindsightMessage>) => JSON.stringify(message.blocks);

describe("the hindsight message", () => {
  it("states each verdict's outcomes, the rejected leads that bought, and spend against wins", () => {
    const message = hindsightMessage(
      report([group({}), group({ verdict: "fit", leads: 20, won: 4, wonAmount: 100000 })], {
        rejected: [lead(1, "Initech")],
        reasons: [{ reason: "wrong_industry", leads: 10, reachedOpportunity: 3, won: 1 }],
      }),
      { ephemeral: false },
    );
    expectWithinSlackLimits(message);
    const text = allText(message);
    expect(text).toContain("10 leads → 3 opportunities → 1 won ($48,000)");
    expect(text).toContain("*Rejected, then bought*: 3 leads judged not a fit");
    expect(text).toContain("Initech — Wrong industry — by <@U0SAM> — won $48,000");
    expect(text).toContain("proved right 70%");
    expect(text).toContain("spend $9,000 · $1,500 per opportunity · $1,800 per won deal");
    expect(text).toContain("return on spend 16.4×");
    expect(text).toContain("*Back from not yet*: came back: 4, of which reached an opportunity 1.");
    expect(text).not.toContain("Provisional");
    expect(text).not.toContain("Per rep");
    expect(message.text).toBe(
      "Hindsight for all campaigns, 2025-12-07 – 2026-12-06: 30 leads, 6 reached an opportunity, 5 won; 3 rejected, then bought.",
    );
  });

  it("stays within Slack's limits for a huge workspace with long names", () => {
    const long = "x".repeat(200);
    const groups = Array.from({ length: 1000 }, (_, i) =>
      group({
        campaignKey: `${long}<&>${i}`,
        cohortStart: `20${String(20 + (i % 7)).padStart(2, "0")}-0${1 + (i % 9)}-01`,
        rep: `U${String(i).padStart(10, "0")}`,
      }),
    );
    const message = hindsightMessage(
      report(groups, {
        rejected: Array.from({ length: 20 }, (_, i) => lead(i, `${long}*_~${i}`)),
        reasons: Array.from({ length: 100 }, (_, i) => ({
          reason: `${long}${i}`,
          leads: 5,
          reachedOpportunity: 1,
          won: 0,
        })),
        perRep: true,
        campaign: `${long}<b>`,
      }),
      { ephemeral: true },
    );
    expectWithinSlackLimits(message);
    expect(allText(message)).toContain("more reps");
  });
});

describe("the App Home hindsight panel", () => {
  const quarterReport = (groups: HindsightGroup[], perRep = false) =>
    report(groups, { rejected: [lead(1, "Initech")], perRep });

  it("shows the quarter's verdicts beside their outcomes, and the rejected that bought", () => {
    const blocks = hindsightHomePanel({
      quarter: "2026-Q1",
      report: quarterReport([
        group({}),
        group({ verdict: "fit", leads: 20, won: 4, wonAmount: 100000 }),
      ]),
    });
    const text = JSON.stringify(blocks);
    expect(text).toContain("*Hindsight · 2026-Q1*");
    expect(text).toContain("20 leads → 3 opportunities → 4 won ($100,000)");
    expect(text).toContain(
      "Rejected, then bought: 3 leads, 1 won ($48,000). Back from not yet: came back: 4, of which reached an opportunity 1.",
    );
    expect(text).not.toContain("Per rep");
    expectWithinSlackLimits({ text: "home", blocks });
  });

  it("lists reps only when the report carries them, and says so when the quarter had no lead", () => {
    const withReps = hindsightHomePanel({
      quarter: "2026-Q1",
      report: quarterReport([group({}), group({ rep: "U0ALEX", verdict: "fit" })], true),
    });
    expect(JSON.stringify(withReps)).toContain("<@U0ALEX>: ✅ 3/10");
    const empty = hindsightHomePanel({ quarter: "2026-Q1", report: quarterReport([]) });
    expect(JSON.stringify(empty)).toContain("No lead was created in that quarter.");
  });
});

describe("posting hindsight with its chart", () => {
  const twoCohorts = () =>
    report([
      group({ cohortStart: "2026-02-01", verdict: "fit", leads: 6, reachedOpportunity: 2, won: 1 }),
      group({
        cohortStart: "2026-02-01",
        verdict: "not_fit",
        leads: 2,
        reachedOpportunity: 1,
        won: 1,
      }),
      group({
        cohortStart: "2026-11-01",
        verdict: "not_fit",
        leads: 4,
        reachedOpportunity: 0,
        won: 0,
      }),
    ]);

  it("offers the ephemeral answer a button to post it, and the posted one none", () => {
    const ephemeral = JSON.stringify(hindsightMessage(twoCohorts(), { ephemeral: true }).blocks);
    expect(ephemeral).toContain(ACTIONS.hindsightPostToChannel);
    expect(ephemeral).toContain('"value":"{\\"campaign\\":null}"');
    expect(
      JSON.stringify(hindsightMessage(twoCohorts(), { ephemeral: false }).blocks),
    ).not.toContain(ACTIONS.hindsightPostToChannel);
  });

  it("charts each cohort's fit rate beside its later win rate, and says the numbers in words", () => {
    const chart = hindsightChart(twoCohorts());
    // February: 6 fit of 8 judged (75%), 2 of 8 leads won (25%); November: 0%, 0%, provisional.
    expect(chart?.config.data.labels).toEqual(["2026-02-01", "2026-11-01*"]);
    expect(chart?.config.data.datasets.map((d) => d.data)).toEqual([
      [75, 0],
      [25, 0],
    ]);
    expect(chart?.altText).toContain("2026-02-01 fit rate 75%, later won 25% of 8 leads");
    expect(chart?.altText).toContain(
      "2026-11-01 (provisional) fit rate 0%, later won 0% of 4 leads",
    );
    expect(hindsightChart(report([]))).toBeNull();
  });
});
