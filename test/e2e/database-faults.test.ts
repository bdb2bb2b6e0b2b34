import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACTIONS } from "../../src/presentation/slack/ids.ts";
import { type AppHarness, apiKeyFor, seedLead, startApp } from "../support/app-harness.ts";
import { databaseUrl } from "../support/database.ts";
import { blockAction } from "../support/slack-requests.ts";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy.ts";

describe("the database unreachable, then back", () => {
  let proxy: TcpProxy;
  let h: AppHarness;
  let key: string;
  beforeAll(async () => {
    proxy = await startTcpProxy(databaseUrl);
    h = await startApp({ DATABASE_URL: proxy.url });
    key = await apiKeyFor(h, "faults");
  });
  afterAll(async () => {
    proxy.restore();
    await h.close();
    await proxy.close();
  });

  const postLead = (externalId: string) =>
    fetch(`${h.baseUrl}/api/v1/leads`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({
        leads: [
          { externalId, email: `${externalId}@acme.example`, createdAt: new Date().toISOString() },
        ],
      }),
    });
  const clickFit = (leadId: string, responseUrl: string) =>
    h.send(
      blockAction({
        actionId: ACTIONS.verdictFit,
        value: leadId,
        userId: "U0SELLER2",
        teamId: h.teamId,
        channelId: "C0SALES",
        messageTs: "1790000000.000100",
        responseUrl,
      }),
    );

  it("answers clearly while it is gone, acknowledges nothing unstored, and recovers without a restart", async () => {
    const lead = await seedLead(h);
    proxy.cut();

    const health = await fetch(`${h.baseUrl}/healthz`);
    expect(health.status).toBe(503);
    const api = await postLead("while-down");
    expect(api.status).toBe(503);
    expect(await api.json()).toMatchObject({ error: "database_unavailable" });

    const responseUrl = h.fake.responseUrl("down");
    const click = await clickFit(lead.id, responseUrl);
    expect(click.status).not.toBe(200);
    const told = await h.fake.waitFor("response_url", (c) => c.params.url === responseUrl);
    expect(String(told.params.text)).toContain("cannot reach its database");

    proxy.restore();
    expect((await fetch(`${h.baseUrl}/healthz`)).status).toBe(200);
    expect((await postLead("after-recovery")).status).toBe(200);
    const again = await clickFit(lead.id, h.fake.responseUrl("up"));
    expect(again.status).toBe(200);
    const stored = await h.deps.db.prisma.leadFeedback.findMany({ where: { leadId: lead.id } });
    expect(stored).toHaveLength(1);
    expect(
      await h.deps.db.prisma.lead.count({
        where: { workspaceId: h.teamId, externalId: "while-down" },
      }),
    ).toBe(0);
  });
});
