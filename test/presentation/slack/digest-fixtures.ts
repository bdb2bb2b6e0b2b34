// Digests for the Block Kit tests: a realistic week, an empty one, one with nothing chosen, and a
// huge workspace whose every text is at its worst.

import type {
  CampaignFigures,
  Digest,
  DigestNote,
  FeedbackFigures,
  MetricFigure,
  NeedsContext,
} from "../../../src/domain/digest.ts";
import { change, trailingAverage } from "../../../src/domain/figures.ts";
import type { HindsightReport } from "../../../src/domain/hindsight.ts";
import type { DigestChart } from "../../../src/presentation/slack/digest.ts";
import { NO_FEEDBACK, NOTHING_COUNTED } from "../../domain/empty-figures.ts";
import { EVIL, long } from "./fixtures.ts";
import { hindsightGroup, hindsightReport, rejectedLead } from "./hindsight-fixtures.ts";

/** A metric figure whose changes and progress are computed from value, previous and average. */
export function makeFigure(
  overrides: Partial<MetricFigure> & { key: string; value: number | null },
): MetricFigure {
  const base: MetricFigure = {
    key: overrides.key,
    label: overrides.key,
    unit: "count",
    stage: "lead",
    goal: "find",
    direction: "higher",
    owner: null,
    value: overrides.value,
    previous: null,
    trailingAverage: null,
    changeVsLastWeek: null,
    changeVsAverage: null,
    weeklyTarget: null,
    progress: null,
    pairing: null,
    series: [],
  };
  const figure = { ...base, ...overrides };
  return {
    ...figure,
    changeVsLastWeek: overrides.changeVsLastWeek ?? change(figure.value, figure.previous),
    changeVsAverage: overrides.changeVsAverage ?? change(figure.value, figure.trailingAverage),
    progress:
      overrides.progress ??
      (figure.value !== null && figure.weeklyTarget !== null && figure.weeklyTarget !== 0
        ? figure.direction === "higher"
          ? figure.value / figure.weeklyTarget
          : figure.weeklyTarget / figure.value
        : null),
  };
}

export function makeFeedback(overrides: Partial<FeedbackFigures> = {}): FeedbackFigures {
  return {
    created: 32,
    reviewed: 28,
    coverage: 28 / 32,
    fit: 12,
    notYet: 6,
    notFit: 10,
    // 12 / (12 + 10): "not yet" is left out (with it, 12 / 28 would read 43%).
    fitRate: 12 / 22,
    overdue: 3,
    rejectedDespiteDefinition: 2,
    reasonsByOwner: [
      {
        owner: "marketing",
        label: "Marketing can fix (targeting)",
        total: 8,
        reasons: [
          { key: "wrong_role", label: "Wrong role or seniority", count: 4 },
          { key: "company_too_small", label: "Company too small", count: 2 },
          { key: "wrong_industry", label: "Wrong industry", count: 1 },
          { key: "outside_regions", label: "Outside served regions", count: 1 },
        ],
      },
      {
        owner: "data",
        label: "Data quality",
        total: 2,
        reasons: [{ key: "duplicate", label: "Duplicate", count: 2 }],
      },
      {
        owner: "need",
        label: "No need or budget",
        total: 1,
        reasons: [{ key: "no_budget", label: "No budget", count: 1 }],
      },
    ],
    ...overrides,
  };
}

export function makeCampaign(
  overrides: Partial<CampaignFigures> & { key: string },
): CampaignFigures {
  return {
    name: overrides.key,
    channel: "paid search",
    owner: null,
    ...NOTHING_COUNTED,
    ...overrides,
  };
}

export function makeNote(overrides: Partial<DigestNote> = {}): DigestNote {
  return {
    text: "Webinar moved to Thursday <US holiday> & registrations slowed",
    author: "U3",
    campaignKey: "q4-webinar",
    metricKey: "pipeline",
    permalink: "https://acme.slack.com/archives/C1/p1794994200000100",
    ...overrides,
  };
}

export function makeNeedsContext(overrides: Partial<NeedsContext> = {}): NeedsContext {
  return {
    metricKey: "sessions",
    label: "Sessions",
    campaignKey: null,
    change: 0.42,
    askUser: "U5",
    ...overrides,
  };
}

const NORTH_STAR = makeFigure({
  key: "pipeline",
  label: "Pipeline",
  unit: "currency",
  stage: "pipeline",
  value: 250_000,
  previous: 223_214,
  trailingAverage: trailingAverage([230_000, 240_000, 235_000, 247_000]),
  weeklyTarget: 300_000,
  owner: "U4",
});

