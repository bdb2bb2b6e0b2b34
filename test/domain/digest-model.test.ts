import { describe, expect, it } from "vitest";
import type { ContextNote } from "../../src/domain/context-note.ts";
import type { Digest } from "../../src/domain/digest.ts";
import {
  assembleDigest,
  type DigestInputs,
  type MetricWeek,
} from "../../src/domain/digest-model.ts";
import { DEFAULT_METRICS } from "../../src/domain/metrics.ts";
import { DEFAULT_REASONS } from "../../src/domain/taxonomy.ts";
import { NO_FEEDBACK } from "./empty-figures.ts";

// Twelve weeks ending with 2026-W47 (Monday 2026-11-16).
const SERIES = Array.from({ length: 12 }, (_, i) => {
  const monday = new Date(Date.UTC(2026, 10, 16) - (11 - i) * 7 * 86_400_000);
  return { label: `2026-W${36 + i}`, start: monday.toISOString().slice(0, 10) };
});

function weekly(metricKey: string, values: (number | null)[], campaignKey = ""): MetricWeek[] {
  return values.flatMap((value, i) =>
    value === null
      ? []
      : [{ metricKey, campaignKey, weekStart: SERIES[i + 12 - values.length]?.start ?? "", value }],
  );
}

/** Each campaign's spend in the reported week. */
function campaignSpend(spend: Record<string, number>): MetricWeek[] {
  return Object.entries(spend).flatMap(([campaignKey, value]) =>
    weekly("spend", [value], campaignKey),
  );
}

function inputs(overrides: Partial<DigestInputs> = {}): DigestInputs {
  return {
    workspace: {
      id: "T1",
      name: "Acme",
      currency: "EUR",
      timeZone: "Europe/Berlin",
      northStar: { metricKey: "pipeline", weeklyTarget: 200 },
      kpis: [
        { metricKey: "leads", weeklyTarget: 40 },
        { metricKey: "spend", weeklyTarget: 100 },
        { metricKey: "impressions", weeklyTarget: null },
      ],
      needsContextThresholdPct: 25,
    },
    week: { label: "2026-W47", start: "2026-11-16", end: "2026-11-22" },
    series: SERIES,
    campaignKey: null,
    catalogue: [...DEFAULT_METRICS],
    metricWeeks: [],
    campaigns: [
      { key: "alpha", name: "Alpha", channel: "events", owner: "U0ALPHA" },
      { key: "beta", name: "Beta", channel: "social", owner: null },
      { key: "gamma", name: "Gamma", channel: "email", owner: null },
    ],
    leadCounts: [],
    reasonCounts: [],
    reasons: [...DEFAULT_REASONS],
    overdue: 0,
    notes: [],
    crmTrouble: null,
    hindsight: null,
    ...overrides,
  };
}

/** One campaign's lead counts for the week: every reviewed lead has one of the three verdicts. */
function counts(
  campaignKey: string | null,
  created: number,
  fit: number,
  notFit: number,
  notYet = 0,
  rejectedDespiteDefinition = 0,
) {
  return {
    campaignKey,
    created,
    reviewed: fit + notYet + notFit,
    fit,
    notYet,
    notFit,
    rejectedDespiteDefinition,
  };
}

/** A context note of the reported week, on campaign alpha. */
function note(overrides: Partial<ContextNote> = {}): ContextNote {
  return {
    id: "n1",
    week: "2026-W47",
    text: "Webinar moved",
    author: "U1",
    campaignKey: "alpha",
    metricKey: null,
    permalink: null,
    createdAt: new Date(),
    ...overrides,
  };
}

/** Each reason group as [owner, total, ["label count", …]]. */
function reasonsByOwner(digest: Digest) {
  return digest.feedback.reasonsByOwner.map((g) => [
    g.owner,
    g.total,
    g.reasons.map((r) => `${r.label} ${r.count}`),
  ]);
}

