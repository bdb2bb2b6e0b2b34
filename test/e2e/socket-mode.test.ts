import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACTIONS } from "../../src/presentation/slack/ids.ts";
import { type AppHarness, seedLead, startApp } from "../support/app-harness.ts";
import { runAppProcessToExit, startAppProcess } from "../support/app-process.ts";
import { databaseUrl, uniqueId } from "../support/database.ts";
import { type FakeSlack, startFakeSlack } from "../support/fake-slack.ts";
import type { DisconnectReason } from "../support/fake-socket-mode.ts";
import { blockAction, type SlackResponse, slashCommand } from "../support/slack-requests.ts";

const REP = "U0SOCKREP01";
const CHANNEL = "C0SOCKET001";

describe("Socket Mode: connecting, reconnecting, and losing nothing acknowledged", () => {
  let h: AppHarness;
  beforeAll(async () => {
    // A short heartbeat: the Socket Mode client waits that long before it reconnects.
    h = await startApp({}, { transport: "socket", socketModeTimings: { pingTimeoutMs: 2_000 } });
  });
  afterAll(() => h.close());

  const socketMode = () => h.fake.socketMode;
  const help = async () => {
    const response = await h.send(
      slashCommand({ text: "help", userId: REP, channelId: CHANNEL, teamId: h.teamId }),
    );
    expect(response.status).toBe(200);
    expect((response.json as { text: string }).text).toContain("/leadfit");
  };
  let cardTs = 0;
  const leadWithCard = () => {
    cardTs += 1;
    const ts = `1700000100.${String(cardTs).padStart(6, "0")}`;
    return seedLead(h, { card: { channelId: CHANNEL, ts } }).then((lead) => ({ lead, ts }));
  };
  const clickFit = (leadId: string, ts: string) =>
    h.send(
      blockAction({
        actionId: ACTIONS.verdictFit,
        value: leadId,
        userId: REP,
        teamId: h.teamId,
        channelId: CHANNEL,
        messageTs: ts,
      }),
    );
  const verdictsOn = (leadId: string) => h.deps.db.prisma.leadFeedback.count({ where: { leadId } });

  it("connects with the app-level token, and Slack's requests no longer come over HTTP", async () => {
    const [open] = h.fake.calls("apps.connections.open");
    expect(open?.token).toBe(socketMode().appToken);
    expect(socketMode().openConnections()).toBe(1);
    const overHttp = await fetch(`${h.baseUrl}/slack/events`, { method: "POST", body: "{}" });
    expect(overHttp.status).toBe(404);
    expect((await fetch(`${h.baseUrl}/healthz`)).status).toBe(200);
  });

  it("acknowledges each envelope by its id, the reply in the acknowledgement", async () => {
    const sentBefore = socketMode().envelopes().length;
    await help();
    const [envelope] = socketMode().envelopes().slice(sentBefore);
    expect(envelope).toMatchObject({ type: "slash_commands", accepts_response_payload: true });
    const ack = socketMode()
      .acks()
      .find((a) => a.envelopeId === envelope?.envelope_id);
    expect(ack).toMatchObject({ attempt: 0, lost: false });
    expect(JSON.stringify(ack?.payload)).toContain("/leadfit");
  });

  it.each<DisconnectReason>(["refresh_requested", "warning", "link_disabled"])(
    "on `disconnect` (%s) reconnects and keeps answering",
    async (reason) => {
      const connections = socketMode().connectionCount();
      socketMode().disconnect(reason);
      await socketMode().waitForConnections(connections + 1);
      await help();
      expect(socketMode().openConnections()).toBe(1);
      expect(h.logs.join("")).toContain(reason);
    },
  );

  it("reconnects when the connection drops without a word, and keeps answering", async () => {
    const connections = socketMode().connectionCount();
    socketMode().drop();
    await socketMode().waitForConnections(connections + 1);
    await help();
    expect(h.logs.join("")).toContain("reconnected to Slack over Socket Mode");
  });

  it("an envelope whose acknowledgement was lost comes again, and stores nothing twice", async () => {
    const { lead, ts } = await leadWithCard();
    const sentBefore = socketMode().envelopes().length;
    socketMode().loseAcks(1);
    const response = await clickFit(lead.id, ts);
    expect(response.status).toBe(200);
    const deliveries = socketMode().envelopes().slice(sentBefore);
    expect(deliveries.map((e) => [e.retry_attempt, e.retry_reason])).toEqual([
      [undefined, undefined],
      [1, "timeout"],
    ]);
    expect(new Set(deliveries.map((e) => e.envelope_id)).size).toBe(1);
    const acks = socketMode()
      .acks()
      .filter((a) => a.envelopeId === deliveries[0]?.envelope_id);
    expect(acks.map((a) => [a.attempt, a.lost])).toEqual([
      [0, true],
      [1, false],
    ]);
    expect(await verdictsOn(lead.id)).toBe(1);
    expect(h.logs.join("")).toContain("repeated Slack request");
  });

  it("the socket drops in the middle of a stream of one-click verdicts: each stored once, nothing lost", async () => {
    const cards = await Promise.all(Array.from({ length: 24 }, () => leadWithCard()));
    const connections = socketMode().connectionCount();
    const acksBefore = socketMode().acks().length;
    const sentBefore = socketMode().envelopes().length;
    const clicks: Promise<SlackResponse>[] = [];
    const pause = () => new Promise((resolve) => setTimeout(resolve, 20));
    const [before, [atDrop, ...after]] = [cards.slice(0, 12), cards.slice(12)];
    if (!atDrop) throw new Error("no card to click when the line goes");
    for (const { lead, ts } of before) {
      clicks.push(clickFit(lead.id, ts));
      await pause();
    }
    // Some clicks acknowledged, the one just sent (at least) in flight, the rest still to come.
    while (socketMode().acks().length - acksBefore < 6) await pause();
    clicks.push(clickFit(atDrop.lead.id, atDrop.ts));
    const inFlightAtDrop = socketMode().inFlight();
    socketMode().drop();
    for (const { lead, ts } of after) {
      clicks.push(clickFit(lead.id, ts));
      await pause();
    }
    expect(inFlightAtDrop).toBeGreaterThan(0);
    const responses = await Promise.all(clicks);
    const redelivered = socketMode()
      .envelopes()
      .slice(sentBefore)
      .filter((e) => e.retry_attempt !== undefined);
    expect(redelivered.length).toBeGreaterThanOrEqual(inFlightAtDrop);
    expect(responses.map((r) => r.status)).toEqual(cards.map(() => 200));
    expect(socketMode().connectionCount()).toBeGreaterThan(connections);
    expect(socketMode().openConnections()).toBe(1);
    const stored = await Promise.all(cards.map(({ lead }) => verdictsOn(lead.id)));
    expect(stored).toEqual(cards.map(() => 1));
    // An acknowledgement that went down with the connection is no listener's error.
    expect(h.logs.join("")).not.toContain("unhandled error in a Slack listener");
    await help();
  });
});