const KPIS: MetricFigure[] = [
  makeFigure({ key: "sqls", label: "SQLs", value: 25, previous: 20, trailingAverage: 22 }),
  makeFigure({
    key: "impressions",
    label: "Impressions",
    stage: "awareness",
    value: 120_000,
    previous: 100_000,
    trailingAverage: 110_000,
    pairing: "impressions 120k → 45 leads → 12 fit",
  }),
  makeFigure({
    key: "spend",
    label: "Spend",
    unit: "currency",
    stage: "cost",
    direction: "lower",
    value: 8000,
    previous: 10_000,
    trailingAverage: 9000,
    weeklyTarget: 10_000,
  }),
  makeFigure({
    key: "conversion",
    label: "Lead conversion",
    unit: "percent",
    value: 0.12,
    previous: 0.1,
    trailingAverage: 0.11,
  }),
  makeFigure({
    key: "nps",
    label: "NPS",
    unit: "score",
    stage: "advocacy",
    goal: "keep",
    value: 42,
    previous: 45,
    trailingAverage: 44,
    weeklyTarget: 45.5,
  }),
];

const CAMPAIGNS: CampaignFigures[] = [
  makeCampaign({
    key: "q4-webinar",
    name: "Q4 webinar",
    spend: 4000,
    leads: 14,
    fit: 8,
    notYet: 2,
    notFit: 2,
    fitRate: 0.8,
    costPerFitLead: 500,
  }),
  makeCampaign({
    key: "linkedin-abm",
    name: "LinkedIn ABM",
    spend: 3000,
    leads: 10,
    fit: 3,
    notYet: 2,
    notFit: 3,
    fitRate: 0.5,
    costPerFitLead: 1000,
  }),
  makeCampaign({
    key: "display-retargeting",
    name: "Display retargeting",
    spend: 1000,
    leads: 8,
    fit: 1,
    notYet: 2,
    notFit: 5,
    fitRate: 1 / 6,
    costPerFitLead: 1000,
  }),
];

/** A realistic week: every section has something to say. */
export function makeDigest(overrides: Partial<Digest> = {}): Digest {
  return {
    workspaceId: "T123",
    workspaceName: "Acme",
    week: "2026-W47",
    weekStart: "2026-11-16",
    weekEnd: "2026-11-22",
    timeZone: "Europe/Berlin",
    currency: "USD",
    campaignKey: null,
    northStar: NORTH_STAR,
    kpis: KPIS,
    feedback: makeFeedback(),
    campaigns: CAMPAIGNS,
    bestCampaign: "q4-webinar",
    worstCampaign: "display-retargeting",
    notes: [
      makeNote(),
      makeNote({
        text: "Sales kick-off: fewer reviews on Friday",
        author: "U7",
        campaignKey: null,
        metricKey: null,
        permalink: null,
      }),
    ],
    needsContext: [
      makeNeedsContext(),
      makeNeedsContext({
        metricKey: "direct_traffic",
        label: "Direct traffic",
        campaignKey: "linkedin-abm",
        change: -0.3,
        askUser: null,
      }),
    ],
    crmTrouble: null,
    hindsight: null,
    ...overrides,
  };
}

/** A week with no leads, no metrics and no notes. */
export function makeEmptyDigest(overrides: Partial<Digest> = {}): Digest {
  return makeDigest({
    northStar: null,
    kpis: [],
    feedback: NO_FEEDBACK,
    campaigns: [],
    bestCampaign: null,
    worstCampaign: null,
    notes: [],
    needsContext: [],
    crmTrouble: null,
    hindsight: null,
    ...overrides,
  });
}

/** 3,000 characters of markup, entities, quote markers and emoji. */
export const EVIL_NOTE = long(`${EVIL} `, 3000).slice(0, 3000);

/** The three months of a month's first digest: every reason and company named with `text`. */
export function makeHugeHindsight(text = EVIL_NOTE): HindsightReport {
  const months = ["2026-03-01", "2026-04-01", "2026-05-01"];
  return hindsightReport(
    months.flatMap((cohortStart, m) =>
      (["fit", "not_yet", "not_fit", "none"] as const).map((verdict, v) =>
        hindsightGroup({
          campaignKey: `${m} ${text}`,
          cohortStart,
          verdict,
          rep: text,
          leads: 100_000 + v,
          reachedOpportunity: 9_999,
          won: 999,
          wonAmount: 1e15,
        }),
      ),
    ),
    {
      rejected: Array.from({ length: 20 }, (_, i) => rejectedLead(i, `${i} ${text}`)),
      reasons: Array.from({ length: 100 }, (_, i) => ({
        reason: `${i} ${text}`,
        leads: 500,
        reachedOpportunity: 100 - i,
        won: 1,
      })),
      period: { since: "2026-03-01", until: "2026-05-31", today: "2026-12-07" },
    },
  );
}