describe("the digest model", () => {
  it("gives an empty week readable figures: nothing counted, ratios unknown", () => {
    const digest = assembleDigest(inputs());
    expect(digest.feedback).toEqual(NO_FEEDBACK);
    expect(digest.northStar).toMatchObject({
      value: null,
      previous: null,
      trailingAverage: null,
      changeVsLastWeek: null,
      progress: null,
    });
    expect(digest.campaigns).toEqual([]);
    expect(digest.bestCampaign).toBeNull();
    expect(digest.needsContext).toEqual([]);
  });

  it("computes the North Star against last week, the 4-week average and its target", () => {
    // ... 100, 120, 80, 100 (the 4 weeks before) then 150 this week
    const digest = assembleDigest(
      inputs({ metricWeeks: weekly("pipeline", [100, 120, 80, 100, 150]) }),
    );
    expect(digest.northStar).toMatchObject({
      value: 150,
      previous: 100,
      trailingAverage: 100,
      changeVsLastWeek: { absolute: 50, relative: 0.5 },
      changeVsAverage: { absolute: 50, relative: 0.5 },
      weeklyTarget: 200,
      progress: 0.75,
    });
    expect(digest.northStar?.series).toHaveLength(12);
    expect(digest.northStar?.series.at(-1)).toEqual({ week: "2026-W47", value: 150 });
    expect(digest.northStar?.series[0]).toEqual({ week: "2026-W36", value: null });
  });

  it("uses the company-wide figure when there is one, else the campaigns' figures together", () => {
    const both = assembleDigest(
      inputs({
        metricWeeks: [
          ...weekly("leads", [30]),
          ...weekly("leads", [10], "alpha"),
          ...weekly("leads", [5], "beta"),
        ],
      }),
    );
    expect(both.kpis.find((k) => k.key === "leads")?.value).toBe(30);
    const campaignsOnly = assembleDigest(
      inputs({ metricWeeks: [...weekly("leads", [10], "alpha"), ...weekly("leads", [5], "beta")] }),
    );
    expect(campaignsOnly.kpis.find((k) => k.key === "leads")?.value).toBe(15);
    const nps = assembleDigest(
      inputs({
        workspace: { ...inputs().workspace, kpis: [{ metricKey: "nps", weeklyTarget: null }] },
        metricWeeks: [...weekly("nps", [40], "alpha"), ...weekly("nps", [50], "beta")],
      }),
    );
    expect(nps.kpis[0]?.value).toBe(45);
  });

  it("measures progress of a lower-is-better KPI as target ÷ value", () => {
    const digest = assembleDigest(inputs({ metricWeeks: weekly("spend", [125]) }));
    expect(digest.kpis.find((k) => k.key === "spend")?.progress).toBe(0.8);
  });

  it("pairs an awareness KPI with the outcome it leads to (the vanity rule)", () => {
    const digest = assembleDigest(
      inputs({
        metricWeeks: [...weekly("impressions", [120_000]), ...weekly("leads", [45])],
        leadCounts: [counts("alpha", 20, 12, 4, 2, 1)],
      }),
    );
    const impressions = digest.kpis.find((k) => k.key === "impressions");
    expect(impressions?.pairing).toBe("impressions 120k → 45 leads → 12 fit");
    expect(digest.kpis.find((k) => k.key === "leads")?.pairing).toBeNull();
  });

  it("counts feedback with not yet out of the fit rate and reasons grouped by who can act", () => {
    const digest = assembleDigest(
      inputs({
        leadCounts: [
          counts("alpha", 10, 3, 3, 2, 1),
          counts("beta", 5, 0, 4, 1),
          counts(null, 1, 0, 0),
        ],
        reasonCounts: [
          { campaignKey: "alpha", reason: "wrong_role", count: 2 },
          { campaignKey: "beta", reason: "wrong_role", count: 3 },
          { campaignKey: "beta", reason: "duplicate", count: 1 },
          { campaignKey: "alpha", reason: "no_budget", count: 1 },
          { campaignKey: "beta", reason: "company_too_small", count: 1 },
        ],
        overdue: 3,
      }),
    );
    expect(digest.feedback).toMatchObject({
      created: 16,
      reviewed: 13,
      fit: 3,
      notYet: 3,
      notFit: 7,
      fitRate: 0.3,
      overdue: 3,
      rejectedDespiteDefinition: 1,
    });
    expect(digest.feedback.coverage).toBeCloseTo(13 / 16);
    expect(reasonsByOwner(digest)).toEqual([
      ["marketing", 6, ["Wrong role or seniority 5", "Company too small 1"]],
      ["data", 1, ["Duplicate 1"]],
      ["need", 1, ["No budget 1"]],
    ]);
  });

  it("ranks campaigns by cost per fit lead; a campaign with no fit lead has none and ranks last", () => {
    const digest = assembleDigest(
      inputs({
        metricWeeks: campaignSpend({ alpha: 1000, beta: 600, gamma: 300 }),
        leadCounts: [
          counts("alpha", 6, 4, 2),
          counts("beta", 3, 1, 2),
          counts("gamma", 2, 0, 0, 2),
        ],
      }),
    );
    expect(digest.campaigns.map((c) => [c.key, c.spend, c.costPerFitLead, c.fitRate])).toEqual([
      ["alpha", 1000, 250, 4 / 6],
      ["beta", 600, 600, 1 / 3],
      ["gamma", 300, null, null],
    ]);
    expect([digest.bestCampaign, digest.worstCampaign]).toEqual(["alpha", "beta"]);
  });

  it("asks for context on tracked metrics that moved past the threshold without a note, naming who answers", () => {
    const moved = [
      ...weekly("leads", [40, 40, 40, 40, 20]),
      // per campaign, only the North Star is checked: alpha's leads are not asked about
      ...weekly("leads", [10, 10, 10, 10, 30], "alpha"),
      ...weekly("pipeline", [100, 100, 100, 100, 110]),
      ...weekly("pipeline", [50, 50, 50, 50, 150], "alpha"),
    ];
    const digest = assembleDigest(inputs({ metricWeeks: moved }));
    expect(
      digest.needsContext.map((n) => [
        n.metricKey,
        n.campaignKey,
        Math.round(n.change * 100),
        n.askUser,
      ]),
    ).toEqual([
      ["pipeline", "alpha", 200, "U0ALPHA"],
      ["leads", null, -50, null],
    ]);
    // A note on the metric, or on the campaign, answers the question.
    const explained = assembleDigest(
      inputs({
        metricWeeks: moved,
        notes: [note(), note({ id: "n2", campaignKey: null, metricKey: "leads" })],
      }),
    );
    expect(explained.needsContext).toEqual([]);
  });

  it("narrows everything to one campaign for a campaign report", () => {
    const digest = assembleDigest(
      inputs({
        campaignKey: "beta",
        metricWeeks: [
          ...campaignSpend({ alpha: 1000, beta: 600 }),
          ...weekly("leads", [7], "beta"),
          ...weekly("leads", [99]),
        ],
        leadCounts: [counts("alpha", 6, 4, 2), counts("beta", 3, 1, 2)],
      }),
    );
    expect(digest.campaigns.map((c) => c.key)).toEqual(["beta"]);
    expect(digest.feedback).toMatchObject({ created: 3, fit: 1, notFit: 2 });
    expect(digest.kpis.find((k) => k.key === "leads")?.value).toBe(7);
  });
});