describe("Socket Mode when Slack refuses to reconnect", () => {
  it("says why, once, instead of leaving a rejection nobody handles", async () => {
    const h = await startApp(
      {},
      { transport: "socket", socketModeTimings: { pingTimeoutMs: 1_000 } },
    );
    try {
      h.fake.failNext("apps.connections.open", { body: { ok: false, error: "invalid_auth" } });
      h.fake.socketMode.drop();
      const lost = await h.app.slackLost;
      expect(lost.userMessage).toContain(
        "Slack refused SLACK_APP_TOKEN (apps.connections.open: invalid_auth)",
      );
      expect(h.fake.socketMode.openConnections()).toBe(0);
    } finally {
      await h.close();
    }
  });
});

describe("npm start in Socket Mode", () => {
  let fake: FakeSlack;
  beforeAll(async () => {
    fake = await startFakeSlack({ teamId: uniqueId("T"), teamName: "Socket Start" });
  });
  afterAll(() => fake.close());

  const env = (appToken: string) => ({
    SLACK_BOT_TOKEN: fake.botToken,
    SLACK_APP_TOKEN: appToken,
    SLACK_API_URL: fake.url,
    DATABASE_URL: databaseUrl,
  });

  it("says in its first lines that it is connected over Socket Mode, and to which workspace", async () => {
    const app = await startAppProcess(env(fake.socketMode.appToken));
    try {
      const lines = app.log().split("\n");
      const connected = lines.findIndex((line) => line.includes("over Socket Mode"));
      const running = lines.findIndex((line) => line.includes("is running"));
      expect(lines[connected]).toContain(
        `Connected to Slack over Socket Mode: workspace Socket Start (${fake.teamId})`,
      );
      expect(connected).toBeLessThan(running);
      expect(fake.socketMode.openConnections()).toBe(1);
    } finally {
      app.child.kill("SIGTERM");
      await app.exited;
    }
  });

  it("stops with one clear line, exit code 1, when Slack refuses to let it reconnect", async () => {
    const app = await startAppProcess(env(fake.socketMode.appToken));
    fake.failNext("apps.connections.open", { body: { ok: false, error: "invalid_auth" } });
    fake.socketMode.drop();
    const { code } = await app.exited;
    expect(code).toBe(1);
    expect(app.log()).toContain(
      "leadfit: Slack refused SLACK_APP_TOKEN (apps.connections.open: invalid_auth).",
    );
    expect(app.log()).not.toMatch(/^\s+at /m);
  });

  it("stops with one clear line without SLACK_APP_TOKEN or the signing secret HTTP mode needs", async () => {
    const { code, stderr } = await runAppProcessToExit({
      SLACK_BOT_TOKEN: fake.botToken,
      SLACK_API_URL: fake.url,
      DATABASE_URL: databaseUrl,
    });
    expect(code).toBe(1);
    expect(stderr.trim().split("\n").at(-1)).toBe(
      "leadfit: Set SLACK_SIGNING_SECRET (HTTP mode), or SLACK_APP_TOKEN for Socket Mode.",
    );
    expect(stderr).not.toMatch(/^\s+at /m);
  });

  it("stops with one clear line when Slack refuses the app-level token", async () => {
    const { code, stderr } = await runAppProcessToExit(env("xapp-1-A0OTHER-1-notThisAppsToken"));
    expect(code).toBe(1);
    expect(stderr.trim().split("\n").at(-1)).toBe(
      "leadfit: Slack refused SLACK_APP_TOKEN (apps.connections.open: invalid_auth). Use the app-level token (xapp-...) with the connections:write scope, from the app's Basic Information page.",
    );
    expect(stderr).not.toMatch(/^\s+at /m);
    expect(fake.socketMode.openConnections()).toBe(0);
  });
});
