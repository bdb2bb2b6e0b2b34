import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { AgreedDefinitionRepository } from "../../src/db/repositories/agreed-definition-repository.ts";
import { ApiKeyRepository } from "../../src/db/repositories/api-key-repository.ts";
import { CampaignRepository } from "../../src/db/repositories/campaign-repository.ts";
import { ContextNoteRepository } from "../../src/db/repositories/context-note-repository.ts";
import { DigestRunRepository } from "../../src/db/repositories/digest-run-repository.ts";
import { DigestScheduleRepository } from "../../src/db/repositories/digest-schedule-repository.ts";
import { LeadFeedbackRepository } from "../../src/db/repositories/lead-feedback-repository.ts";
import { LeadRepository } from "../../src/db/repositories/lead-repository.ts";
import { MetricRepository } from "../../src/db/repositories/metric-repository.ts";
import { ReasonRepository } from "../../src/db/repositories/reason-repository.ts";
import { WorkspaceRepository } from "../../src/db/repositories/workspace-repository.ts";
import { DEFAULT_METRICS } from "../../src/domain/metrics.ts";
import { DEFAULT_REASONS } from "../../src/domain/taxonomy.ts";
import { verdictCreatedEvent } from "../../src/domain/webhook-event.ts";
import { leadToStore, newWorkspace, suiteDatabase, uniqueId } from "../support/database.ts";