/**
 * A huge workspace: 200 campaigns, 60 notes of 3,000 characters, 5 KPIs with long labels, 40
 * metrics that need context, a month's hindsight with 100 reasons, every text full of markup.
 * `text` replaces every user text.
 */
export function makeHugeDigest(text = EVIL_NOTE): Digest {
  const kpis = Array.from({ length: 5 }, (_, i) =>
    makeFigure({
      key: `kpi_${i}`,
      label: `${i} ${text}`,
      unit: i === 0 ? "currency" : "count",
      stage: i % 2 === 0 ? "awareness" : "lead",
      value: 123_456_789,
      previous: 100_000_000,
      trailingAverage: 110_000_000,
      weeklyTarget: 150_000_000,
      owner: text,
      pairing: i % 2 === 0 ? `impressions 123M → ${text}` : null,
    }),
  );
  const campaigns = Array.from({ length: 200 }, (_, i) =>
    makeCampaign({
      key: `campaign-${i}-${text}`.slice(0, 200),
      name: `${i} ${text}`,
      owner: text,
      spend: 1_000_000 + i,
      leads: 1000 + i,
      fit: 500,
      notYet: 100,
      notFit: 400,
      fitRate: 500 / 900,
      costPerFitLead: (1_000_000 + i) / 500,
    }),
  );
  return makeDigest({
    workspaceName: text,
    campaignKey: null,
    northStar: makeFigure({
      key: "north",
      label: text,
      unit: "currency",
      stage: "pipeline",
      value: 987_654_321,
      previous: 900_000_000,
      trailingAverage: 950_000_000,
      weeklyTarget: 1_000_000_000,
      owner: text,
    }),
    kpis,
    feedback: makeFeedback({
      reasonsByOwner: makeFeedback().reasonsByOwner.map((g) => ({
        ...g,
        label: `${g.label} ${text}`,
        reasons: Array.from({ length: 14 }, (_, i) => ({
          key: `reason_${i}`,
          label: `${i} ${text}`,
          count: 14 - i,
        })),
      })),
    }),
    campaigns,
    bestCampaign: campaigns[0]?.key ?? null,
    worstCampaign: campaigns[199]?.key ?? null,
    notes: Array.from({ length: 60 }, (_, i) =>
      makeNote({
        text: `${i} ${text}`,
        author: i % 2 === 0 ? `U${i}` : text,
        campaignKey: campaigns[i]?.key ?? null,
        metricKey: `kpi_${i % 5}`,
        permalink: `https://acme.slack.com/archives/C1/p${1_794_994_200_000_000 + i}`,
      }),
    ),
    hindsight: makeHugeHindsight(text),
    needsContext: Array.from({ length: 40 }, (_, i) =>
      makeNeedsContext({
        metricKey: `metric_${i}`,
        label: `${i} ${text}`,
        campaignKey: campaigns[i]?.key ?? null,
        change: i % 2 === 0 ? 1.5 : -0.6,
        askUser: i % 3 === 0 ? null : `U${i}`,
      }),
    ),
  });
}

/** Charts as the digest job passes them: uploaded, by URL (previews), and not yet processed. */
export function makeCharts(): DigestChart[] {
  return [
    {
      slackFileId: "F0PIPELINE",
      altText: "Pipeline over 12 weeks, rising to $250,000",
      title: "Pipeline",
    },
    {
      imageUrl: "https://leadfit.example/charts/fit-rate.png",
      altText: "Fit rate over 12 weeks",
      title: "Fit rate",
    },
    { altText: "Leads by campaign", title: "Leads by campaign" },
  ];
}

/** `n` uploaded charts with long alt texts and titles. */
export function makeManyCharts(n: number, text = EVIL_NOTE): DigestChart[] {
  return Array.from({ length: n }, (_, i) => ({
    slackFileId: `F${i}`,
    altText: `${i} ${text}`,
    title: `${i} ${text}`,
  }));
}
