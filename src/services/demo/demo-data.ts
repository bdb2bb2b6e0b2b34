import type { Campaign } from "../../domain/campaign.ts";
import type { FieldValue, RuleDocument } from "../../domain/definition-rules.ts";
import type { Verdict } from "../../domain/verdict.ts";
import {
  addDays,
  addWeeks,
  formatIsoWeek,
  type IsoWeek,
  isoWeekOf,
  localMidnight,
  weekBounds,
  weekStartDate,
} from "../../domain/week.ts";
import type { TrackedMetric } from "../../domain/workspace.ts";

// A believable B2B quarter, generated relative to today with a fixed seed: the same day always
// gives the same data, so two runs of the demo print the same table.

export const DEMO_WEEKS = 12;
const SEED = 20_261_122;
const DAY_MS = 86_400_000;
/**
 * "Next quarter" leads come back six weeks on, so the oldest not-yet leads of the demo's twelve
 * weeks are back from not yet by today.
 */
const DEMO_REVISIT_DAYS = 42;

export const DEMO_PEOPLE = {
  marketingLead: "U0DEMOMKT1",
  salesLead: "U0DEMOSLS1",
  reps: ["U0DEMOSLS1", "U0DEMOSLS2", "U0DEMOSLS3"],
} as const;

export interface DemoLead {
  externalId: string;
  email: string;
  name: string;
  company: string;
  title: string;
  campaignKey: string;
  owner: string;
  createdAt: Date;
  fields: Record<string, FieldValue>;
}

export interface DemoVerdict {
  externalId: string;
  verdict: Verdict;
  reasons: string[];
  note: string | null;
  userId: string;
  givenAt: Date;
  /** Not yet only: when the lead comes back to sales. */
  revisitOn?: string;
}

export interface DemoMetricValue {
  metricKey: string;
  campaignKey: string;
  periodStart: string;
  value: number;
}

export interface DemoNote {
  week: string;
  text: string;
  author: string;
  campaignKey: string | null;
  metricKey: string | null;
}

/** What became of a demo lead: an opportunity, later won or lost. */
export interface DemoOutcome {
  externalId: string;
  lead: string;
  type: "opportunity" | "won" | "lost";
  at: Date;
  amount: number | null;
}

export interface DemoData {
  campaigns: Omit<Campaign, "id">[];
  metricValues: DemoMetricValue[];
  leads: DemoLead[];
  verdicts: DemoVerdict[];
  outcomes: DemoOutcome[];
  notes: DemoNote[];
  definition: RuleDocument;
  definitionAcceptedAt: Date;
  /** Sales' pending proposal: bigger companies only, which its backtest shows costs wins. */
  proposedDefinition: RuleDocument;
  northStar: TrackedMetric;
  kpis: TrackedMetric[];
}

/** mulberry32: tiny, fast and good enough for demo data. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface Profile {
  campaign: Omit<Campaign, "id">;
  weeklySpend: number;
  impressionsPerDollar: number;
  clickRate: number;
  leadsPerWeek: number;
  /** Chance a lead fits the agreed profile (size and region). */
  profileFit: number;
  /** Reasons sales gives when a lead is not a fit, by weight. */
  reasons: [string, number][];
}