describe("repositories", () => {
  const { db } = suiteDatabase();

  it("create a workspace once, with the default catalogue and taxonomy, even when asked twice at once", async () => {
    const repository = new WorkspaceRepository(db.prisma);
    const id = uniqueId();
    const [a, b] = await Promise.all([
      repository.ensure(id, "Acme"),
      repository.ensure(id, "Acme"),
    ]);
    expect(a).toEqual(b);
    expect(a).toMatchObject({
      id,
      name: "Acme",
      currency: "USD",
      reviewSlaHours: 48,
      needsContextThresholdPct: 25,
      timezone: null,
      northStar: null,
      kpis: [],
    });
    const metrics = await new MetricRepository(db.prisma).catalogue(id);
    expect(metrics.map((m) => m.key)).toEqual(DEFAULT_METRICS.map((m) => m.key));
    const reasons = await new ReasonRepository(db.prisma).list(id);
    expect(reasons).toEqual(DEFAULT_REASONS);
  });

  it("look on the pool for a complete workspace, and restore a missing default metric or reason", async () => {
    const repository = new WorkspaceRepository(db.prisma, db.pool);
    const id = uniqueId();
    await repository.ensureCreated(id, "Acme");
    // Complete: answered by the pool alone, Prisma never asked.
    const prismaRefused = new Proxy(db.prisma, {
      get: () => {
        throw new Error("Prisma was asked");
      },
    });
    await new WorkspaceRepository(prismaRefused, db.pool).ensureCreated(id, "Renamed");
    expect((await repository.get(id))?.name).toBe("Acme");
    await db.prisma.reason.deleteMany({ where: { workspaceId: id, key: DEFAULT_REASONS[0]?.key } });
    await db.prisma.metricDefinition.deleteMany({
      where: { workspaceId: id, key: DEFAULT_METRICS.at(-1)?.key },
    });
    await repository.ensureCreated(id, "Acme");
    const reasons = await new ReasonRepository(db.prisma).list(id);
    expect(reasons.map((r) => r.key).sort()).toEqual(DEFAULT_REASONS.map((r) => r.key).sort());
    const metrics = await new MetricRepository(db.prisma).catalogue(id);
    expect(metrics.map((m) => m.key).sort()).toEqual(DEFAULT_METRICS.map((m) => m.key).sort());
  });

  it("keep the North Star and KPIs in order with their targets, and audit the change", async () => {
    const workspace = await newWorkspace(db.prisma);
    const repository = new WorkspaceRepository(db.prisma);
    await repository.setTrackedMetrics(
      workspace.id,
      {
        northStar: { metricKey: "pipeline", weeklyTarget: 250000 },
        kpis: [
          { metricKey: "sqls", weeklyTarget: 10 },
          { metricKey: "leads", weeklyTarget: null },
        ],
      },
      "U0ADMIN",
    );
    const saved = await repository.get(workspace.id);
    expect(saved?.northStar).toEqual({ metricKey: "pipeline", weeklyTarget: 250000 });
    expect(saved?.kpis).toEqual([
      { metricKey: "sqls", weeklyTarget: 10 },
      { metricKey: "leads", weeklyTarget: null },
    ]);
    const audit = await db.prisma.auditEntry.findMany({ where: { workspaceId: workspace.id } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: "U0ADMIN", action: "tracked_metrics.set" });
  });

  it("refuse a KPI that is not in the catalogue and write nothing", async () => {
    const workspace = await newWorkspace(db.prisma);
    const repository = new WorkspaceRepository(db.prisma);
    await expect(
      repository.setTrackedMetrics(
        workspace.id,
        {
          northStar: { metricKey: "pipeline", weeklyTarget: 1 },
          kpis: [{ metricKey: "nope", weeklyTarget: null }],
        },
        "U0ADMIN",
      ),
    ).rejects.toThrow(/nope/);
    expect((await repository.get(workspace.id))?.northStar).toBeNull();
  });

  it("upsert campaigns by key and create unknown keys with the key as name", async () => {
    const workspace = await newWorkspace(db.prisma);
    const campaigns = new CampaignRepository(db.prisma);
    await campaigns.upsert(workspace.id, {
      key: "q4-webinar",
      name: "Q4 webinar",
      channel: "events",
      owner: null,
      startsOn: "2026-10-01",
      endsOn: null,
      budget: 1234.5,
    });
    const ids = await campaigns.ensureKeys(workspace.id, ["q4-webinar", "new-one", "new-one"]);
    expect([...ids.keys()].sort()).toEqual(["new-one", "q4-webinar"]);
    const list = await campaigns.list(workspace.id);
    expect(list.map((c) => [c.key, c.name, c.startsOn, c.budget])).toEqual([
      ["new-one", "new-one", null, null],
      ["q4-webinar", "Q4 webinar", "2026-10-01", 1234.5],
    ]);
  });

  it("store metric values idempotently, company-wide values included", async () => {
    const workspace = await newWorkspace(db.prisma);
    const metrics = new MetricRepository(db.prisma);
    const values = [
      {
        metricKey: "spend",
        campaignKey: "",
        granularity: "week" as const,
        periodStart: "2026-11-16",
        value: 100,
        source: "api",
      },
      {
        metricKey: "spend",
        campaignKey: "",
        granularity: "week" as const,
        periodStart: "2026-11-16",
        value: 120,
        source: "api",
      },
      {
        metricKey: "nps",
        campaignKey: "",
        granularity: "day" as const,
        periodStart: "2026-11-17",
        value: 41,
        source: "csv",
      },
    ];
    await metrics.upsertValues(workspace.id, values);
    await metrics.upsertValues(workspace.id, values);
    const rows = await db.prisma.metricValue.findMany({
      where: { workspaceId: workspace.id },
      orderBy: { periodStart: "asc" },
    });
    expect(rows.map((r) => [r.campaignKey, Number(r.value), r.granularity])).toEqual([
      ["", 120, "week"],
      ["", 41, "day"],
    ]);
    await expect(
      metrics.upsertValues(workspace.id, [
        {
          metricKey: "unknown_metric",
          campaignKey: "",
          granularity: "week",
          periodStart: "2026-11-16",
          value: 1,
          source: "api",
        },
      ]),
    ).rejects.toThrow(/unknown_metric/);
  });

  it("map leads, keep feedback append-only and find leads by email, newest first", async () => {
    const workspace = await newWorkspace(db.prisma);
    const leads = new LeadRepository(db.prisma);
    const base = {
      name: "Ana Costa",
      company: "Acme",
      title: "CMO",
      campaignId: null,
      owner: null,
      fields: { employees: "120", region: "EU", trial: true },
    };
    const older = await leads.upsert(workspace.id, {
      ...base,
      externalId: "crm-1",
      email: "ana@acme.example",
      createdAt: new Date("2026-11-10T10:00:00Z"),
      definition: { status: "met", failures: [], version: 1 },
    });
    const newer = await leads.upsert(workspace.id, {
      ...base,
      externalId: "crm-2",
      email: "ANA@acme.example",
      createdAt: new Date("2026-11-12T10:00:00Z"),
      definition: {
        status: "not_met",
        failures: [{ text: "region in NA", reason: "failed" }],
        version: 1,
      },
    });
    expect(older).toMatchObject({
      externalId: "crm-1",
      fields: { employees: "120", region: "EU", trial: true },
      definition: { status: "met", failures: [], version: 1 },
      card: null,
    });
    expect(
      (await leads.findByExternalIdOrEmail(workspace.id, "ana@ACME.example")).map(
        (l) => l.externalId,
      ),
    ).toEqual(["crm-2", "crm-1"]);
    expect(
      (await leads.findByExternalIdOrEmail(workspace.id, "crm-1")).map((l) => l.externalId),
    ).toEqual(["crm-1"]);
    expect((await leads.findByExternalId(workspace.id, "crm-2"))?.definition.failures).toEqual([
      { text: "region in NA", reason: "failed" },
    ]);

    await leads.setCard(workspace.id, newer.id, { channelId: "C0SALES", ts: "1700000000.000100" });
    expect((await leads.get(workspace.id, newer.id))?.card).toEqual({
      channelId: "C0SALES",
      ts: "1700000000.000100",
    });

    const feedback = new LeadFeedbackRepository(db.prisma, db.pool);
    const at = new Date("2026-11-13T09:00:00Z");
    await feedback.append(workspace.id, {
      leadId: older.id,
      verdict: "not_yet",
      reasons: [],
      note: null,
      userId: "U1",
      givenAt: at,
      definitionStatus: "met",
    });
    // Two verdicts at the same moment: both kept, the later one is current.
    await feedback.append(workspace.id, {
      leadId: older.id,
      verdict: "fit",
      reasons: [],
      note: "booked",
      userId: "U2",
      givenAt: at,
      definitionStatus: "met",
    });
    expect((await feedback.history(workspace.id, older.id)).map((f) => f.verdict)).toEqual([
      "not_yet",
      "fit",
    ]);
    expect(await feedback.current(workspace.id, older.id)).toMatchObject({
      verdict: "fit",
      userId: "U2",
      note: "booked",
    });
    expect(await feedback.current(workspace.id, newer.id)).toBeUndefined();
  });

  it("record a verdict in one statement: the lead's definition as its snapshot, its event only with a webhook, its card's update only with a card, nothing on another workspace's lead", async () => {
    const workspace = await newWorkspace(db.prisma);
    const other = await newWorkspace(db.prisma);
    const lead = await new LeadRepository(db.prisma).upsert(
      workspace.id,
      leadToStore({
        externalId: "crm-9",
        email: "zoë@acme.example",
        createdAt: new Date("2026-11-10T10:00:00Z"),
        definition: { status: "not_met", failures: [], version: 1 },
      }),
    );
    const feedback = new LeadFeedbackRepository(db.prisma, db.pool);
    const verdict = {
      leadId: lead.id,
      verdict: "not_fit" as const,
      reasons: DEFAULT_REASONS.slice(0, 2).map((r) => r.key),
      note: "Zoë's 'budget'; drop table lead; -- 🚀",
      userId: "U1",
      givenAt: new Date("2026-11-13T09:00:00.123Z"),
    };
    const deliveries = () => db.prisma.webhookDelivery.findMany({ where: { leadId: lead.id } });
    const cardUpdates = () =>
      db.prisma.cardOutbox.findMany({ where: { leadId: lead.id }, orderBy: { id: "asc" } });

    expect(await feedback.record(other.id, verdict, randomUUID(), randomUUID())).toBeUndefined();
    expect(await feedback.history(workspace.id, lead.id)).toEqual([]);

    const alone = await feedback.record(workspace.id, verdict, randomUUID(), randomUUID());
    const stored = {
      ...verdict,
      id: expect.any(String),
      definitionStatus: "not_met",
      revisitOn: null,
      cameBackAt: null,
    };
    expect(alone).toEqual({ repeat: false, value: stored });
    expect(await feedback.history(workspace.id, lead.id)).toEqual([stored]);
    expect(await deliveries()).toEqual([]);
    expect(await cardUpdates()).toEqual([]);

    await new LeadRepository(db.prisma).setCard(workspace.id, lead.id, {
      channelId: "C1",
      ts: "1.000100",
    });
    const carded = await feedback.record(workspace.id, verdict, randomUUID(), randomUUID());
    if (!carded || carded.repeat) throw new Error("the verdict was not recorded");
    expect(await cardUpdates()).toEqual([
      expect.objectContaining({
        workspaceId: workspace.id,
        kind: "card_update",
        dedupeKey: `update:${lead.id}:${carded.value.id}`,
        status: "pending",
        attempts: 0,
      }),
    ]);

    await new WorkspaceRepository(db.prisma).setWebhook(
      workspace.id,
      { url: "https://crm.example/hooks", secret: "secret" },
      "U0ADMIN",
    );
    const eventId = randomUUID();
    await feedback.record(workspace.id, verdict, eventId, randomUUID());
    const [delivery, ...more] = await deliveries();
    expect(more).toEqual([]);
    expect(delivery).toMatchObject({
      id: eventId,
      workspaceId: workspace.id,
      eventType: "verdict.created",
      status: "pending",
    });
    expect(delivery?.payload).toEqual({
      id: eventId,
      type: "verdict.created",
      createdAt: "2026-11-13T09:00:00.123Z",
      workspace: workspace.id,
      data: {
        lead: { externalId: "crm-9", email: "zoë@acme.example" },
        verdict: "not_fit",
        reasons: verdict.reasons,
        note: verdict.note,
        userId: "U1",
        givenAt: "2026-11-13T09:00:00.123Z",
        definitionStatus: "not_met",
      },
    });
    // The SQL that stores it and the sender that sends it keep one contract.
    expect(verdictCreatedEvent.safeParse(delivery?.payload).success).toBe(true);
  });

  it("version agreed definitions: one active at a time, the old one superseded", async () => {
    const workspace = await newWorkspace(db.prisma);
    const definitions = new AgreedDefinitionRepository(db.prisma);
    const v1 = await definitions.propose(
      workspace.id,
      { all: [{ field: "employees", op: ">=", value: 50 }] },
      "U0MKT",
    );
    expect(await definitions.active(workspace.id)).toBeUndefined();
    await definitions.accept(workspace.id, v1.version, "U0SALES", new Date("2026-11-01T00:00:00Z"));
    const v2 = await definitions.propose(
      workspace.id,
      { all: [{ field: "region", op: "in", value: ["NA", "EU"] }] },
      "U0MKT",
    );
    await definitions.accept(workspace.id, v2.version, "U0SALES", new Date("2026-11-08T00:00:00Z"));
    expect((await definitions.active(workspace.id))?.rules).toEqual({
      all: [{ field: "region", op: "in", value: ["NA", "EU"] }],
    });
    expect((await definitions.history(workspace.id)).map((d) => [d.version, d.state])).toEqual([
      [2, "active"],
      [1, "superseded"],
    ]);
  });

  it("return a week's context notes with their campaign and metric", async () => {
    const workspace = await newWorkspace(db.prisma);
    const ids = await new CampaignRepository(db.prisma).ensureKeys(workspace.id, ["q4-webinar"]);
    const metric = await db.prisma.metricDefinition.findFirstOrThrow({
      where: { workspaceId: workspace.id, key: "direct_traffic" },
    });
    const notes = new ContextNoteRepository(db.prisma);
    await notes.add(workspace.id, {
      week: "2026-W46",
      text: "Podcast mention",
      author: "U1",
      campaignId: null,
      metricId: metric.id,
    });
    await notes.add(workspace.id, {
      week: "2026-W47",
      text: "Webinar moved",
      author: "U1",
      campaignId: ids.get("q4-webinar") ?? null,
      metricId: null,
    });
    expect(
      (await notes.forWeeks(workspace.id, ["2026-W46"])).map((n) => [
        n.text,
        n.metricKey,
        n.campaignKey,
      ]),
    ).toEqual([["Podcast mention", "direct_traffic", null]]);
    expect((await notes.forWeeks(workspace.id, ["2026-W47"]))[0]?.campaignKey).toBe("q4-webinar");
  });
});

