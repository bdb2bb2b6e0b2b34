import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, openDatabase } from "../../src/db/database.ts";
import { createRepositories } from "../../src/db/repositories/index.ts";
import { startLaunchedApp } from "../support/app-process.ts";
import { databaseKind, databaseUrl, uniqueId } from "../support/database.ts";
import { type FakeSlack, startFakeSlack } from "../support/fake-slack.ts";

const SALES = "C0REVISIT";
/** How long Slack holds the card's post: the window in which the app is killed. */
const HOLD_MS = 1_500;
/** The card outbox takes a claim as abandoned after two minutes (CLAIM_TIMEOUT_MS). */
const CLAIM_TIMEOUT_MS = 2 * 60_000;

async function until<T>(what: string, check: () => Promise<T | undefined>, ms = 60_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

// "Not yet comes back once" across a restart, with the real process: `npm start`'s command is
// killed with SIGKILL while Slack is receiving the "back from not yet" card, then started again.
describe(`a not-yet lead comes back once across a SIGKILL (${databaseKind} database)`, () => {
  let fake: FakeSlack;
  let dataDir: string | undefined;
  const teamId = uniqueId("T");
  const env = (): Record<string, string> => ({
    SLACK_BOT_TOKEN: "xoxb-revisit",
    SLACK_SIGNING_SECRET: "revisit-signing-secret-0123456789",
    SLACK_API_URL: fake.url,
    ...(dataDir ? { LEADFIT_DATA_DIR: dataDir } : { DATABASE_URL: databaseUrl }),
  });
  const open = (): Promise<Database> =>
    openDatabase({ databaseUrl: dataDir ? undefined : databaseUrl, dataDir: dataDir ?? "" });
  const cardsPosted = () =>
    fake.calls("chat.postMessage").filter((c) => c.params.channel === SALES);

  beforeAll(async () => {
    fake = await startFakeSlack({ teamId });
    if (databaseKind === "embedded") dataDir = await mkdtemp(join(tmpdir(), "leadfit-revisit-"));
  });
  afterAll(async () => {
    await fake.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it("posts exactly one 'back from not yet' card when the app dies mid-post and restarts", async () => {
    // A lead put off 90 days ago, its revisit date yesterday: due as soon as the app starts.
    const seeding = await open();
    const repos = createRepositories(seeding);
    await repos.workspaces.ensure(teamId, "Revisit");
    await seeding.prisma.workspace.update({
      where: { id: teamId },
      data: { salesChannelId: SALES },
    });
    const lead = await repos.leads.upsert(teamId, {
      externalId: "revisit-1",
      email: "later@acme.example",
      name: "Come Back Later",
      company: "Acme",
      title: "CMO",
      campaignId: null,
      owner: null,
      createdAt: new Date(Date.now() - 100 * 86_400_000),
      fields: {},
      definition: { status: "unknown", failures: [], version: null },
    });
    await seeding.prisma.leadFeedback.create({
      data: {
        workspaceId: teamId,
        leadId: lead.id,
        verdict: "not_yet",
        reasons: [],
        userId: "U0ANA",
        givenAt: new Date(Date.now() - 90 * 86_400_000),
        revisitOn: new Date(`${new Date().toISOString().slice(0, 10)}T00:00:00Z`),
        definitionStatus: "unknown",
      },
    });
    await seeding.close();

    // Slack receives the card and holds its answer; the app is killed while it waits.
    fake.failNext("chat.postMessage", { delayMs: HOLD_MS, when: (p) => p.channel === SALES });
    const first = await startLaunchedApp(env());
    await until("the card being sent", async () => (cardsPosted().length > 0 ? true : undefined));
    first.child.kill("SIGKILL");
    expect((await first.exited).signal).toBe("SIGKILL");
    // Slack still finishes the post the app never heard back about.
    await until("the card in the channel", async () =>
      fake.messages(SALES).length > 0 ? true : undefined,
    );

    const killed = await open();
    try {
      const verdict = await killed.prisma.leadFeedback.findFirstOrThrow({
        where: { leadId: lead.id },
      });
      expect(verdict.cameBackAt).not.toBeNull();
      const [card] = await killed.prisma.cardOutbox.findMany({
        where: { workspaceId: teamId, kind: "lead_back" },
      });
      expect(card?.status).toBe("sending");
      // The claim is what a restart resolves once it is two minutes old; it is aged here rather
      // than waited for, so the test takes seconds.
      await killed.prisma.cardOutbox.update({
        where: { id: card?.id ?? 0n },
        data: { claimedAt: new Date(Date.now() - CLAIM_TIMEOUT_MS - 1_000) },
      });
    } finally {
      await killed.close();
    }

    const second = await startLaunchedApp(env());
    const check = await open();
    try {
      // The restart finds the card in the channel by its marker instead of posting it again, and
      // the lead is not brought back a second time.
      const card = await until("the card marked as posted", async () => {
        const row = await check.prisma.cardOutbox.findFirst({
          where: { workspaceId: teamId, kind: "lead_back" },
        });
        return row?.status === "sent" ? row : undefined;
      });
      const [message] = fake.messages(SALES);
      expect(card.messageTs).toBe(message?.ts);
      expect(JSON.stringify(message?.blocks)).toContain("Back from not yet");
      expect(await check.prisma.cardOutbox.count({ where: { workspaceId: teamId } })).toBe(1);
      const stored = await check.prisma.lead.findFirstOrThrow({ where: { id: lead.id } });
      expect(stored.cardTs).toBe(message?.ts);
    } finally {
      await check.close();
    }
    second.child.kill("SIGTERM");
    expect(await second.exited).toEqual({ code: 0, signal: null });
    expect(fake.messages(SALES)).toHaveLength(1);
    expect(cardsPosted()).toHaveLength(1);
  });
});