const PROFILES: Profile[] = [
  {
    campaign: {
      key: "q4-webinar",
      name: "Q4 webinar: forecasting pipeline",
      channel: "events",
      owner: DEMO_PEOPLE.marketingLead,
      startsOn: null,
      endsOn: null,
      budget: 18_000,
    },
    weeklySpend: 1_400,
    impressionsPerDollar: 9,
    clickRate: 0.021,
    leadsPerWeek: 6,
    profileFit: 0.7,
    reasons: [
      ["wrong_role", 3],
      ["no_need", 2],
      ["competitor_or_vendor", 1],
    ],
  },
  {
    campaign: {
      key: "google-brand",
      name: "Google Ads: brand search",
      channel: "paid search",
      owner: DEMO_PEOPLE.marketingLead,
      startsOn: null,
      endsOn: null,
      budget: 30_000,
    },
    weeklySpend: 2_300,
    impressionsPerDollar: 14,
    clickRate: 0.065,
    leadsPerWeek: 6,
    profileFit: 0.75,
    reasons: [
      ["already_customer", 3],
      ["duplicate", 2],
      ["no_budget", 1],
    ],
  },
  {
    campaign: {
      key: "linkedin-abm",
      name: "LinkedIn ABM: mid-market",
      channel: "social",
      owner: DEMO_PEOPLE.marketingLead,
      startsOn: null,
      endsOn: null,
      budget: 40_000,
    },
    weeklySpend: 3_100,
    impressionsPerDollar: 55,
    clickRate: 0.006,
    leadsPerWeek: 5,
    profileFit: 0.6,
    reasons: [
      ["wrong_role", 4],
      ["company_too_large", 2],
      ["outside_regions", 2],
    ],
  },
  {
    campaign: {
      key: "benchmark-ebook",
      name: "2026 benchmark e-book",
      channel: "content",
      owner: DEMO_PEOPLE.marketingLead,
      startsOn: null,
      endsOn: null,
      budget: 9_000,
    },
    weeklySpend: 650,
    impressionsPerDollar: 40,
    clickRate: 0.012,
    leadsPerWeek: 4,
    profileFit: 0.35,
    reasons: [
      ["student_or_personal", 4],
      ["company_too_small", 4],
      ["spam_or_fake", 2],
    ],
  },
  {
    campaign: {
      key: "newsletter",
      name: "Monthly newsletter",
      channel: "email",
      owner: DEMO_PEOPLE.marketingLead,
      startsOn: null,
      endsOn: null,
      budget: 2_400,
    },
    weeklySpend: 180,
    impressionsPerDollar: 60,
    clickRate: 0.03,
    leadsPerWeek: 2,
    profileFit: 0.55,
    reasons: [
      ["no_response", 3],
      ["invalid_contact", 2],
    ],
  },
  {
    campaign: {
      key: "demo-videos",
      name: "Product demo videos",
      channel: "video",
      owner: DEMO_PEOPLE.marketingLead,
      startsOn: null,
      endsOn: null,
      budget: 12_000,
    },
    weeklySpend: 900,
    impressionsPerDollar: 70,
    clickRate: 0.004,
    leadsPerWeek: 2,
    profileFit: 0.5,
    reasons: [
      ["no_need", 2],
      ["company_too_small", 2],
      ["wrong_industry", 1],
    ],
  },
];

const FIRST_NAMES = [
  "Ana",
  "Ben",
  "Chloé",
  "Dev",
  "Eli",
  "Fatima",
  "Gus",
  "Hana",
  "Ivan",
  "Jia",
  "Kofi",
  "Lena",
  "Mateo",
  "Nora",
  "Omar",
  "Priya",
  "Quinn",
  "Rosa",
  "Sven",
  "Tariq",
  "Uma",
  "Vik",
  "Wen",
  "Yara",
  "Zoe",
];
const LAST_NAMES = [
  "Adams",
  "Berg",
  "Costa",
  "Dubois",
  "Eze",
  "Fischer",
  "García",
  "Hughes",
  "Ito",
  "Jensen",
  "Kim",
  "López",
  "Müller",
  "Nakamura",
  "Okafor",
  "Patel",
  "Rossi",
  "Silva",
  "Tanaka",
  "Walsh",
];
const COMPANIES = [
  "Acme Analytics",
  "Brightpath",
  "Cobalt Systems",
  "Driftwood Labs",
  "Evergreen Health",
  "Fieldstone",
  "Globex",
  "Harbor Freight Tech",
  "Inkwell",
  "Juniper Logistics",
  "Keystone Bank",
  "Lumen Retail",
  "Meridian Energy",
  "Northwind",
  "Orbital Media",
  "Pinecone Software",
  "Quartz Manufacturing",
  "Redwood Insurance",
  "Summit Telecom",
  "Tidal Foods",
];
const FIT_TITLES = [
  "VP Marketing",
  "Head of Revenue Operations",
  "Director of Sales",
  "CMO",
  "Marketing Operations Manager",
  "Head of Growth",
];
const MISFIT_TITLES = [
  "Student",
  "Intern",
  "Freelance consultant",
  "Account Executive",
  "Software Engineer",
];
const INDUSTRIES = [
  "Software",
  "Financial services",
  "Healthcare",
  "Manufacturing",
  "Retail",
  "Logistics",
];
const FIT_REGIONS = ["NA", "EU"];
const OTHER_REGIONS = ["APAC", "LATAM", "MEA"];

