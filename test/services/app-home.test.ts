import { beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config.ts";
import type { Workspace } from "../../src/domain/workspace.ts";
import { createLogger } from "../../src/log.ts";
import { AdminDirectory } from "../../src/outbound/slack/admins.ts";
import { SlackDirectory } from "../../src/outbound/slack/gateway.ts";
import { createApiKey } from "../../src/services/api-keys.ts";
import { HOME_PAGE_SIZE, loadAppHome } from "../../src/services/app-home.ts";
import { decideDefinition } from "../../src/services/decide-definition.ts";
import { proposeDefinition } from "../../src/services/propose-definition.ts";
import { recordOutcomes } from "../../src/services/record-outcomes.ts";
import { recordVerdict } from "../../src/services/record-verdict.ts";
import { skipDigestWeek } from "../../src/services/skip-digest-week.ts";
import { leadToStore, newWorkspace, suiteDatabase, uniqueId } from "../support/database.ts";

const ADMIN = "U0HOMEADM1";
const SALES_LEAD = "U0HOMESAL1";
const NOW = new Date("2026-03-11T12:00:00Z");
const NO_DEFINITION = "No agreed lead definition yet";
const NO_SALES_CHANNEL = "No sales channel is set";
// 2026-W11 runs from Monday 9 March to Sunday 15 March (UTC, the default timezone).
const IN_WEEK = new Date("2026-03-10T09:00:00Z");
const WEEK_BEFORE = new Date("2026-03-08T23:00:00Z");

describe("App Home, as the service loads it", () => {
  const { db, repos } = suiteDatabase();
  let admins: AdminDirectory;
  beforeAll(() => {
    // The viewer is an admin from the configuration: Slack is never asked.
    const slack = new SlackDirectory(parseConfig({}), repos.installations, createLogger("error"));
    admins = new AdminDirectory([ADMIN], slack, () => NOW);
  });

  const home = (workspace: Workspace) =>
    loadAppHome(
      { repos, admins, now: () => NOW, config: parseConfig({}) },
      { workspace, viewerId: ADMIN },
    );

  it("tells an admin there is no agreed lead definition until one is accepted, then stops", async () => {
    const workspace = await newWorkspace(db.prisma);
    const notices = async () => (await home(workspace)).adminNotices.join("\n");
    expect(await notices()).toContain(NO_DEFINITION);
    expect(await notices()).toContain(NO_SALES_CHANNEL);
    expect(
      (await home({ ...workspace, salesChannelId: "C0SALES001" })).adminNotices.join("\n"),
    ).not.toContain(NO_SALES_CHANNEL);

    const proposed = await proposeDefinition(
      { repos },
      {
        workspaceId: workspace.id,
        text: "employees >= 50",
        userId: ADMIN,
        requestKey: uniqueId("view:"),
      },
    );
    if (!proposed.ok || proposed.repeat) throw new Error("the rule text was refused");
    // A proposal checks no lead yet: the admin is still told.
    expect(await notices()).toContain(NO_DEFINITION);

    await decideDefinition(
      { repos, now: () => NOW },
      { workspace, version: proposed.value.proposal.version, userId: SALES_LEAD, accept: true },
    );
    expect(await notices()).not.toContain(NO_DEFINITION);
  });

  it("counts this week's leads and verdicts over every campaign, and lists the waiting leads by campaign name", async () => {
    const workspace = await newWorkspace(db.prisma);
    await repos.campaigns.upsert(workspace.id, {
      key: "q1-webinar",
      name: "Q1 webinar",
      channel: null,
      owner: null,
      startsOn: null,
      endsOn: null,
      budget: null,
    });
    const campaignIds = await repos.campaigns.ensureKeys(workspace.id, ["q1-webinar", "brand"]);
    const lead = (campaign: string | null, createdAt = IN_WEEK) =>
      repos.leads.upsert(workspace.id, {
        externalId: uniqueId("crm-"),
        email: `${uniqueId("l").toLowerCase()}@acme.example`,
        name: null,
        company: null,
        title: null,
        campaignId: campaign ? (campaignIds.get(campaign) ?? null) : null,
        owner: null,
        createdAt,
        fields: {},
        definition: { status: "unknown", failures: [], version: null },
      });
    const judge = async (campaign: string | null, verdict: "fit" | "not_yet" | "not_fit") =>
      recordVerdict(
        { repos, now: () => NOW },
        {
          workspaceId: workspace.id,
          leadId: (await lead(campaign)).id,
          verdict,
          reasons: verdict === "not_fit" ? ["no_budget"] : [],
          note: null,
          requestKey: uniqueId("action:"),
          userId: SALES_LEAD,
        },
      );
    await judge("q1-webinar", "fit");
    await judge("q1-webinar", "not_fit");
    await judge("brand", "fit");
    await judge(null, "not_yet");
    const webinar = await lead("q1-webinar", new Date(IN_WEEK.getTime() + 60_000));
    const brand = await lead("brand", new Date(IN_WEEK.getTime() + 120_000));
    const lastWeek = await lead(null, WEEK_BEFORE);

    const loaded = await home(workspace);
    expect(loaded.week).toEqual({
      label: "2026-W11",
      created: 6,
      reviewed: 4,
      fit: 2,
      notYet: 1,
      notFit: 1,
    });
    expect(loaded.totalWaiting).toBe(3);
    expect(loaded.leads.map((l) => [l.lead.id, l.campaignName])).toEqual([
      [lastWeek.id, null],
      [webinar.id, "Q1 webinar"],
      [brand.id, "brand"],
    ]);
  });

  it("shows the last quarter past the conversion window: its leads' verdicts and outcomes", async () => {
    const workspace = await newWorkspace(db.prisma);
    const lead = (externalId: string, createdAt: Date) =>
      repos.leads.upsert(workspace.id, {
        externalId,
        email: `${externalId.toLowerCase()}@acme.example`,
        name: null,
        company: null,
        title: null,
        campaignId: null,
        owner: null,
        createdAt,
        fields: {},
        definition: { status: "unknown", failures: [], version: null },
      });
    // On 11 March 2026, 2025-Q2 is the newest quarter 180 days past its end.
    const rejected = await lead("MAY", new Date("2025-05-20T10:00:00Z"));
    await lead("AUGUST", new Date("2025-08-20T10:00:00Z"));
    await db.prisma.leadFeedback.create({
      data: {
        workspaceId: workspace.id,
        leadId: rejected.id,
        verdict: "not_fit",
        reasons: ["no_budget"],
        userId: SALES_LEAD,
        givenAt: new Date("2025-05-21T10:00:00Z"),
        definitionStatus: "unknown",
      },
    });
    await recordOutcomes(
      { db },
      {
        workspaceId: workspace.id,
        outcomes: [
          {
            externalId: "opp-may",
            lead: "MAY",
            type: "won",
            at: new Date("2025-09-01T10:00:00Z"),
            amount: 30000,
          },
        ],
      },
    );
    const loaded = await home(workspace);
    expect(loaded.hindsight?.quarter).toBe("2025-Q2");
    expect(loaded.hindsight?.report.total).toMatchObject({ leads: 1, notFit: 1, wins: 1 });
    expect(loaded.hindsight?.report.rejectedThenBought).toMatchObject({
      total: 1,
      wonAmount: 30000,
    });
  });

  it("pages the waiting leads, and reads a negative offset as the first page", async () => {
    const workspace = await newWorkspace(db.prisma);
    for (let i = 0; i < HOME_PAGE_SIZE + 2; i += 1) {
      await repos.leads.upsert(
        workspace.id,
        leadToStore({
          externalId: `crm-${i}`,
          email: `lead${i}@acme.example`,
          createdAt: new Date(IN_WEEK.getTime() + i * 60_000),
        }),
      );
    }
    const page = async (offset: number) => {
      const loaded = await loadAppHome(
        { repos, admins, now: () => NOW, config: parseConfig({}) },
        { workspace, viewerId: ADMIN, offset },
      );
      return { offset: loaded.offset, leads: loaded.leads.map((l) => l.lead.externalId) };
    };
    expect(await page(-5)).toEqual({
      offset: 0,
      leads: Array.from({ length: HOME_PAGE_SIZE }, (_, i) => `crm-${i}`),
    });
    expect(await page(HOME_PAGE_SIZE)).toEqual({
      offset: HOME_PAGE_SIZE,
      leads: [`crm-${HOME_PAGE_SIZE}`, `crm-${HOME_PAGE_SIZE + 1}`],
    });
  });

  it("lists the viewer's own waiting leads first, then everyone's oldest first", async () => {
    const workspace = await newWorkspace(db.prisma);
    const waiting = [
      ["crm-colleagues", SALES_LEAD],
      ["crm-viewers", ADMIN],
      ["crm-nobodys", null],
    ] as const;
    for (const [i, [externalId, owner]] of waiting.entries()) {
      await repos.leads.upsert(
        workspace.id,
        leadToStore({
          externalId,
          owner,
          createdAt: new Date(IN_WEEK.getTime() + i * 60_000),
        }),
      );
    }
    const loaded = await home(workspace);
    expect(loaded.leads.map((l) => l.lead.externalId)).toEqual([
      "crm-viewers",
      "crm-colleagues",
      "crm-nobodys",
    ]);
  });

  it("shows an admin the live API keys only, and each schedule's next digest and whether its week is skipped", async () => {
    const workspace = await newWorkspace(db.prisma);
    const key = (label: string) =>
      createApiKey({ repos }, { workspaceId: workspace.id, label, createdBy: ADMIN });
    const live = await key("CRM sync");
    const revoked = await key("old script");
    await repos.apiKeys.revoke(workspace.id, revoked.summary.id, ADMIN, NOW);
    const weekly = await repos.schedules.save(workspace.id, ADMIN, {
      channelId: "C0DIGEST01",
      weekday: 1,
      time: "09:00",
      cron: null,
      timezone: null,
      enabled: true,
    });
    const off = await repos.schedules.save(workspace.id, ADMIN, {
      channelId: "C0DIGEST02",
      weekday: 1,
      time: "09:00",
      cron: null,
      timezone: "Europe/Berlin",
      enabled: false,
    });
    const unskipped = await repos.schedules.save(workspace.id, ADMIN, {
      channelId: "C0DIGEST03",
      weekday: 5,
      time: "16:00",
      cron: null,
      timezone: null,
      enabled: true,
    });
    await skipDigestWeek(
      { repos, admins, now: () => NOW },
      { workspace, userId: ADMIN, scheduleId: weekly.id },
    );

    const admin = (await home(workspace)).admin;
    expect(admin?.apiKeys.map((k) => k.label)).toEqual(["CRM sync"]);
    expect(admin?.crmAuthorizeMissing).toEqual({
      hubspot: ["HUBSPOT_CLIENT_ID", "HUBSPOT_CLIENT_SECRET", "LEADFIT_ENCRYPTION_KEY"],
      salesforce: ["SALESFORCE_CLIENT_ID", "SALESFORCE_CLIENT_SECRET", "LEADFIT_ENCRYPTION_KEY"],
    });
    expect(admin?.apiKeys[0]?.id).toBe(live.summary.id);
    const schedules = new Map(admin?.schedules.map((s) => [s.id, s]));
    expect(schedules.get(weekly.id)).toMatchObject({
      channelId: "C0DIGEST01",
      timeZone: "UTC",
      enabled: true,
      next: new Date("2026-03-16T09:00:00Z"),
      nextWeek: "2026-W11",
      skipping: true,
      last: null,
    });
    expect(schedules.get(unskipped.id)).toMatchObject({ enabled: true, skipping: false });
    expect(schedules.get(unskipped.id)?.next).toBeInstanceOf(Date);
    expect(schedules.get(off.id)).toMatchObject({
      timeZone: "Europe/Berlin",
      enabled: false,
      next: null,
      nextWeek: null,
      skipping: false,
    });
  });
});
