import { describe, expect, it } from "vitest";
import { transaction } from "../../src/db/repositories/index.ts";
import type { LeadInput } from "../../src/domain/ingest-schemas.ts";
import type { Workspace } from "../../src/domain/workspace.ts";
import { decideDefinition } from "../../src/services/decide-definition.ts";
import { newLeadCards, SUMMARY_THRESHOLD, storeLeads } from "../../src/services/ingest-leads.ts";
import { proposeDefinition } from "../../src/services/propose-definition.ts";
import { makeWorkspace } from "../presentation/slack/fixtures.ts";
import { newWorkspace, suiteDatabase } from "../support/database.ts";

const SALES_CHANNEL = "C0SALES001";

describe("cards queued for new leads", () => {
  const ids = (n: number) => Array.from({ length: n }, (_, i) => `lead-${i}`);
  const workspace = makeWorkspace({ salesChannelId: SALES_CHANNEL });

  it("are one card a lead, up to the summary threshold", () => {
    expect(
      newLeadCards({ workspace, leadIds: ids(SUMMARY_THRESHOLD), campaignKey: "spring" }),
    ).toEqual(
      ids(SUMMARY_THRESHOLD).map((id) => ({
        dedupeKey: `card:${id}`,
        kind: "lead_card",
        leadId: id,
        payload: {},
      })),
    );
  });

  it("are one summary naming the count and campaign past the threshold", () => {
    const cards = newLeadCards({
      workspace,
      leadIds: ids(SUMMARY_THRESHOLD + 1),
      campaignKey: "spring",
    });
    expect(cards).toEqual([
      {
        dedupeKey: expect.stringMatching(/^summary:/),
        kind: "lead_summary",
        leadId: null,
        payload: { count: SUMMARY_THRESHOLD + 1, campaignKey: "spring" },
      },
    ]);
  });

  it("are none before a sales channel is set, and none for no lead", () => {
    expect(
      newLeadCards({
        workspace: { ...workspace, salesChannelId: null },
        leadIds: ids(3),
        campaignKey: null,
      }),
    ).toEqual([]);
    expect(newLeadCards({ workspace, leadIds: [], campaignKey: null })).toEqual([]);
  });
});