function pick<T>(rnd: () => number, items: readonly T[]): T {
  return items[Math.floor(rnd() * items.length)] as T;
}

function weighted(rnd: () => number, items: readonly [string, number][]): string {
  const total = items.reduce((sum, [, weight]) => sum + weight, 0);
  let roll = rnd() * total;
  for (const [item, weight] of items) {
    roll -= weight;
    if (roll < 0) return item;
  }
  return items[items.length - 1]?.[0] ?? "";
}

/** Roughly Poisson-distributed counts around a mean, kept simple. */
function around(rnd: () => number, mean: number, spread = 0.35): number {
  return Math.max(0, Math.round(mean * (1 + (rnd() * 2 - 1) * spread)));
}

export interface DemoOptions {
  /** "Today" in the workspace's timezone, as YYYY-MM-DD: the anchor of the whole dataset. */
  today: string;
  timeZone: string;
}

export function generateDemoData({ today, timeZone }: DemoOptions): DemoData {
  const rnd = random(SEED);
  const todayStart = localMidnight(today, timeZone);
  const currentWeek = isoWeekOf(todayStart, timeZone);
  const firstWeek = addWeeks(currentWeek, -DEMO_WEEKS);
  const weeks: IsoWeek[] = Array.from({ length: DEMO_WEEKS }, (_, i) => addWeeks(firstWeek, i));

  const metricValues: DemoMetricValue[] = [];
  const leads: DemoLead[] = [];
  const verdicts: DemoVerdict[] = [];
  let leadNumber = 0;

  // Weeks to generate leads in: the twelve complete ones, then the current one up to today.
  for (const week of [...weeks, currentWeek]) {
    const { start } = weekBounds(week, timeZone);
    const complete = week !== currentWeek;
    const daysAvailable = complete
      ? 7
      : Math.max(0, Math.round((todayStart.getTime() - start.getTime()) / DAY_MS));
    // A gentle upward trend over the quarter, so the charts have a story.
    const trend = 0.85 + (0.3 * weeks.indexOf(week)) / DEMO_WEEKS;
    for (const profile of PROFILES) {
      const key = profile.campaign.key;
      if (complete) {
        const spend = Math.round(profile.weeklySpend * trend * (0.85 + rnd() * 0.3));
        const impressions = Math.round(spend * profile.impressionsPerDollar * (0.9 + rnd() * 0.2));
        const clicks = Math.round(impressions * profile.clickRate * (0.85 + rnd() * 0.3));
        const sessions = Math.round(clicks * (0.8 + rnd() * 0.15));
        const reportedLeads = around(rnd, profile.leadsPerWeek * trend * 1.2);
        const mqls = Math.round(reportedLeads * (0.55 + rnd() * 0.15));
        const sqls = Math.round(mqls * profile.profileFit * (0.6 + rnd() * 0.2));
        const opportunities = Math.round(sqls * (0.45 + rnd() * 0.2));
        const pipeline = opportunities * Math.round(18_000 + rnd() * 12_000);
        const revenue = Math.round(pipeline * (0.12 + rnd() * 0.1));
        const periodStart = weekStartDate(week);
        const figures: [string, number][] = [
          ["spend", spend],
          ["impressions", impressions],
          ["clicks", clicks],
          ["sessions", sessions],
          ["engagements", Math.round(impressions * 0.01 * (0.8 + rnd() * 0.4))],
          ["leads", reportedLeads],
          ["mqls", mqls],
          ["sqls", sqls],
          ["opportunities", opportunities],
          ["pipeline", pipeline],
          ["revenue", revenue],
        ];
        if (profile.campaign.channel === "video") {
          figures.push(["video_views", Math.round(impressions * (0.18 + rnd() * 0.05))]);
        }
        for (const [metricKey, value] of figures) {
          metricValues.push({ metricKey, campaignKey: key, periodStart, value });
        }
      }

      const count = around(rnd, (profile.leadsPerWeek * trend * daysAvailable) / 7);
      for (let i = 0; i < count; i++) {
        leadNumber += 1;
        const createdAt = new Date(start.getTime() + rnd() * daysAvailable * DAY_MS);
        const fitsProfile = rnd() < profile.profileFit;
        const first = pick(rnd, FIRST_NAMES);
        const last = pick(rnd, LAST_NAMES);
        const company = pick(rnd, COMPANIES);
        const domain = `${company.toLowerCase().replace(/[^a-z]+/g, "")}.example`;
        const lead: DemoLead = {
          externalId: `demo-${String(leadNumber).padStart(4, "0")}`,
          email: `${first
            .toLowerCase()
            .normalize("NFD")
            .replace(/[^a-z]/g, "")}.${last
            .toLowerCase()
            .normalize("NFD")
            .replace(/[^a-z]/g, "")}@${domain}`,
          name: `${first} ${last}`,
          company,
          title: fitsProfile || rnd() < 0.5 ? pick(rnd, FIT_TITLES) : pick(rnd, MISFIT_TITLES),
          campaignKey: key,
          owner: pick(rnd, DEMO_PEOPLE.reps),
          createdAt,
          fields: {
            employees: fitsProfile ? Math.round(50 + rnd() * 1950) : Math.round(3 + rnd() * 45),
            region: fitsProfile || rnd() < 0.4 ? pick(rnd, FIT_REGIONS) : pick(rnd, OTHER_REGIONS),
            industry: pick(rnd, INDUSTRIES),
            // Numeric strings happen in real CRM exports; the definition compares them as numbers.
            annual_budget: String(Math.round((fitsProfile ? 20 : 2) + rnd() * 80) * 1000),
          },
        };
        leads.push(lead);
        verdicts.push(...judge(rnd, lead, fitsProfile, profile, todayStart));
      }
    }
  }

  return {
    campaigns: PROFILES.map((p) => p.campaign),
    metricValues: [...metricValues, ...companyWide(rnd, weeks)],
    leads,
    verdicts,
    outcomes: outcomesOf(leads, verdicts, todayStart),
    notes: notes(weeks),
    definition: {
      all: [
        { field: "employees", op: ">=", value: 50 },
        { field: "region", op: "in", value: ["NA", "EU"] },
      ],
    },
    definitionAcceptedAt: weekBounds(firstWeek, timeZone).start,
    proposedDefinition: {
      all: [
        { field: "employees", op: ">=", value: 250 },
        { field: "region", op: "in", value: ["NA", "EU"] },
      ],
    },
    northStar: { metricKey: "pipeline", weeklyTarget: 250_000 },
    kpis: [
      { metricKey: "leads", weeklyTarget: 30 },
      { metricKey: "sqls", weeklyTarget: 10 },
      { metricKey: "opportunities", weeklyTarget: 5 },
      { metricKey: "spend", weeklyTarget: 9_000 },
      { metricKey: "nps", weeklyTarget: 45 },
    ],
  };
}