describe("security #9: every read by id is scoped to a workspace", () => {
  const { db } = suiteDatabase();

  /** A lead in workspace A with a card, a verdict, a context note, a schedule with a failed run and an API key. */
  async function rowsOfWorkspaceA() {
    const a = await newWorkspace(db.prisma);
    const b = await newWorkspace(db.prisma);
    const leads = new LeadRepository(db.prisma);
    const lead = await leads.upsert(
      a.id,
      leadToStore({
        createdAt: new Date("2026-11-10T10:00:00Z"),
        definition: { status: "met", failures: [], version: 1 },
      }),
    );
    await leads.setCard(a.id, lead.id, { channelId: "C0A", ts: "1700000000.000001" });
    const feedback = new LeadFeedbackRepository(db.prisma, db.pool);
    await feedback.append(a.id, {
      leadId: lead.id,
      verdict: "fit",
      reasons: [],
      note: null,
      userId: "U0A",
      givenAt: new Date("2026-11-11T10:00:00Z"),
      definitionStatus: "met",
    });
    const note = await new ContextNoteRepository(db.prisma).add(a.id, {
      week: "2026-W47",
      text: "Webinar moved",
      author: "U0A",
      campaignId: null,
      metricId: null,
      source: { channelId: "C0A", ts: "1700000000.000002", permalink: null },
    });
    const schedules = new DigestScheduleRepository(db.prisma);
    const schedule = await schedules.save(a.id, "U0A", {
      channelId: "C0A",
      weekday: 1,
      time: "09:00",
      cron: null,
      timezone: null,
      enabled: true,
    });
    const now = new Date("2026-11-16T09:00:00Z");
    const runs = new DigestRunRepository(db.prisma);
    const run = await runs.claim({
      scheduleId: schedule.id,
      week: { year: 2026, week: 46 },
      late: false,
      now,
      staleBefore: now,
    });
    if (!run) throw new Error("the run was not claimed");
    await runs.markFailed(run.id, "channel_not_found", null);
    const key = await new ApiKeyRepository(db.prisma).create({
      workspaceId: a.id,
      label: "crm",
      keyHash: randomUUID(),
      prefix: "lf_",
      createdBy: "U0A",
    });
    return { a, b, lead, note, schedule, run, key, leads, feedback, schedules, runs };
  }

  it("a lead of workspace A is not found, changed or judged when asked with workspace B", async () => {
    const { a, b, lead, leads, feedback } = await rowsOfWorkspaceA();
    expect(await leads.get(a.id, lead.id)).toMatchObject({ id: lead.id, workspaceId: a.id });
    expect(await leads.get(b.id, lead.id)).toBeUndefined();

    await expect(leads.setCard(b.id, lead.id, { channelId: "C0B", ts: "1.1" })).rejects.toThrow();
    await expect(
      leads.setDefinition(b.id, lead.id, { status: "not_met", failures: [], version: 9 }),
    ).rejects.toThrow();
    expect(await leads.get(a.id, lead.id)).toMatchObject({
      card: { channelId: "C0A", ts: "1700000000.000001" },
      definition: { status: "met", version: 1 },
    });

    expect(await feedback.history(a.id, lead.id)).toHaveLength(1);
    expect(await feedback.current(a.id, lead.id)).toMatchObject({ verdict: "fit" });
    expect(await feedback.history(b.id, lead.id)).toEqual([]);
    expect(await feedback.current(b.id, lead.id)).toBeUndefined();
    const verdict = {
      leadId: lead.id,
      verdict: "not_fit" as const,
      reasons: ["no_budget"],
      note: null,
      userId: "U0B",
      givenAt: new Date("2026-11-12T10:00:00Z"),
    };
    expect(await feedback.record(b.id, verdict, randomUUID(), randomUUID())).toBeUndefined();
    await expect(
      feedback.append(b.id, { ...verdict, definitionStatus: "unknown" }),
    ).rejects.toThrow();
    expect(await feedback.history(a.id, lead.id)).toHaveLength(1);
    expect(await db.prisma.leadFeedback.count({ where: { leadId: lead.id } })).toBe(1);
    expect(await db.prisma.cardOutbox.count({ where: { leadId: lead.id } })).toBe(0);
  });

  it("a context note, a schedule, its runs and an API key of workspace A are out of workspace B's reach", async () => {
    const { a, b, note, schedule, run, key, schedules, runs } = await rowsOfWorkspaceA();
    const notes = new ContextNoteRepository(db.prisma);
    await expect(notes.setPermalink(b.id, note.id, "https://b.example/p")).rejects.toThrow();
    await notes.setPermalink(a.id, note.id, "https://a.example/p");
    expect((await notes.forWeeks(a.id, ["2026-W47"]))[0]?.permalink).toBe("https://a.example/p");

    const notFound = { code: "schedule_not_found" };
    await expect(schedules.get(b.id, schedule.id)).rejects.toMatchObject(notFound);
    await expect(schedules.setSkipWeek(b.id, "U0B", schedule.id, null)).rejects.toMatchObject(
      notFound,
    );
    expect(await schedules.remove(b.id, "U0B", schedule.id)).toBe(false);
    expect((await schedules.get(a.id, schedule.id)).id).toBe(schedule.id);

    expect([...(await runs.latest(a.id, [schedule.id])).keys()]).toEqual([schedule.id]);
    expect((await runs.latest(b.id, [schedule.id])).size).toBe(0);
    expect(await runs.failures(b.id, 10)).toEqual([]);
    expect(await runs.retryNow(b.id, run.id, new Date())).toBe(false);

    const apiKeys = new ApiKeyRepository(db.prisma);
    expect(await apiKeys.revoke(b.id, key.id, "U0B", new Date())).toBe(false);
    expect((await apiKeys.list(a.id)).map((k) => k.revokedAt)).toEqual([null]);
  });
});
