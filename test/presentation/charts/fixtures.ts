import type {
  CampaignFigures,
  Digest,
  MetricFigure,
  WeekPoint,
} from "../../../src/domain/digest.ts";
import { makeCampaign, makeDigest, makeFigure } from "../slack/digest-fixtures.ts";

// Hand-made digests for the chart tests: no database, every number known in advance.

/** The twelve weeks ending with 2026-W47, oldest first. */
export const WEEKS: readonly string[] = Array.from(
  { length: 12 },
  (_, i) => `2026-W${String(36 + i).padStart(2, "0")}`,
);

export function series(values: readonly (number | null)[], weeks = WEEKS): WeekPoint[] {
  return values.map((value, i) => ({ week: weeks[i] ?? `2026-W${i}`, value }));
}

/** A metric figure whose value is the last week of its series unless given. */
export function metric(overrides: Partial<MetricFigure> & { key: string }): MetricFigure {
  return makeFigure({ value: overrides.series?.at(-1)?.value ?? null, ...overrides });
}

export const PIPELINE_VALUES = [
  120_000,
  98_000,
  null,
  140_000,
  155_000,
  150_000,
  170_000,
  190_000,
  185_000,
  210_000,
  230_000,
  250_000,
];
export const LEADS_VALUES = [40, 42, 45, 44, 50, 48, 52, null, 55, 58, 60, 54];
export const MQL_VALUES = [null, 20, 18, 22, 21, 19, 24, 23, 25, 22, 20, 16];

export function pipeline(overrides: Partial<MetricFigure> = {}): MetricFigure {
  return metric({
    key: "pipeline",
    label: "Pipeline",
    unit: "currency",
    stage: "pipeline",
    weeklyTarget: 240_000,
    series: series(PIPELINE_VALUES),
    ...overrides,
  });
}

export function leads(): MetricFigure {
  return metric({ key: "leads", label: "Leads", series: series(LEADS_VALUES) });
}

export function mqls(): MetricFigure {
  return metric({ key: "mqls", label: "MQLs", series: series(MQL_VALUES) });
}

export function campaign(overrides: Partial<CampaignFigures> & { key: string }): CampaignFigures {
  return makeCampaign({ channel: null, ...overrides });
}

export function campaigns(): CampaignFigures[] {
  return [
    campaign({ key: "q4-webinar", name: "Q4 webinar", leads: 9, fit: 4, notYet: 1, notFit: 3 }),
    campaign({ key: "linkedin-cfo", name: "LinkedIn CFO ads", leads: 14, fit: 6, notFit: 7 }),
    campaign({ key: "g2-reviews", name: "G2 reviews", leads: 5, fit: 3, notYet: 2 }),
    campaign({ key: "trade-show", name: "Trade show Berlin", leads: 3, notFit: 2 }),
  ];
}

/** A digest whose charted parts (North Star, KPIs, campaigns) are the series above. */
export function digest(overrides: Partial<Digest> = {}): Digest {
  return makeDigest({
    northStar: pipeline(),
    kpis: [leads(), mqls()],
    campaigns: campaigns(),
    bestCampaign: "g2-reviews",
    worstCampaign: "trade-show",
    ...overrides,
  });
}

// biome-ignore lint/suspicious/noExplicitAny: walking a chart.js options tree of many shapes
export type Tree = any;

/** A chart configuration's options, to walk in assertions. */
export function opts(config: { options?: unknown }): Tree {
  return config.options ?? {};
}
