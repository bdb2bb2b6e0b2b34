import { describe, expect, it } from "vitest";
import {
  hubspotDealOutcomes,
  hubspotLifecycleOutcomes,
  salesforceOpportunityOutcomes,
} from "../../src/domain/crm-outcomes.ts";

const deal = (properties: Record<string, string | null>) => ({
  createdAt: "2026-11-01T09:00:00.000Z",
  updatedAt: "2026-11-25T12:00:00.000Z",
  properties,
});

describe("CRM opportunities as outcomes", () => {
  it("reads a HubSpot deal: open, won, lost, and closed without a close date", () => {
    expect(hubspotDealOutcomes(deal({ amount: "1,000", hs_is_closed: "false" }))).toEqual([
      { type: "opportunity", at: new Date("2026-11-01T09:00:00.000Z"), amount: null },
    ]);
    expect(
      hubspotDealOutcomes(
        deal({
          createdate: "2026-11-02T10:00:00.000Z",
          amount: "2500.75",
          closedate: "2026-11-20T15:00:00.000Z",
          hs_is_closed: "true",
          hs_is_closed_won: "true",
        }),
      ),
    ).toEqual([
      { type: "opportunity", at: new Date("2026-11-02T10:00:00.000Z"), amount: 2500.75 },
      { type: "won", at: new Date("2026-11-20T15:00:00.000Z"), amount: 2500.75 },
    ]);
    expect(hubspotDealOutcomes(deal({ amount: "40", hs_is_closed: "true" }))[1]).toEqual({
      type: "lost",
      at: new Date("2026-11-25T12:00:00.000Z"),
      amount: null,
    });
  });

  it("reads a HubSpot contact's lifecycle dates only while it has no deal", () => {
    const customer = { hs_lifecyclestage_customer_date: "2026-11-01T10:00:00.000Z" };
    const at = new Date("2026-11-01T10:00:00.000Z");
    expect(hubspotLifecycleOutcomes(customer)).toEqual([
      { type: "opportunity", at, amount: null },
      { type: "won", at, amount: null },
    ]);
    expect(hubspotLifecycleOutcomes({ ...customer, num_associated_deals: "1" })).toEqual([]);
    expect(hubspotLifecycleOutcomes({ hs_lifecyclestage_opportunity_date: null })).toEqual([]);
  });

  it("reads a Salesforce Opportunity: +0000 times, and CloseDate as that day in the workspace's zone", () => {
    expect(
      salesforceOpportunityOutcomes(
        {
          CreatedDate: "2026-11-02T10:00:00.000+0000",
          CloseDate: "2026-12-01",
          Amount: 8000,
          IsClosed: true,
          IsWon: true,
        },
        "America/New_York",
      ),
    ).toEqual([
      { type: "opportunity", at: new Date("2026-11-02T10:00:00.000Z"), amount: 8000 },
      { type: "won", at: new Date("2026-12-01T05:00:00.000Z"), amount: 8000 },
    ]);
    expect(salesforceOpportunityOutcomes({ CreatedDate: "not a time" }, "UTC")).toEqual([]);
  });
});
