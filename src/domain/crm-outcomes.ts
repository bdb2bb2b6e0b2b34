import type { OutcomeType } from "./ingest-schemas.ts";
import { localMidnight } from "./week.ts";

/** One outcome a CRM opportunity (HubSpot deal, Salesforce Opportunity) stands for. */
export interface CrmOutcome {
  type: OutcomeType;
  at: Date;
  amount: number | null;
}

/**
 * An opportunity as the sync stores it: the outcomes it stands for now (they replace whatever
 * Leadfit held for its id, so a reopened deal loses its `won`), and the CRM ids of the leads it
 * may belong to. Of those that are Leadfit leads, the earliest created gets it: the lead that
 * brought the opportunity in.
 */
export interface CrmOpportunity {
  externalId: string;
  outcomes: CrmOutcome[];
  leadCandidates: string[];
}

type CrmValue = string | number | boolean | null | undefined;

function amountOf(value: CrmValue): number | null {
  if (value === null || value === undefined || value === "") return null;
  const amount = Number(value);
  return Number.isFinite(amount) ? amount : null;
}

/** A CRM's date-time text as a time; null when empty or unreadable. */
export function crmTime(value: CrmValue): Date | null {
  if (typeof value !== "string" || value === "") return null;
  // Salesforce writes offsets without a colon (+0000), which not every parser takes.
  const at = new Date(value.replace(/([+-]\d{2})(\d{2})$/, "$1:$2"));
  return Number.isNaN(at.getTime()) ? null : at;
}

function outcomesOf(input: {
  openedAt: Date;
  closedAt: Date;
  amount: number | null;
  closed: boolean;
  won: boolean;
}): CrmOutcome[] {
  const opened: CrmOutcome = { type: "opportunity", at: input.openedAt, amount: input.amount };
  if (!input.closed) return [opened];
  return [
    opened,
    input.won
      ? { type: "won", at: input.closedAt, amount: input.amount }
      : { type: "lost", at: input.closedAt, amount: null },
  ];
}

/**
 * A HubSpot deal's outcomes: `opportunity` from its create date, and `won` or `lost` once
 * `hs_is_closed` (from `hs_is_closed_won`) at its close date. A closed deal without a close date
 * closed when it was last changed.
 */
export function hubspotDealOutcomes(deal: {
  createdAt: string;
  updatedAt: string;
  properties: Record<string, string | null>;
}): CrmOutcome[] {
  const p = deal.properties;
  const openedAt = crmTime(p.createdate) ?? new Date(deal.createdAt);
  return outcomesOf({
    openedAt,
    closedAt: crmTime(p.closedate) ?? crmTime(p.hs_lastmodifieddate) ?? new Date(deal.updatedAt),
    amount: amountOf(p.amount),
    closed: p.hs_is_closed === "true",
    won: p.hs_is_closed_won === "true",
  });
}

/** The contact properties a lifecycle outcome is read from. */
export const HUBSPOT_LIFECYCLE_PROPERTIES = [
  "hs_lifecyclestage_opportunity_date",
  "hs_lifecyclestage_customer_date",
  "num_associated_deals",
] as const;

/** The outcome id a contact's lifecycle stands under: a contact's id is no opportunity's. */
export function hubspotLifecycleId(contactId: string): string {
  return `lifecycle:${contactId}`;
}

/**
 * A HubSpot contact's outcomes from its lifecycle stage, for a contact without deals (a team that
 * tracks buyers by stage only): `opportunity` when it reached the opportunity stage, and `won`,
 * without an amount, when it reached customer. A contact with deals has none: its deals speak.
 */
export function hubspotLifecycleOutcomes(
  properties: Record<string, string | null | undefined>,
): CrmOutcome[] {
  if (Number(properties.num_associated_deals ?? 0) > 0) return [];
  const customer = crmTime(properties.hs_lifecyclestage_customer_date);
  const opened = crmTime(properties.hs_lifecyclestage_opportunity_date) ?? customer;
  if (!opened) return [];
  const outcomes: CrmOutcome[] = [{ type: "opportunity", at: opened, amount: null }];
  if (customer) outcomes.push({ type: "won", at: customer, amount: null });
  return outcomes;
}

/**
 * A Salesforce Opportunity's outcomes: `opportunity` from CreatedDate, and `won` (IsWon) or
 * `lost` once IsClosed, on CloseDate. CloseDate is a date without a time: the start of that day
 * in the workspace's timezone, as for any date Leadfit reads.
 */
export function salesforceOpportunityOutcomes(
  opportunity: Record<string, CrmValue>,
  timeZone: string,
): CrmOutcome[] {
  const openedAt = crmTime(opportunity.CreatedDate) ?? crmTime(opportunity.SystemModstamp);
  if (!openedAt) return [];
  const closeDate = opportunity.CloseDate;
  const closedAt =
    typeof closeDate === "string" && /^\d{4}-\d{2}-\d{2}$/.test(closeDate)
      ? localMidnight(closeDate, timeZone)
      : (crmTime(opportunity.SystemModstamp) ?? openedAt);
  return outcomesOf({
    openedAt,
    closedAt,
    amount: amountOf(opportunity.Amount),
    closed: opportunity.IsClosed === true,
    won: opportunity.IsWon === true,
  });
}