describe("the digest model's orderings and edges", () => {
  const campaign = (key: string) => ({ key, name: key, channel: null, owner: null });

  it("ranks campaigns cheapest fit lead first in any input order, the rest after by spend, and leaves out one with no spend and no lead", () => {
    const digest = assembleDigest(
      inputs({
        campaigns: ["idle", "cheap-no-fit", "leads-only", "costly", "pricey-no-fit", "cheap"].map(
          campaign,
        ),
        metricWeeks: campaignSpend({
          "cheap-no-fit": 100,
          costly: 600,
          "pricey-no-fit": 500,
          cheap: 1000,
        }),
        leadCounts: [
          counts("cheap-no-fit", 2, 0, 2),
          counts("leads-only", 1, 1, 0),
          counts("costly", 3, 1, 2),
          counts("pricey-no-fit", 1, 0, 1),
          counts("cheap", 6, 4, 2),
        ],
      }),
    );
    expect(digest.campaigns.map((c) => [c.key, c.costPerFitLead])).toEqual([
      ["cheap", 250],
      ["costly", 600],
      ["pricey-no-fit", null],
      ["cheap-no-fit", null],
      ["leads-only", null],
    ]);
    expect([digest.bestCampaign, digest.worstCampaign]).toEqual(["cheap", "costly"]);
  });

  it("names no worst campaign when only one has a cost per fit lead", () => {
    const digest = assembleDigest(
      inputs({
        metricWeeks: campaignSpend({ alpha: 300 }),
        leadCounts: [counts("alpha", 2, 1, 1), counts("beta", 2, 0, 2)],
      }),
    );
    expect([digest.bestCampaign, digest.worstCampaign]).toEqual(["alpha", null]);
  });

  it("orders reasons by count then label, groups by their total, and files a retired reason under marketing by its key", () => {
    const digest = assembleDigest(
      inputs({
        reasons: DEFAULT_REASONS.filter((r) => r.key !== "wrong_industry"),
        reasonCounts: [
          { campaignKey: "alpha", reason: "spam_or_fake", count: 1 },
          { campaignKey: "alpha", reason: "wrong_industry", count: 1 },
          { campaignKey: "alpha", reason: "company_too_small", count: 1 },
          { campaignKey: "alpha", reason: "invalid_contact", count: 1 },
          { campaignKey: "beta", reason: "duplicate", count: 3 },
          { campaignKey: "alpha", reason: "no_budget", count: 4 },
          { campaignKey: "alpha", reason: "no_need", count: 5 },
        ],
      }),
    );
    expect(reasonsByOwner(digest)).toEqual([
      ["need", 9, ["No need 5", "No budget 4"]],
      ["data", 4, ["Duplicate 3", "Invalid contact details 1"]],
      ["marketing", 3, ["Company too small 1", "Spam or fake data 1", "wrong_industry 1"]],
    ]);
    const beta = assembleDigest(
      inputs({
        campaignKey: "beta",
        reasonCounts: [
          { campaignKey: "alpha", reason: "no_need", count: 5 },
          { campaignKey: "beta", reason: "duplicate", count: 3 },
        ],
      }),
    );
    expect(beta.feedback.reasonsByOwner.map((g) => [g.owner, g.total])).toEqual([["data", 3]]);
  });

  it("compares a week with the average of the four weeks before it, not more", () => {
    const digest = assembleDigest(
      inputs({
        metricWeeks: weekly("leads", [400, 400, 400, 400, 400, 400, 400, 40, 40, 40, 40, 60]),
      }),
    );
    const leads = digest.kpis.find((k) => k.key === "leads");
    expect(leads?.trailingAverage).toBe(40);
    expect(leads?.changeVsAverage).toEqual({ absolute: 20, relative: 0.5 });
    expect(digest.needsContext.map((n) => [n.metricKey, n.change])).toEqual([["leads", 0.5]]);
  });

  it("asks about a move past the threshold, not one at it, biggest move first, and only a note on that metric or campaign answers it", () => {
    const moves = [
      ...weekly("leads", [40, 40, 40, 40, 50]), // +25%: at the threshold
      ...weekly("spend", [100, 100, 100, 100, 126]), // +26%
      ...weekly("pipeline", [100, 100, 100, 100, 200]), // +100%
    ];
    const asked = (notes: DigestInputs["notes"]) =>
      assembleDigest(inputs({ metricWeeks: moves, notes })).needsContext.map((n) => [
        n.metricKey,
        n.campaignKey,
      ]);
    expect(asked([])).toEqual([
      ["pipeline", null],
      ["spend", null],
    ]);
    // A company-wide figure is not explained by a note on a campaign or on another metric.
    expect(asked([note({ text: "About something else", metricKey: "leads" })])).toEqual([
      ["pipeline", null],
      ["spend", null],
    ]);
  });

  it("in a campaign report, asks about every tracked metric of that campaign only", () => {
    const digest = assembleDigest(
      inputs({
        campaignKey: "beta",
        metricWeeks: [
          ...weekly("leads", [10, 10, 10, 10, 20], "beta"),
          ...weekly("leads", [10, 10, 10, 10, 40], "alpha"),
          ...weekly("leads", [10, 10, 10, 10, 90]),
        ],
      }),
    );
    expect(digest.needsContext.map((n) => [n.metricKey, n.campaignKey, n.change])).toEqual([
      ["leads", "beta", 1],
    ]);
  });

  it("leaves out a tracked metric that left the catalogue", () => {
    const digest = assembleDigest(
      inputs({
        workspace: {
          ...inputs().workspace,
          northStar: { metricKey: "retired", weeklyTarget: null },
          kpis: [
            { metricKey: "retired", weeklyTarget: null },
            { metricKey: "leads", weeklyTarget: null },
          ],
        },
        metricWeeks: weekly("leads", [10, 10, 10, 10, 90]),
      }),
    );
    expect(digest.northStar).toBeNull();
    expect(digest.kpis.map((k) => k.key)).toEqual(["leads"]);
    expect(digest.needsContext.map((n) => n.metricKey)).toEqual(["leads"]);
  });

  it("carries each note of the week with its author, campaign, metric and link", () => {
    const withLink = note({
      metricKey: "leads",
      permalink: "https://example.slack.com/archives/C1/p1",
    });
    expect(assembleDigest(inputs({ notes: [withLink] })).notes).toEqual([
      {
        text: "Webinar moved",
        author: "U1",
        campaignKey: "alpha",
        metricKey: "leads",
        permalink: "https://example.slack.com/archives/C1/p1",
      },
    ]);
  });
});
