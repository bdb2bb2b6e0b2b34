import { mkdtemp, rm, stat } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, openDatabase } from "../../src/db/database.ts";
import { createRepositories } from "../../src/db/repositories/index.ts";
import { ACTIONS } from "../../src/presentation/slack/ids.ts";
import { createApiKey } from "../../src/services/api-keys.ts";
import { type AppProcess, startAppProcess } from "../support/app-process.ts";
import { databaseKind, databaseUrl, uniqueId } from "../support/database.ts";
import { type FakeSlack, startFakeSlack } from "../support/fake-slack.ts";
import { blockAction, sendToSlackEndpoint } from "../support/slack-requests.ts";

const SECRET = "durability-signing-secret-0123456789";
const SALES = "C0DURABLE";
const VERDICT_LEADS = 200;
const KILL_AFTER = 60;
const CARD_BATCHES = 4;
const CARDS_PER_BATCH = 5;

/** A webhook receiver that records each event id it is sent. */
async function startReceiver(): Promise<{ url: string; received: string[]; server: Server }> {
  const received: string[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => {
      body += chunk.toString("utf8");
    });
    req.on("end", () => {
      received.push(String((JSON.parse(body) as { id?: string }).id));
      res.writeHead(200).end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hook`, received, server };
}

async function until<T>(what: string, check: () => Promise<T | undefined>, ms = 60_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${String(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe(`a SIGKILL mid-stream (${databaseKind} database)`, () => {
  let fake: FakeSlack;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let dataDir: string | undefined;
  const teamId = uniqueId("T");
  /** Where the app's data lives: its own embedded folder, or the run's server database. */
  const env = (): Record<string, string> => ({
    SLACK_BOT_TOKEN: "xoxb-durability",
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: fake.url,
    LEADFIT_WEBHOOK_ALLOW_PRIVATE: "true",
    ...(dataDir ? { LEADFIT_DATA_DIR: dataDir } : { DATABASE_URL: databaseUrl }),
  });
  const open = (): Promise<Database> =>
    openDatabase({ databaseUrl: dataDir ? undefined : databaseUrl, dataDir: dataDir ?? "" });

  beforeAll(async () => {
    fake = await startFakeSlack({ teamId });
    receiver = await startReceiver();
    if (databaseKind === "embedded") dataDir = await mkdtemp(join(tmpdir(), "leadfit-durable-"));
  });
  afterAll(async () => {
    await fake.close();
    receiver.server.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it("keeps every acknowledged verdict, half-writes nothing, and resumes cards, card updates and webhooks once each", async () => {
    // Seed: the workspace with its sales channel and webhook, leads to judge, an API key.
    const seeding = await open();
    const repos = createRepositories(seeding);
    await repos.workspaces.ensure(teamId, "Durability");
    await seeding.prisma.workspace.update({
      where: { id: teamId },
      data: { salesChannelId: SALES, webhookUrl: receiver.url, webhookSecret: "whsec_durable" },
    });
    const leads = await Promise.all(
      Array.from({ length: VERDICT_LEADS }, (_, i) =>
        repos.leads.upsert(teamId, {
          externalId: `judge-${i}`,
          email: `judge${i}@acme.example`,
          name: `Judge ${i}`,
          company: "Acme",
          title: "CMO",
          campaignId: null,
          owner: null,
          createdAt: new Date(),
          fields: {},
          definition: { status: "unknown", failures: [], version: null },
        }),
      ),
    );
    // Each lead to judge has a card, so each verdict also queues its card's update.
    const cardTsOf = new Map(
      leads.map((lead, i) => [lead.id, `1790000000.${String(i).padStart(6, "0")}`]),
    );
    for (const [leadId, ts] of cardTsOf)
      await repos.leads.setCard(teamId, leadId, { channelId: SALES, ts });
    const { key } = await createApiKey(
      { repos },
      {
        workspaceId: teamId,
        label: "durability",
        createdBy: "test",
      },
    );
    await seeding.close();

    const first = await startAppProcess(env());
    // New leads one small batch at a time: a card each, posted from the outbox at 1 a second.
    for (let batch = 0; batch < CARD_BATCHES; batch++) {
      const response = await fetch(`${first.baseUrl}/api/v1/leads`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify({
          leads: Array.from({ length: CARDS_PER_BATCH }, (_, i) => ({
            externalId: `card-${batch}-${i}`,
            email: `card${batch}${i}@acme.example`,
            name: `Card lead ${batch}-${i}`,
            createdAt: new Date().toISOString(),
          })),
        }),
      });
      expect(response.status).toBe(200);
    }

    // One-click verdicts, four at a time; SIGKILL once 60 have been acknowledged.
    const acknowledged: string[] = [];
    let next = 0;
    const sendVerdicts = async (app: AppProcess) => {
      while (next < leads.length) {
        const lead = leads[next++];
        if (!lead) break;
        const response = await sendToSlackEndpoint(
          `${app.baseUrl}/slack/events`,
          blockAction({
            actionId: ACTIONS.verdictFit,
            value: lead.id,
            userId: "U0SELLER1",
            teamId,
            channelId: SALES,
            messageTs: "1790000000.000100",
          }),
          { secret: SECRET },
        ).catch(() => undefined);
        if (response?.status === 200) acknowledged.push(lead.id);
        if (acknowledged.length === KILL_AFTER) app.child.kill("SIGKILL");
        if (!response) return;
      }
    };
    await Promise.all(Array.from({ length: 4 }, () => sendVerdicts(first)));
    expect((await first.exited).signal).toBe("SIGKILL");
    expect(acknowledged.length).toBeGreaterThanOrEqual(KILL_AFTER);
    expect(acknowledged.length).toBeLessThan(VERDICT_LEADS);

    // Restart on the same data: it takes the embedded folder over, or joins the server again.
    const second = await startAppProcess(env());
    const check = await open();
    try {
      const judged = await check.prisma.leadFeedback.findMany({
        where: { workspaceId: teamId },
        select: { leadId: true, verdict: true },
      });
      const stored = new Set(judged.map((f) => f.leadId));
      expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
      // Nothing half-written: each verdict has exactly its webhook event, made in its transaction.
      const deliveries = await check.prisma.webhookDelivery.findMany({
        where: { workspaceId: teamId },
        select: { id: true, leadId: true },
      });
      expect(deliveries.map((d) => d.leadId).sort()).toEqual(judged.map((f) => f.leadId).sort());
      // ... and exactly its card's update, queued in the same statement.
      const cardUpdates = await check.prisma.cardOutbox.findMany({
        where: { workspaceId: teamId, kind: "card_update" },
        select: { leadId: true },
      });
      expect(cardUpdates.map((u) => u.leadId).sort()).toEqual(judged.map((f) => f.leadId).sort());

      // The outbox resumes: every new lead's card posted exactly once. A card the kill caught
      // mid-post is looked up in the channel once its claim has expired (two minutes).
      const cards = await until(
        "every card",
        async () => {
          const posted = fake.messages(SALES);
          return posted.length >= CARD_BATCHES * CARDS_PER_BATCH ? posted : undefined;
        },
        180_000,
      );
      const names = cards.map((m) => /Card lead \d-\d/.exec(String(m.text))?.[0]);
      expect(new Set(names).size).toBe(CARD_BATCHES * CARDS_PER_BATCH);
      expect(names).toHaveLength(CARD_BATCHES * CARDS_PER_BATCH);
      expect(
        await check.prisma.lead.count({
          where: { workspaceId: teamId, externalId: { startsWith: "card-" }, cardTs: null },
        }),
      ).toBe(0);

      // Card updates resume at chat.update's pace: every judged lead's card is updated; one the
      // kill cut short may be sent again, showing the same verdict.
      await until(
        "every card update",
        async () => {
          const updated = new Set(fake.calls("chat.update").map((c) => String(c.params.ts)));
          return judged.every((f) => updated.has(cardTsOf.get(f.leadId) ?? "")) ? true : undefined;
        },
        180_000,
      );
      expect(fake.calls("chat.update").length - judged.length).toBeLessThanOrEqual(4);

      // The webhook resumes: every stored event delivered; one the kill cut short may come twice,
      // with the same id, which is what the id is for.
      await until("every webhook event", async () => {
        const ids = new Set(receiver.received);
        return deliveries.every((d) => ids.has(d.id)) ? true : undefined;
      });
      expect(receiver.received.length - new Set(receiver.received).size).toBeLessThanOrEqual(4);
    } finally {
      await check.close();
    }

    // SIGTERM: in-flight requests finish, then the process exits cleanly.
    const last = leads[leads.length - 1];
    const inFlight = sendToSlackEndpoint(
      `${second.baseUrl}/slack/events`,
      blockAction({
        actionId: ACTIONS.verdictNotYet,
        value: last?.id ?? "",
        userId: "U0SELLER1",
        teamId,
        channelId: SALES,
        messageTs: "1790000000.000100",
      }),
      { secret: SECRET },
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    second.child.kill("SIGTERM");
    expect((await inFlight).status).toBe(200);
    expect(await second.exited).toEqual({ code: 0, signal: null });
    if (dataDir) {
      await expect(stat(join(dataDir, "server.json"))).rejects.toThrow();
    }
    const after = await open();
    try {
      const verdict = await after.prisma.leadFeedback.findFirst({
        where: { leadId: last?.id ?? "", verdict: "not_yet" },
      });
      expect(verdict).not.toBeNull();
    } finally {
      await after.close();
    }
  });
});
