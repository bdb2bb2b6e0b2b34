import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { type FakeSlack, startFakeSlack } from "./fake-slack.ts";

let fake: FakeSlack;

// A fake each, so no test sees envelopes another left unacknowledged.
beforeEach(async () => {
  // A short acknowledgement timeout, so redeliveries come quickly here.
  fake = await startFakeSlack({ socketAckTimeoutMs: 150 });
});

afterEach(() => fake.close());

async function openConnection(token: string | undefined): Promise<Record<string, unknown>> {
  const response = await fetch(`${fake.url}apps.connections.open`, {
    method: "POST",
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  return (await response.json()) as Record<string, unknown>;
}

interface Client {
  socket: WebSocket;
  /** The next message from the server (parsed), waiting for it if need be. */
  next(): Promise<Record<string, unknown>>;
  ack(envelopeId: unknown, payload?: object): void;
  closed: Promise<number>;
}

async function connect(url?: string): Promise<Client> {
  const target = url ?? String((await openConnection(fake.socketMode.appToken)).url);
  const socket = new WebSocket(target);
  const inbox: Record<string, unknown>[] = [];
  const waiting: ((message: Record<string, unknown>) => void)[] = [];
  socket.on("message", (data) => {
    const message = JSON.parse(data.toString()) as Record<string, unknown>;
    const waiter = waiting.shift();
    if (waiter) waiter(message);
    else inbox.push(message);
  });
  const closed = new Promise<number>((resolve) => socket.once("close", (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    socket.once("open", () => resolve());
    socket.once("error", reject);
  });
  return {
    socket,
    next: () => {
      const queued = inbox.shift();
      return queued ? Promise.resolve(queued) : new Promise((resolve) => waiting.push(resolve));
    },
    ack: (envelopeId, payload) =>
      socket.send(JSON.stringify({ envelope_id: envelopeId, ...(payload ? { payload } : {}) })),
    closed,
  };
}

describe("fake Socket Mode", () => {
  it("apps.connections.open answers a WebSocket URL for the app-level token only", async () => {
    const opened = await openConnection(fake.socketMode.appToken);
    expect(opened).toEqual({
      ok: true,
      url: expect.stringMatching(/^ws:\/\/127\.0\.0\.1:\d+\/link\/\?ticket=[\w-]+&app_id=A\w+$/),
    });
    expect(await openConnection("xapp-1-A0OTHER-1-wrong")).toEqual({
      ok: false,
      error: "invalid_auth",
    });
    expect(await openConnection(fake.botToken)).toEqual({
      ok: false,
      error: "not_allowed_token_type",
    });
    expect(await openConnection(undefined)).toEqual({ ok: false, error: "not_authed" });
  });

  it("says hello on a new connection, and a URL opens one connection only", async () => {
    const url = String((await openConnection(fake.socketMode.appToken)).url);
    const client = await connect(url);
    expect(await client.next()).toEqual({
      type: "hello",
      num_connections: 1,
      debug_info: expect.objectContaining({ host: expect.any(String) }),
      connection_info: { app_id: fake.appId },
    });
    await expect(connect(url)).rejects.toThrow(/401/);
    client.socket.close();
    await client.closed;
  });

  it("sends envelopes as Slack does and records each acknowledgement with its payload", async () => {
    const client = await connect();
    await client.next();
    const command = fake.socketMode.deliver("slash_commands", { command: "/leadfit" });
    const commandEnvelope = await client.next();
    expect(commandEnvelope).toEqual({
      envelope_id: expect.any(String),
      type: "slash_commands",
      payload: { command: "/leadfit" },
      accepts_response_payload: true,
    });
    client.ack(commandEnvelope.envelope_id, { text: "help" });
    expect(await command).toMatchObject({ payload: { text: "help" }, attempt: 0, lost: false });

    void fake.socketMode.deliver("interactive", { type: "block_actions" });
    expect(await client.next()).toMatchObject({
      type: "interactive",
      accepts_response_payload: false,
    });
    void fake.socketMode.deliver("interactive", { type: "view_submission" });
    expect(await client.next()).toMatchObject({ accepts_response_payload: true });
    void fake.socketMode.deliver("events_api", { type: "event_callback" });
    expect(await client.next()).toMatchObject({
      type: "events_api",
      accepts_response_payload: false,
      retry_attempt: 0,
      retry_reason: "",
    });
    expect(fake.socketMode.inFlight()).toBe(3);
    client.socket.close();
    await client.closed;
  });

  it("delivers an envelope again when its acknowledgement does not come, then gives up", async () => {
    const client = await connect();
    await client.next();
    const delivery = fake.socketMode.deliver("interactive", { type: "block_actions" });
    const attempts = [await client.next(), await client.next(), await client.next()];
    attempts.push(await client.next());
    expect(attempts.map((e) => [e.retry_attempt, e.retry_reason])).toEqual([
      [undefined, undefined],
      [1, "timeout"],
      [2, "timeout"],
      [3, "timeout"],
    ]);
    expect(new Set(attempts.map((e) => e.envelope_id)).size).toBe(1);
    await expect(delivery).rejects.toThrow(/never acknowledged in 4 deliveries/);
    client.socket.close();
    await client.closed;
  });

  it("a lost acknowledgement is recorded as lost, and the envelope comes again", async () => {
    const client = await connect();
    await client.next();
    fake.socketMode.loseAcks(1);
    const delivery = fake.socketMode.deliver("slash_commands", { command: "/leadfit" });
    const first = await client.next();
    client.ack(first.envelope_id);
    const again = await client.next();
    expect(again).toMatchObject({ envelope_id: first.envelope_id, retry_attempt: 1 });
    client.ack(again.envelope_id);
    expect(await delivery).toMatchObject({ attempt: 1, lost: false });
    const acks = fake.socketMode.acks().filter((a) => a.envelopeId === first.envelope_id);
    expect(acks.map((a) => a.lost)).toEqual([true, false]);
    client.socket.close();
    await client.closed;
  });

  it("keeps what a dropped connection had in flight, and what comes meanwhile, for the next one", async () => {
    const first = await connect();
    await first.next();
    const inFlight = fake.socketMode.deliver("slash_commands", { command: "/in-flight" });
    await first.next();
    fake.socketMode.drop();
    await first.closed;
    const meanwhile = fake.socketMode.deliver("slash_commands", { command: "/meanwhile" });
    const second = await connect();
    expect(await second.next()).toMatchObject({ type: "hello" });
    const delivered = [await second.next(), await second.next()];
    expect(delivered.map((e) => (e.payload as { command: string }).command).sort()).toEqual([
      "/in-flight",
      "/meanwhile",
    ]);
    for (const envelope of delivered) second.ack(envelope.envelope_id);
    await Promise.all([inFlight, meanwhile]);
    second.socket.close();
    await second.closed;
  });

  it.each(["refresh_requested", "warning", "link_disabled"] as const)(
    "sends `disconnect` (%s), then closes the connection",
    async (reason) => {
      const client = await connect();
      await client.next();
      fake.socketMode.disconnect(reason);
      expect(await client.next()).toEqual({
        type: "disconnect",
        reason,
        debug_info: { host: expect.any(String) },
      });
      expect(await client.closed).toBe(1000);
    },
  );
});