describe("storing a batch of leads", () => {
  const { db, repos } = suiteDatabase();

  const incoming = (n: number, overrides: Partial<LeadInput> = {}): LeadInput => ({
    externalId: `crm-${n}`,
    email: `lead${n}@acme.example`,
    name: `Lead ${n}`,
    company: "Acme",
    title: null,
    campaign: null,
    owner: null,
    createdAt: new Date("2026-03-10T09:00:00Z"),
    fields: { employees: n * 10 },
    ...overrides,
  });

  async function salesWorkspace(): Promise<Workspace> {
    const workspace = await newWorkspace(db.prisma);
    await db.prisma.workspace.update({
      where: { id: workspace.id },
      data: { salesChannelId: SALES_CHANNEL },
    });
    return { ...workspace, salesChannelId: SALES_CHANNEL };
  }

  const queued = async (workspace: Workspace) =>
    (
      await db.prisma.cardOutbox.findMany({
        where: { workspaceId: workspace.id },
        orderBy: { id: "asc" },
      })
    ).map((o) => ({ kind: o.kind, payload: o.payload }));

  it("checks each lead against the active definition and counts created, updated and unchanged", async () => {
    const workspace = await salesWorkspace();
    const proposed = await proposeDefinition(
      { repos },
      {
        workspaceId: workspace.id,
        text: "employees >= 50",
        userId: "U0MKT00001",
        requestKey: `view:${workspace.id}`,
      },
    );
    if (!proposed.ok || proposed.repeat) throw new Error("the rule text was refused");
    const { definition } = await decideDefinition(
      { repos, now: () => new Date() },
      { workspace, version: proposed.value.proposal.version, userId: "U0SALES001", accept: true },
    );
    const store = (leads: LeadInput[]) =>
      transaction(db, (repos) =>
        storeLeads({ repos }, { workspace, definition, leads, receivedAt: new Date() }),
      );

    const first = await store([incoming(1), incoming(9)]);
    expect(first).toMatchObject({ created: 2, updated: 0, unchanged: 0 });
    const status = async (externalId: string) =>
      (await repos.leads.findByExternalId(workspace.id, externalId))?.definition.status;
    expect([await status("crm-1"), await status("crm-9")]).toEqual(["not_met", "met"]);

    const again = await store([incoming(1, { fields: { employees: 70 } }), incoming(9)]);
    expect(again).toMatchObject({ created: 0, updated: 1, unchanged: 1, createdIds: [] });
    expect(await status("crm-1")).toBe("met");
  });

  it("queues a summary without a campaign when the new leads come from several", async () => {
    const workspace = await salesWorkspace();
    const leads = Array.from({ length: SUMMARY_THRESHOLD + 1 }, (_, i) =>
      incoming(i, { campaign: i === 0 ? "brand" : "spring" }),
    );
    await transaction(db, (repos) =>
      storeLeads({ repos }, { workspace, definition: undefined, leads, receivedAt: new Date() }),
    );
    expect(await queued(workspace)).toEqual([
      { kind: "lead_summary", payload: { count: SUMMARY_THRESHOLD + 1, campaignKey: null } },
    ]);
    expect((await repos.campaigns.list(workspace.id)).map((c) => c.key)).toEqual([
      "brand",
      "spring",
    ]);
  });

  it("updates the card of a changed lead that has one, even when new leads' cards are left to the caller", async () => {
    const workspace = await salesWorkspace();
    const store = (leads: LeadInput[]) =>
      transaction(db, (repos) =>
        storeLeads(
          { repos },
          {
            workspace,
            definition: undefined,
            leads,
            receivedAt: new Date(),
            queueCards: false,
          },
        ),
      );
    const [created] = (await store([incoming(1), incoming(2)])).createdIds;
    if (!created) throw new Error("no lead created");
    expect(await queued(workspace)).toEqual([]);
    await repos.leads.setCard(workspace.id, created, { channelId: SALES_CHANNEL, ts: "1.2" });
    await store([incoming(1, { name: "Renamed" }), incoming(2, { name: "Renamed" })]);
    expect(await queued(workspace)).toEqual([{ kind: "card_update", payload: {} }]);
  });

  it("dates a lead sent without createdAt at its first arrival, and keeps that date when it comes again", async () => {
    const workspace = await salesWorkspace();
    const store = (leads: LeadInput[], receivedAt: Date) =>
      transaction(db, (repos) =>
        storeLeads({ repos }, { workspace, definition: undefined, leads, receivedAt }),
      );
    const first = new Date("2026-11-16T09:30:00Z");
    await store([incoming(1, { createdAt: null })], first);
    const again = await store(
      [incoming(1, { createdAt: null, name: "Renamed" })],
      new Date("2026-11-20T12:00:00Z"),
    );
    expect(again).toMatchObject({ created: 0, updated: 1 });
    const lead = await repos.leads.findByExternalId(workspace.id, "crm-1");
    expect([lead?.name, lead?.createdAt]).toEqual(["Renamed", first]);
  });

  it("names the campaign in the summary when the new leads share it, whatever the changed ones came from", async () => {
    const workspace = await salesWorkspace();
    const store = (leads: LeadInput[]) =>
      transaction(db, (repos) =>
        storeLeads({ repos }, { workspace, definition: undefined, leads, receivedAt: new Date() }),
      );
    await store([incoming(100, { campaign: "brand" })]);
    await db.prisma.cardOutbox.deleteMany({ where: { workspaceId: workspace.id } });
    await store([
      incoming(100, { campaign: "brand", name: "Renamed" }),
      ...Array.from({ length: SUMMARY_THRESHOLD + 1 }, (_, i) =>
        incoming(i, { campaign: "spring" }),
      ),
    ]);
    expect(await queued(workspace)).toEqual([
      { kind: "lead_summary", payload: { count: SUMMARY_THRESHOLD + 1, campaignKey: "spring" } },
    ]);
  });
});
