// Test data for the block builders: realistic defaults, and the hostile extremes real data brings
// (very long text, emoji, markup that must be escaped).

import { expect } from "vitest";
import type { AgreedDefinition } from "../../../src/domain/agreed-definition.ts";
import type { FieldValue, Rule, RuleDocument } from "../../../src/domain/definition-rules.ts";
import type { Lead, LeadFeedback } from "../../../src/domain/lead.ts";
import type { MetricDefinition, MetricStage } from "../../../src/domain/metrics.ts";
import { METRIC_STAGES } from "../../../src/domain/metrics.ts";
import type { Reason } from "../../../src/domain/taxonomy.ts";
import { REASON_OWNERS } from "../../../src/domain/taxonomy.ts";
import type { Workspace } from "../../../src/domain/workspace.ts";

export const NOW = new Date("2026-11-18T09:30:00Z");
/** NOW as Slack's date token. */
export const NOW_TOKEN = "<!date^1794994200^{date_short_pretty} at {time}|2026-11-18T09:30:00Z>";

/** Markup, an entity, a quote marker, and a family emoji (several code points, one grapheme). */
export const EVIL = "Zoë <script>alert('x')</script> & Co > *bold* 👩‍👩‍👧‍👦";

/** `text` repeated to at least `length` characters. */
export function long(text: string, length: number): string {
  return text.repeat(Math.ceil(length / text.length));
}

export const HUGE = long(`${EVIL} `, 10_000);

export function makeLead(overrides: Partial<Lead> = {}): Lead {
  return {
    id: "lead_01",
    workspaceId: "T123",
    externalId: "crm-1001",
    email: "ana.costa@acme.example",
    name: "Ana Costa",
    company: "Acme",
    title: "CMO",
    campaignKey: "q4-webinar",
    owner: null,
    createdAt: NOW,
    fields: { employees: 120, region: "EU", budget: true },
    definition: { status: "met", failures: [], version: 3 },
    card: null,
    ...overrides,
  };
}

/** A lead with every text at its worst. */
export function makeExtremeLead(overrides: Partial<Lead> = {}): Lead {
  return makeLead({
    email: `${long("x", 400)}@${EVIL}.example`,
    name: HUGE,
    company: HUGE,
    title: HUGE,
    owner: HUGE,
    fields: makeFields(50, true),
    definition: {
      status: "not_met",
      version: 12,
      failures: Array.from({ length: 60 }, (_, i) => ({
        text: `field_${i} in ${long(`${EVIL}, `, 300)}`,
        reason: i % 2 === 0 ? "failed" : "missing",
      })),
    },
    ...overrides,
  });
}

export function makeFields(n: number, extreme = false): Record<string, FieldValue> {
  const fields: Record<string, FieldValue> = {};
  for (let i = 0; i < n; i++) {
    const key = extreme ? `${long(`k${i}<`, 120)}` : `field_${i}`;
    const values: FieldValue[] = [extreme ? HUGE : `value ${i}`, i, i % 2 === 0, null];
    fields[key] = values[i % values.length] ?? null;
  }
  return fields;
}

export function makeFeedback(overrides: Partial<LeadFeedback> = {}): LeadFeedback {
  return {
    id: "fb_01",
    leadId: "lead_01",
    verdict: "fit",
    reasons: [],
    note: null,
    userId: "U1",
    givenAt: NOW,
    definitionStatus: "met",
    revisitOn: null,
    cameBackAt: null,
    ...overrides,
  };
}

export const RULES: RuleDocument = {
  all: [
    { field: "employees", op: ">=", value: 50 },
    { field: "region", op: "in", value: ["NA", "EU"] },
    { field: "budget", op: "exists" },
  ],
};

/** `n` rules, each with a long list value full of markup. */
export function makeRules(n: number): RuleDocument {
  const all: Rule[] = Array.from({ length: n }, (_, i) => ({
    field: `field_${i}`,
    op: "in",
    value: [long(`${EVIL}\``, 200), `"quoted ${i}"`, i],
  }));
  return { all };
}

export function makeDefinition(overrides: Partial<AgreedDefinition> = {}): AgreedDefinition {
  return {
    version: 3,
    rules: RULES,
    state: "active",
    proposedBy: "U1",
    proposedAt: new Date("2026-11-10T08:00:00Z"),
    decidedBy: "U2",
    decidedAt: NOW,
    ...overrides,
  };
}

export function makeWorkspace(overrides: Partial<Workspace> = {}): Workspace {
  return {
    id: "T123",
    name: "Acme",
    active: true,
    timezone: "Europe/Berlin",
    currency: "EUR",
    salesChannelId: "C_SALES",
    marketingChannelId: null,
    salesTeam: ["U1", "U2"],
    marketingTeam: ["U3"],
    northStar: { metricKey: "sqls", weeklyTarget: 25 },
    kpis: [
      { metricKey: "leads", weeklyTarget: 40 },
      { metricKey: "pipeline", weeklyTarget: null },
      { metricKey: "nps", weeklyTarget: 45.5 },
    ],
    reviewSlaHours: 48,
    needsContextThresholdPct: 25,
    conversionWindowDays: 180,
    hindsightPerRep: false,
    admins: ["U9"],
    installedBy: "U9",
    webhook: null,
    ...overrides,
  };
}

/** `n` reasons spread over the owners; `extreme` gives them long labels full of markup. */
export function makeReasons(n: number, extreme = false): Reason[] {
  return Array.from({ length: n }, (_, i) => ({
    key: `reason_${i}`,
    label: extreme ? `${i} ${HUGE}` : `Reason ${i}`,
    owner: REASON_OWNERS[i % REASON_OWNERS.length] ?? "marketing",
  }));
}

export function makeMetric(
  key: string,
  label: string,
  stage: MetricStage = "lead",
): MetricDefinition {
  return {
    key,
    label,
    unit: "count",
    stage,
    goal: "find",
    direction: "higher",
    aggregation: "sum",
    owner: null,
  };
}

/** `n` metrics; `extreme` gives them long labels. */
export function makeMetrics(n: number, extreme = false): MetricDefinition[] {
  return Array.from({ length: n }, (_, i) =>
    makeMetric(
      `metric_${i}`,
      extreme ? `${i} ${HUGE}` : `Metric ${i}`,
      METRIC_STAGES[i % METRIC_STAGES.length] ?? "lead",
    ),
  );
}

/** Every mrkdwn text in a payload: the texts that must have user data escaped. */
export function mrkdwnTexts(payload: unknown): string[] {
  const texts: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) walk(item);
    } else if (typeof node === "object" && node !== null) {
      const obj = node as Record<string, unknown>;
      if (obj.type === "mrkdwn" && typeof obj.text === "string") texts.push(obj.text);
      for (const value of Object.values(obj)) walk(value);
    }
  };
  walk(payload);
  return texts;
}

/** Asserts that no mrkdwn text carries raw markup from the hostile fixtures. */
export function expectEscaped(payload: unknown): void {
  const texts = mrkdwnTexts(payload);
  expect(texts.length).toBeGreaterThan(0);
  for (const text of texts) expect(text).not.toContain("<script>");
  expect(texts.some((t) => t.includes("&lt;script&gt;"))).toBe(true);
}