/** Sales' verdicts on one lead: most are reviewed within days; some "not yet" turn into fits. */
function judge(
  rnd: () => number,
  lead: DemoLead,
  fitsProfile: boolean,
  profile: Profile,
  todayStart: Date,
): DemoVerdict[] {
  const reviewedAt = new Date(lead.createdAt.getTime() + (2 + rnd() * 70) * 3_600_000);
  // Leads from the last two days are mostly still waiting for sales.
  if (reviewedAt >= todayStart || rnd() < 0.12) return [];
  const userId = lead.owner;
  const roll = rnd();
  if (fitsProfile && roll < 0.62) {
    return [
      {
        externalId: lead.externalId,
        verdict: "fit",
        reasons: [],
        note: null,
        userId,
        givenAt: reviewedAt,
      },
    ];
  }
  if (fitsProfile && roll < 0.85) {
    const first: DemoVerdict = {
      externalId: lead.externalId,
      verdict: "not_yet",
      reasons: [],
      note: "Evaluating vendors next quarter",
      userId,
      givenAt: reviewedAt,
      revisitOn: addDays(reviewedAt.toISOString().slice(0, 10), DEMO_REVISIT_DAYS),
    };
    const { revisitOn: _revisitOn, ...judged } = first;
    const later = new Date(reviewedAt.getTime() + (14 + rnd() * 14) * DAY_MS);
    return rnd() < 0.3 && later < todayStart
      ? [
          first,
          { ...judged, verdict: "fit", note: "Budget approved, meeting booked", givenAt: later },
        ]
      : [first];
  }
  const reasons = [weighted(rnd, profile.reasons)];
  if (rnd() < 0.2) {
    const second = weighted(rnd, profile.reasons);
    if (second !== reasons[0]) reasons.push(second);
  }
  return [
    {
      externalId: lead.externalId,
      verdict: "not_fit",
      reasons,
      note: null,
      userId,
      givenAt: reviewedAt,
    },
  ];
}

