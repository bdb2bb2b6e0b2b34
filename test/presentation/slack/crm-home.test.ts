import type { ActionsBlock, Button, SectionBlock } from "@slack/types";
import { describe, expect, it } from "vitest";
import type { CrmStatus } from "../../../src/domain/crm-verdict-write.ts";
import { CRM_CONNECT_OPTIONS, crmBlocks } from "../../../src/presentation/slack/crm-home.ts";
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

  it("offers each way to connect when there is no connection, the command line too", () => {
    const [about, ways] = crmBlocks(null);
    expect(text(about)).toContain("leadfit crm connect");
    expect(actionIds(ways)).toEqual([ACTIONS.crmConnectHubSpot, ACTIONS.crmConnectSalesforce]);
    const another = { actionId: "crm_connect_other", text: "Authorize" };
    expect(actionIds(crmBlocks(null, [...CRM_CONNECT_OPTIONS, another])[1])).toContain(
      "crm_connect_other",
    );
  });

  it("shows the connection's state and its writes with Sync now and Disconnect (confirmed), without a retry when nothing failed", () => {
    const blocks = crmBlocks(status());
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
    const blocks = crmBlocks(failing);
    expect(text(blocks[0])).toContain("⚠️ The last sync failed");
    const failed = blocks[2] as SectionBlock;
    expect(text(failed)).toContain("*Verdicts the CRM did not take* (2 more not shown)");
    expect((failed.accessory as Button).action_id).toBe(ACTIONS.crmWritesRetry);
    const view = { type: "home" as const, blocks };
    expectWithinSlackLimits(view);
    expectEscaped(view);
  });
});
