import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Lead } from "../../../src/domain/lead.ts";
import { LEADFIT_BIN } from "../../support/cli.ts";
import { databaseUrl, suiteDatabase, uniqueId } from "../../support/database.ts";
import { type FakeSlack, startFakeSlack } from "../../support/fake-slack.ts";

const run = promisify(execFile);

describe("leadfit lead delete", () => {
  const { db, repos } = suiteDatabase();
  let fake: FakeSlack;
  const teamId = uniqueId("T");

  /** The CLI as a child process (asynchronously: the fake Slack answers from this process). */
  const leadfit = async (...args: string[]) => {
    try {
      const { stdout, stderr } = await run(process.execPath, [LEADFIT_BIN, ...args], {
        env: {
          PATH: process.env.PATH ?? "",
          DATABASE_URL: databaseUrl,
          SLACK_BOT_TOKEN: "xoxb-cli-test",
          SLACK_API_URL: fake.url,
        },
        timeout: 60_000,
      });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  };

  async function leadWithHistory(card: boolean): Promise<Lead> {
    const lead = await repos.leads.upsert(teamId, {
      externalId: uniqueId("crm-"),
      email: "jane@acme.example",
      name: "Jane Doe",
      company: "Acme",
      title: "CMO",
      campaignId: null,
      owner: null,
      createdAt: new Date(),
      fields: { employees: 120 },
      definition: { status: "unknown", failures: [], version: null },
    });
    await db.prisma.leadFeedback.create({
      data: {
        workspaceId: teamId,
        leadId: lead.id,
        verdict: "not_fit",
        reasons: ["no_budget"],
        note: "Jane said no",
        userId: "U1",
        definitionStatus: "unknown",
      },
    });
    await db.prisma.webhookDelivery.create({
      data: {
        id: uniqueId("evt-"),
        workspaceId: teamId,
        eventType: "verdict.created",
        leadId: lead.id,
        payload: { lead: { email: "jane@acme.example" } },
      },
    });
    if (card)
      await repos.leads.setCard(teamId, lead.id, { channelId: "C0SALES", ts: "1790000000.000100" });
    return lead;
  }

  beforeAll(async () => {
    fake = await startFakeSlack({ teamId });
    await repos.workspaces.ensure(teamId, "CLI delete");
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());

  it("removes the lead, its verdicts and webhook history, and empties its card", async () => {
    const lead = await leadWithHistory(true);
    const result = await leadfit("lead", "delete", lead.externalId);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      `Deleted lead ${lead.externalId} with 1 verdict and 1 webhook delivery.`,
    );
    expect(result.stdout).toContain("Its card in channel C0SALES now says the lead was deleted.");
    expect(await db.prisma.lead.count({ where: { id: lead.id } })).toBe(0);
    expect(await db.prisma.leadFeedback.count({ where: { leadId: lead.id } })).toBe(0);
    expect(await db.prisma.webhookDelivery.count({ where: { leadId: lead.id } })).toBe(0);
    const [update] = fake.calls("chat.update");
    expect(update?.params).toMatchObject({ channel: "C0SALES", ts: "1790000000.000100" });
    expect(JSON.stringify(update?.params)).not.toMatch(/Jane|acme/i);
    // Who deleted what is kept; what the lead was is not.
    const audit = await db.prisma.auditEntry.findMany({
      where: { workspaceId: teamId, action: "lead.deleted" },
      select: { actor: true, details: true },
    });
    expect(audit).toContainEqual({
      actor: "cli",
      details: { externalId: lead.externalId, verdicts: 1, deliveries: 1 },
    });
    expect(JSON.stringify(audit)).not.toMatch(/Jane|acme/i);
  });

  it("deletes the data even when Slack refuses the card, and says which message to remove", async () => {
    const lead = await leadWithHistory(true);
    fake.failNext("chat.update", { body: { ok: false, error: "message_not_found" } });
    const result = await leadfit("lead", "delete", lead.externalId);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("message_not_found");
    expect(result.stderr).toContain("channel C0SALES, message ts 1790000000.000100");
    expect(await db.prisma.lead.count({ where: { id: lead.id } })).toBe(0);
  });

  it("records a lead the CRM sync brought as erased, so no later sync stores it again; a lead from elsewhere is not", async () => {
    const synced = await leadWithHistory(false);
    await repos.leads.markFromCrm(teamId, "hubspot", [synced.externalId]);
    const ingested = await leadWithHistory(false);
    expect((await leadfit("lead", "delete", synced.externalId)).code).toBe(0);
    expect((await leadfit("lead", "delete", ingested.externalId)).code).toBe(0);
    const ids = [synced.externalId, ingested.externalId];
    expect(await repos.leads.erasedAmong(teamId, "hubspot", ids)).toEqual(
      new Set([synced.externalId]),
    );
    expect(await repos.leads.erasedAmong(teamId, "salesforce", ids)).toEqual(new Set());
  });

  it("answers an unknown lead and a missing id clearly, touching nothing", async () => {
    const lead = await leadWithHistory(false);
    const unknown = await leadfit("lead", "delete", "no-such-lead");
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No lead has the external id "no-such-lead"');
    const missing = await leadfit("lead", "delete");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("Usage: leadfit lead delete <external id>");
    expect(await db.prisma.lead.count({ where: { id: lead.id } })).toBe(1);
    expect(fake.calls("chat.update")).toHaveLength(0);
  });
});
