import type { Button, ContextBlock, KnownBlock, SectionBlock } from "@slack/types";
import { describe, expect, it } from "vitest";
import { appHome } from "../../../src/presentation/slack/app-home.ts";
import {
  campaignAliasBlocks,
  campaignAliasModal,
  MAX_LISTED_ALIASES,
} from "../../../src/presentation/slack/campaign-alias-home.ts";
import { ACTIONS, INPUTS } from "../../../src/presentation/slack/ids.ts";
import { expectWithinSlackLimits } from "../../support/block-kit-limits.ts";
import { EVIL, expectEscaped, HUGE, long, makeExtremeLead } from "./fixtures.ts";

const section = (block: KnownBlock) => block as SectionBlock;
const removeButtons = (blocks: readonly unknown[]) =>
  blocks
    .map((b) => section(b as KnownBlock).accessory as Button | undefined)
    .filter((b): b is Button => b?.action_id === ACTIONS.campaignAliasRemove);

const aliases = (n: number, name = (i: number) => `Brand ${i}`) =>
  Array.from({ length: n }, (_, i) => ({ name: name(i), campaignKey: `campaign-${i}` }));

describe("App Home: campaign aliases for admins", () => {
  it("invites to add the first alias", () => {
    const blocks = campaignAliasBlocks([]);
    expect(blocks).toHaveLength(1);
    expect(section(blocks[0] as KnownBlock).text?.text).toContain("None yet");
    expect((section(blocks[0] as KnownBlock).accessory as Button).action_id).toBe(
      ACTIONS.campaignAliasAdd,
    );
  });

  it("lists each name → key with a Remove button carrying the name, behind a confirm", () => {
    const blocks = campaignAliasBlocks([
      { name: "Brand | Exact | US", campaignKey: "google-brand" },
      { name: "Q4 Webinar", campaignKey: "q4-webinar" },
    ]);
    expect(section(blocks[1] as KnownBlock).text?.text).toBe(
      "• Brand | Exact | US → `google-brand`",
    );
    const removes = removeButtons(blocks);
    expect(removes.map((b) => b.value)).toEqual(["Brand | Exact | US", "Q4 Webinar"]);
    expect(removes.every((b) => b.confirm !== undefined)).toBe(true);
    expect(blocks.some((b) => b.type === "context")).toBe(false);
  });

  it(`shows ${MAX_LISTED_ALIASES} and counts the rest, within Slack's limits and escaped`, () => {
    const blocks = campaignAliasBlocks(aliases(45, (i) => long(`${EVIL} ${i} `, 200)));
    expect(removeButtons(blocks)).toHaveLength(MAX_LISTED_ALIASES);
    const more = blocks.at(-1) as ContextBlock;
    expect(JSON.stringify(more.elements)).toContain(
      "and 25 more aliases — `leadfit campaign alias list`",
    );
    expectWithinSlackLimits({ type: "home", blocks });
    expectEscaped({ type: "home", blocks });
  });

  it("keeps the whole home within 100 blocks beside everything else an admin sees", () => {
    const view = appHome({
      viewerId: "U1",
      isAdmin: true,
      leads: Array.from({ length: 40 }, (_, i) => ({
        lead: makeExtremeLead({ id: `lead_${i}` }),
        campaignName: HUGE,
        backFromNotYet: null,
      })),
      totalWaiting: 40,
      offset: 0,
      pageSize: 40,
      week: { label: "2026-W47", created: 1, reviewed: 1, fit: 1, notYet: 0, notFit: 0 },
      adminNotices: ["One", "Two"],
      hindsight: null,
      admin: {
        apiKeys: Array.from({ length: 8 }, (_, i) => ({
          id: `k${i}`,
          label: HUGE,
          prefix: "lf_abc",
          lastUsedAt: null,
        })),
        webhook: { url: null, pending: 0, delivered: 0, failed: 0, lastError: null },
        failedCards: [],
        crm: null,
        crmAuthorizeMissing: { hubspot: [], salesforce: [] },
        campaignAliases: aliases(30),
        schedules: [],
        failedRuns: [],
      },
    });
    expectWithinSlackLimits(view);
    expect(removeButtons(view.blocks)).toHaveLength(MAX_LISTED_ALIASES);
  });

  it("asks for the name and the campaign key, naming the first keys", () => {
    expect(JSON.stringify(campaignAliasModal([]).blocks[1])).toContain("No campaign yet");
    const modal = campaignAliasModal(Array.from({ length: 40 }, (_, i) => long(`key-${i}-`, 200)));
    expect(JSON.stringify(modal.blocks[1])).toContain("One of: key-0-");
    expect(modal.blocks.map((b) => b.block_id)).toEqual([
      INPUTS.aliasName,
      INPUTS.aliasCampaignKey,
    ]);
    expectWithinSlackLimits(modal);
  });
});
