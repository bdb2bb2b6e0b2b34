import type { ActionsBlock, Button, ContextBlock, MrkdwnElement, SectionBlock } from "@slack/types";
import { describe, expect, it } from "vitest";
import type { CrmStatus } from "../../../src/domain/crm-verdict-write.ts";
import { crmBlocks } from "../../../src/presentation/slack/crm-home.ts";
import { ACTIONS } from "../../../src/presentation/slack/ids.ts";
import { expectWithinSlackLimits } from "../../support/block-kit-limits.ts";
import { expectEscaped, HUGE } from "./fixtures.ts";

const AT = new Date("2026-12-01T10:00:00Z");

function status(overrides: Partial<CrmStatus> = {}): CrmStatus {
  return {
    connection: {
      kind: "hubspot",
      connectedBy: "U0ADMIN",
      connectedAt: AT,
      account: "portal 4455667",
      backfillDays: 90,
      cursors: {},
      lastSyncAt: AT,
      lastError: null,
      lastErrorAt: null,
      counts: {
        leadsCreated: 120,
        leadsUpdated: 8,
        leadsRemoved: 1,
        outcomes: 4,
        verdictsWritten: 30,
      },
    },
    writes: { pending: 2, written: 30, failed: 0 },
    failedWrites: [],
    ...overrides,
  };
}

const text = (block: unknown) => ((block as SectionBlock).text?.text ?? "") as string;

describe("App Home: the CRM for admins", () => {
  const actionIds = (block: unknown) =>
    (block as ActionsBlock).elements.map((e) => (e as Button).action_id);

  const READY = { hubspot: [], salesforce: [] };
  const contextText = (block: unknown) =>
    (block as ContextBlock).elements.map((e) => (e as MrkdwnElement).text);

  it("offers each way to connect when there is no connection: token forms, OAuth, the command line", () => {
    const blocks = crmBlocks(null, READY);
    expect(blocks).toHaveLength(2);
    const [about, ways] = blocks;
    expect(text(about)).toContain("leadfit crm connect");
    expect(actionIds(ways)).toEqual([
      ACTIONS.crmConnectHubSpot,
      ACTIONS.crmAuthorizeHubSpot,
      ACTIONS.crmConnectSalesforce,
      ACTIONS.crmAuthorizeSalesforce,
    ]);
    expect(((ways as ActionsBlock).elements[3] as Button).text.text).toBe(
      "Authorize with Salesforce",
    );
  });

  it("offers Authorize only for a CRM whose OAuth app is set, and says what to set for the other", () => {
    const blocks = crmBlocks(null, {
      hubspot: ["HUBSPOT_CLIENT_ID", "HUBSPOT_CLIENT_SECRET"],
      salesforce: [],
    });
    expect(actionIds(blocks[1])).toEqual([
      ACTIONS.crmConnectHubSpot,
      ACTIONS.crmConnectSalesforce,
      ACTIONS.crmAuthorizeSalesforce,
    ]);
    expect(contextText(blocks[2])).toEqual([
      "To authorize with HubSpot here (OAuth), set `HUBSPOT_CLIENT_ID` and `HUBSPOT_CLIENT_SECRET`.",
    ]);

    const noKey = crmBlocks(null, {
      hubspot: ["LEADFIT_ENCRYPTION_KEY"],
      salesforce: ["SALESFORCE_CLIENT_ID", "SALESFORCE_CLIENT_SECRET", "LEADFIT_ENCRYPTION_KEY"],
    });
    expect(actionIds(noKey[1])).toEqual([ACTIONS.crmConnectHubSpot, ACTIONS.crmConnectSalesforce]);
    expect(contextText(noKey[2])).toEqual([
      "To authorize with HubSpot here (OAuth), set `LEADFIT_ENCRYPTION_KEY`.",
      "To authorize with Salesforce here (OAuth), set `SALESFORCE_CLIENT_ID`, `SALESFORCE_CLIENT_SECRET`, and `LEADFIT_ENCRYPTION_KEY`.",
    ]);
    expectWithinSlackLimits({ type: "home", blocks: noKey });
  });

  it("offers no way to connect once connected", () => {
    const shown = JSON.stringify(crmBlocks(status(), READY));
    for (const id of [ACTIONS.crmConnectHubSpot, ACTIONS.crmAuthorizeHubSpot]) {
      expect(shown).not.toContain(id);
    }
  });

  it("shows the connection's state and its writes with Sync now and Disconnect (confirmed), without a retry when nothing failed", () => {
    const blocks = crmBlocks(status(), READY);
    expect(blocks).toHaveLength(2);
    expect(actionIds(blocks[1])).toEqual([ACTIONS.crmSyncNow, ACTIONS.crmDisconnect]);
    const disconnect = (blocks[1] as ActionsBlock).elements[1] as Button;
    expect(disconnect.confirm?.title?.text).toBe("Disconnect HubSpot?");
    expect(text(blocks[0])).toContain("*CRM: HubSpot* (portal 4455667), connected by <@U0ADMIN>");
    expect(text(blocks[0])).toContain("Leads: 120 created, 8 updated, 1 removed · outcomes: 4");
    expect(text(blocks[0])).toContain("Verdicts written back: 30 · 2 waiting · 0 failed");
    expect(text(blocks[0])).not.toContain("⚠️");
  });

  it("shows a failing sync and failed writes with the CRM's message and a Retry, within Slack's limits and escaped", () => {
    const failing = status({
      connection: { ...status().connection, lastError: HUGE, lastErrorAt: AT },
      writes: { pending: 0, written: 3, failed: 7 },
      failedWrites: Array.from({ length: 5 }, () => ({
        email: HUGE,
        verdict: "not_fit" as const,
        givenAt: AT,
        lastError: HUGE,
      })),
    });
    const blocks = crmBlocks(failing, READY);
    expect(text(blocks[0])).toContain("⚠️ The last sync failed");
    const failed = blocks[2] as SectionBlock;
    expect(text(failed)).toContain("*Verdicts the CRM did not take* (2 more not shown)");
    expect((failed.accessory as Button).action_id).toBe(ACTIONS.crmWritesRetry);
    const view = { type: "home" as const, blocks };
    expectWithinSlackLimits(view);
    expectEscaped(view);
  });
});
