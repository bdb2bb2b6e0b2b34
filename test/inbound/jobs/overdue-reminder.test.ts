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
    sendOverdueReminder(
      { repos: h.deps.repos, gateway: new SlackGateway(h.deps.slack.client("xoxb-e2e-token")) },
      { workspace: await h.workspace(), now },
    );
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

  it("tries again on the next round when Slack refused the day's reminder", async () => {
    const now = new Date(Date.now() + 7 * 24 * 3_600_000);
    const sent = reminders().length;
    h.fake.failNext("chat.postMessage", { body: { ok: false, error: "not_in_channel" } });
    await expect(remind(now)).rejects.toThrow(/not_in_channel/);
    expect(reminders()).toHaveLength(sent + 1);
    expect(await remind(new Date(now.getTime() + 15 * 60_000))).toBe("sent");
    expect(await remind(new Date(now.getTime() + 30 * 60_000))).toBe("already_sent");
    expect(reminders()).toHaveLength(sent + 2);
  });

  it("counts a lead back from not yet once it has waited the SLA since it came back", async () => {
    const now = new Date(Date.now() + 3 * 24 * 3_600_000);
    const hoursAgo = (hours: number) => new Date(now.getTime() - hours * 3_600_000);
    const notYet = async (name: string, cameBackAt: Date | null, judgedAgain = false) => {
      const lead = await seedLead(h, { name });
      await h.deps.db.prisma.lead.update({
        where: { id: lead.id },
        data: { createdAt: hoursAgo(24 * 100) },
      });
      const verdict = (verdict: "not_yet" | "fit", givenAt: Date) =>
        h.deps.db.prisma.leadFeedback.create({
          data: {
            workspaceId: h.teamId,
            leadId: lead.id,
            verdict,
            reasons: [],
            userId: "U0ANA",
            givenAt,
            definitionStatus: "unknown",
            ...(verdict === "not_yet"
              ? { revisitOn: new Date("2026-03-06T00:00:00Z"), cameBackAt }
              : {}),
          },
        });
      await verdict("not_yet", hoursAgo(24 * 90));
      if (judgedAgain) await verdict("fit", hoursAgo(1));
    };
    await notYet("Back Three Days Ago", hoursAgo(72));
    await notYet("Back An Hour Ago", hoursAgo(1));
    await notYet("Still Put Off", null);
    await notYet("Back And Judged Again", hoursAgo(72), true);

    expect(await remind(now)).toBe("sent");
    const blocks = JSON.stringify(reminders().at(-1)?.params.blocks);
    expect(blocks).toContain(
      "Back Three Days Ago* · CMO at Acme · 🔁 back from not yet since 6 Mar 2026",
    );
    expect(blocks).not.toContain("Back An Hour Ago");
    expect(blocks).not.toContain("Still Put Off");
    expect(blocks).not.toContain("Back And Judged Again");
  });
});
