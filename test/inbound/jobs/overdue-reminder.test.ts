import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SlackGateway } from "../../../src/outbound/slack/gateway.ts";
import { sendOverdueReminder } from "../../../src/services/overdue-reminder.ts";
import { type AppHarness, seedLead, startApp } from "../../support/app-harness.ts";
import { expectWithinSlackLimits } from "../../support/block-kit-limits.ts";

const SALES = "C0OVERDUE1";

describe("the overdue reminder", () => {
  let h: AppHarness;
  beforeAll(async () => {
    h = await startApp();
    await h.deps.db.prisma.workspace.update({
      where: { id: h.teamId },
      data: { salesChannelId: SALES, timezone: "Europe/Berlin" },
    });
  });
  afterAll(() => h.close());

  const remind = async (now: Date) =>
    sendOverdueReminder(h.deps.repos, new SlackGateway(h.deps.slack.client("xoxb-e2e-token")), {
      workspace: await h.workspace(),
      now,
    });
  const reminders = () =>
    h.fake.calls("chat.postMessage").filter((c) => c.params.channel === SALES);

  it("says nothing when no lead is past the SLA", async () => {
    await seedLead(h); // an hour old: within the 48 h SLA
    expect(await remind(new Date())).toBe("none");
    expect(reminders()).toHaveLength(0);
  });

  it("lists the leads past the SLA once a day, never twice", async () => {
    const now = new Date();
    const old = await seedLead(h, { name: "Waiting Since Monday" });
    await h.deps.db.prisma.lead.update({
      where: { id: old.id },
      data: { createdAt: new Date(now.getTime() - 72 * 3_600_000) },
    });
    expect(await remind(now)).toBe("sent");
    expect(await remind(new Date(now.getTime() + 60_000))).toBe("already_sent");
    expect(reminders()).toHaveLength(1);
    const reminder = reminders()[0];
    expect(String(reminder?.params.text)).toContain(
      "1 lead waiting for a verdict for more than 48 hours",
    );
    expect(JSON.stringify(reminder?.params.blocks)).toContain("Waiting Since Monday");
    expectWithinSlackLimits({
      text: String(reminder?.params.text),
      blocks: reminder?.params.blocks as object[],
    });
    // The next day it goes out again.
    expect(await remind(new Date(now.getTime() + 24 * 3_600_000))).toBe("sent");
    expect(reminders()).toHaveLength(2);
  });
});
