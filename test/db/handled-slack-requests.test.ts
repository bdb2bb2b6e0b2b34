import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createRepositories } from "../../src/db/repositories/index.ts";
import { LeadFeedbackRepository } from "../../src/db/repositories/lead-feedback-repository.ts";
import { LeadRepository } from "../../src/db/repositories/lead-repository.ts";
import { SlackRequestRepository } from "../../src/db/repositories/slack-request-repository.ts";
import { forgetOldSlackRequests } from "../../src/services/forget-old-slack-requests.ts";
import { leadToStore, newWorkspace, suiteDatabase } from "../support/database.ts";

describe("security #7: a Slack request's key is stored with its effect", () => {
  const { db } = suiteDatabase();

  const seedLead = async (workspaceId: string) =>
    new LeadRepository(db.prisma).upsert(
      workspaceId,
      leadToStore({ createdAt: new Date("2026-11-10T10:00:00Z") }),
    );
  const verdictOn = (leadId: string) => ({
    leadId,
    verdict: "fit" as const,
    reasons: [],
    note: null,
    userId: "U0REP0007",
    givenAt: new Date("2026-11-13T09:00:00Z"),
  });

  it("a verdict recorded twice with one key, one after the other or both at once, is stored once", async () => {
    const workspace = await newWorkspace(db.prisma);
    const feedback = new LeadFeedbackRepository(db.prisma, db.pool);
    const lead = await seedLead(workspace.id);
    const key = `action:${randomUUID()}`;
    const record = () => feedback.record(workspace.id, verdictOn(lead.id), randomUUID(), key);

    expect(await record()).toMatchObject({ repeat: false, value: { verdict: "fit" } });
    expect(await record()).toEqual({ repeat: true });

    const racedKey = `action:${randomUUID()}`;
    const raced = await Promise.all(
      [1, 2, 3].map(() =>
        feedback.record(workspace.id, verdictOn(lead.id), randomUUID(), racedKey),
      ),
    );
    expect(raced.filter((outcome) => outcome?.repeat === false)).toHaveLength(1);
    expect(await feedback.history(workspace.id, lead.id)).toHaveLength(2);
  });

  it("a lead of another workspace claims no key: the request still finds no lead when sent again", async () => {
    const workspace = await newWorkspace(db.prisma);
    const other = await newWorkspace(db.prisma);
    const feedback = new LeadFeedbackRepository(db.prisma, db.pool);
    const lead = await seedLead(workspace.id);
    const key = `action:${randomUUID()}`;
    for (const _ of [1, 2])
      expect(
        await feedback.record(other.id, verdictOn(lead.id), randomUUID(), key),
      ).toBeUndefined();
    expect(await new SlackRequestRepository(db.prisma).claim(other.id, key)).toBe(true);
  });

  it("the same key in two workspaces is two requests", async () => {
    const requests = new SlackRequestRepository(db.prisma);
    const key = `view:${randomUUID()}`;
    const [a, b] = [await newWorkspace(db.prisma), await newWorkspace(db.prisma)];
    expect([await requests.claim(a.id, key), await requests.claim(b.id, key)]).toEqual([
      true,
      true,
    ]);
    expect(await requests.claim(a.id, key)).toBe(false);
  });

  it("housekeeping forgets requests handled more than a day ago, and keeps the newer ones", async () => {
    const workspace = await newWorkspace(db.prisma);
    // The real time: forgetting happens across workspaces, so other tests' keys must stay.
    const now = new Date();
    const hoursAgo = (hours: number) => new Date(now.getTime() - hours * 3_600_000);
    await db.prisma.handledSlackRequest.createMany({
      data: [
        { workspaceId: workspace.id, key: "trigger:old", handledAt: hoursAgo(25) },
        { workspaceId: workspace.id, key: "trigger:recent", handledAt: hoursAgo(23) },
      ],
    });
    await forgetOldSlackRequests({ repos: createRepositories(db), now: () => now });
    const kept = await db.prisma.handledSlackRequest.findMany({
      where: { workspaceId: workspace.id },
      select: { key: true },
    });
    expect(kept).toEqual([{ key: "trigger:recent" }]);
  });
});