/**
 * What became of the leads, for hindsight. The story: the webinar's "wrong role" rejections were
 * often the buying committee's first contact, and many of them later bought; "not yet" leads
 * convert about as often as fits, only later. Its own random sequence, so the leads and verdicts
 * above stay as they were.
 */
function outcomesOf(leads: DemoLead[], verdicts: DemoVerdict[], todayStart: Date): DemoOutcome[] {
  const rnd = random(SEED + 1);
  const firstVerdict = new Map<string, DemoVerdict>();
  for (const v of verdicts) if (!firstVerdict.has(v.externalId)) firstVerdict.set(v.externalId, v);
  const outcomes: DemoOutcome[] = [];
  for (const lead of leads) {
    const verdict = firstVerdict.get(lead.externalId);
    const wrongRoleAtWebinar =
      lead.campaignKey === "q4-webinar" && verdict?.reasons.includes("wrong_role") === true;
    const chance =
      verdict === undefined
        ? 0.05
        : verdict.verdict === "fit"
          ? 0.35
          : verdict.verdict === "not_yet"
            ? 0.3
            : wrongRoleAtWebinar
              ? 0.6
              : 0.04;
    const roll = rnd();
    const delayDays = (verdict?.verdict === "not_yet" ? 30 : 8) + rnd() * 30;
    const openedAt = new Date(lead.createdAt.getTime() + delayDays * DAY_MS);
    const amount = Math.round(8 + rnd() * 40) * 1000;
    const closeRoll = rnd();
    const closedAt = new Date(openedAt.getTime() + (15 + rnd() * 30) * DAY_MS);
    if (roll >= chance || openedAt >= todayStart) continue;
    const id = `demo-opp-${lead.externalId.slice("demo-".length)}`;
    outcomes.push({
      externalId: id,
      lead: lead.externalId,
      type: "opportunity",
      at: openedAt,
      amount,
    });
    if (closedAt >= todayStart || closeRoll >= 0.75) continue;
    outcomes.push(
      closeRoll < 0.45
        ? { externalId: id, lead: lead.externalId, type: "won", at: closedAt, amount }
        : { externalId: id, lead: lead.externalId, type: "lost", at: closedAt, amount: null },
    );
  }
  return outcomes;
}

function companyWide(rnd: () => number, weeks: IsoWeek[]): DemoMetricValue[] {
  return weeks.flatMap((week, i) => {
    const periodStart = weekStartDate(week);
    // A podcast mention in week 8 lifts direct traffic: the kind of thing a context note explains.
    const lift = i === 7 ? 1.6 : 1;
    return [
      {
        metricKey: "direct_traffic",
        campaignKey: "",
        periodStart,
        value: Math.round((2_400 + rnd() * 500) * lift),
      },
      {
        metricKey: "nps",
        campaignKey: "",
        periodStart,
        value: Math.round(38 + rnd() * 8 + i * 0.4),
      },
    ];
  });
}

function notes(weeks: IsoWeek[]): DemoNote[] {
  const at = (i: number) => formatIsoWeek(weeks[i] as IsoWeek);
  return [
    {
      week: at(3),
      text: "Webinar moved from Tuesday to Thursday; registrations dipped that week.",
      author: DEMO_PEOPLE.marketingLead,
      campaignKey: "q4-webinar",
      metricKey: null,
    },
    {
      week: at(7),
      text: "Podcast mention on Revenue Rebels: direct traffic and brand search jumped.",
      author: DEMO_PEOPLE.marketingLead,
      campaignKey: null,
      metricKey: "direct_traffic",
    },
    {
      week: at(9),
      text: "LinkedIn ABM creative refreshed; new audience excludes companies under 50 people.",
      author: DEMO_PEOPLE.marketingLead,
      campaignKey: "linkedin-abm",
      metricKey: null,
    },
    {
      week: at(11),
      text: "Two reps at a conference: reviews slower than usual this week.",
      author: DEMO_PEOPLE.salesLead,
      campaignKey: null,
      metricKey: null,
    },
  ];
}
