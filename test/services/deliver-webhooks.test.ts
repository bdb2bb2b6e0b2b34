import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ResolveHost } from "../../src/outbound/webhook-client.ts";
import { ACTIONS } from "../../src/presentation/slack/ids.ts";
import { WebhookSender } from "../../src/services/deliver-webhooks.ts";
import { type AppHarness, seedLead, startApp } from "../support/app-harness.ts";
import { blockAction } from "../support/slack-requests.ts";

const SECRET = "whsec_test_0123456789";

interface Received {
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** How a receiver verifies a delivery (the README shows the same steps). */
function verify(secret: string, received: Received): boolean {
  const timestamp = String(received.headers["leadfit-timestamp"]);
  const expected = `v1=${createHmac("sha256", secret).update(`${timestamp}.${received.body}`).digest("hex")}`;
  const given = String(received.headers["leadfit-signature"]);
  return (
    given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected))
  );
}

describe("webhook deliveries", () => {
  let h: AppHarness;
  let receiver: Server;
  const received: Received[] = [];
  const answers: number[] = [];

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk) => {
        body += chunk;
      });
      req.on("end", () => {
        received.push({ headers: req.headers, body });
        res.writeHead(answers.shift() ?? 200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    h = await startApp({ LEADFIT_WEBHOOK_ALLOW_PRIVATE: "true" });
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/leadfit`;
    await h.deps.db.prisma.workspace.update({
      where: { id: h.teamId },
      data: { webhookUrl: url, webhookSecret: SECRET },
    });
  });
  afterAll(async () => {
    await h.close();
    await new Promise((resolve) => receiver.close(resolve));
  });

  /** A verdict on a new lead, acknowledged, so one delivery is due. */
  async function verdictOnNewLead(messageTs: string, actionId: string = ACTIONS.verdictFit) {
    const lead = await seedLead(h);
    const response = await h.send(
      blockAction({
        actionId,
        value: lead.id,
        userId: "U0REP00001",
        teamId: h.teamId,
        channelId: "C0SALES001",
        messageTs,
      }),
    );
    expect(response.status).toBe(200);
    return lead;
  }

  it("stores a signed event with every verdict, delivers it after the ack, and retries after a 500", async () => {
    const lead = await verdictOnNewLead("1700000200.000100");
    // Stored with the verdict, not yet sent: delivery happens after the acknowledgement.
    const [delivery] = await h.deps.db.prisma.webhookDelivery.findMany({
      where: { leadId: lead.id },
    });
    expect(delivery).toMatchObject({ status: "pending", eventType: "verdict.created" });
    expect(received).toHaveLength(0);

    answers.push(500);
    const sender = new WebhookSender(h.deps);
    await sender.drain();
    expect(received).toHaveLength(1);
    const afterFailure = await h.deps.db.prisma.webhookDelivery.findUniqueOrThrow({
      where: { id: delivery?.id },
    });
    expect(afterFailure).toMatchObject({ status: "pending", lastStatusCode: 500, attempts: 1 });
    expect(afterFailure.nextAttemptAt.getTime()).toBeGreaterThan(Date.now());

    // Time passes: the retry is due.
    await h.deps.db.prisma.webhookDelivery.update({
      where: { id: delivery?.id },
      data: { nextAttemptAt: new Date() },
    });
    await sender.drain();
    expect(received).toHaveLength(2);
    const delivered = await h.deps.db.prisma.webhookDelivery.findUniqueOrThrow({
      where: { id: delivery?.id },
    });
    expect(delivered).toMatchObject({ status: "sent", lastStatusCode: 200 });

    const last = received[1] as Received;
    expect(verify(SECRET, last)).toBe(true);
    expect(verify("another-secret", last)).toBe(false);
    expect(last.headers["leadfit-event-id"]).toBe(delivery?.id);
    const event = JSON.parse(last.body);
    expect(event).toEqual({
      id: delivery?.id,
      type: "verdict.created",
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      workspace: h.teamId,
      data: {
        lead: { externalId: lead.externalId, email: lead.email },
        verdict: "fit",
        reasons: [],
        note: null,
        userId: "U0REP00001",
        givenAt: event.createdAt,
        definitionStatus: "unknown",
      },
    });
    // The same event, retried, carries the same id: receivers can drop duplicates.
    expect(received[0]?.headers["leadfit-event-id"]).toBe(delivery?.id);
    await sender.drain();
    expect(received).toHaveLength(2);
  });

  it("gives up after 24 hours of failures and shows admins why", async () => {
    const lead = await verdictOnNewLead("1700000200.000200", ACTIONS.verdictNotYet);
    await h.deps.db.prisma.webhookDelivery.updateMany({
      where: { leadId: lead.id },
      data: { createdAt: new Date(Date.now() - 25 * 3_600_000) },
    });
    answers.push(503);
    await new WebhookSender(h.deps).drain();
    expect(
      await h.deps.db.prisma.webhookDelivery.findFirst({ where: { leadId: lead.id } }),
    ).toMatchObject({ status: "failed", lastStatusCode: 503 });
    expect(await h.deps.repos.webhooks.status(h.teamId)).toMatchObject({
      failed: 1,
      lastError: expect.stringContaining("503"),
    });
  });

  /** Drains with the workspace's webhook pointed elsewhere for the while; returns the delivery. */
  async function drainTo(target: (port: number) => string, sender: WebhookSender, leadId: string) {
    const port = (receiver.address() as AddressInfo).port;
    await h.deps.db.prisma.workspace.update({
      where: { id: h.teamId },
      data: { webhookUrl: target(port) },
    });
    try {
      await sender.drain();
    } finally {
      await h.deps.db.prisma.workspace.update({
        where: { id: h.teamId },
        data: { webhookUrl: `http://127.0.0.1:${port}/leadfit` },
      });
    }
    return h.deps.db.prisma.webhookDelivery.findFirst({ where: { leadId } });
  }

  const strictDeps = () => ({
    ...h.deps,
    config: { ...h.deps.config, webhookAllowPrivate: false },
  });

  it("security #2: a stored target in an IPv6 spelling of loopback gets no verdict, and admins see why", async () => {
    const lead = await verdictOnNewLead("1700000200.000300");
    const before = received.length;
    const delivery = await drainTo(
      (port) => `http://[::ffff:127.0.0.1]:${port}/leadfit`,
      new WebhookSender(strictDeps()),
      lead.id,
    );
    expect(received).toHaveLength(before);
    expect(delivery).toMatchObject({
      status: "failed",
      lastError: expect.stringMatching(
        /loopback or private address.*LEADFIT_WEBHOOK_ALLOW_PRIVATE/,
      ),
    });
  });

  it("security #3: a name that rebinds to loopback after the check never gets a connection", async () => {
    const lead = await verdictOnNewLead("1700000200.000400");
    // A DNS server under an attacker's control: public for the first question, loopback after.
    const answers: string[] = [];
    const rebinding: ResolveHost = async () => {
      const address = answers.length === 0 ? "93.184.216.34" : "127.0.0.1";
      answers.push(address);
      return [{ address, family: 4 }];
    };
    const before = received.length;
    // localhost: the system resolver sends it to loopback too, so a sender that asked it again
    // instead of connecting through the checked lookup would reach the receiver.
    const delivery = await drainTo(
      (port) => `http://localhost:${port}/leadfit`,
      new WebhookSender(strictDeps(), rebinding),
      lead.id,
    );
    expect(received).toHaveLength(before);
    expect(answers).toEqual(["93.184.216.34", "127.0.0.1"]);
    expect(delivery).toMatchObject({
      status: "failed",
      lastError: expect.stringMatching(/127\.0\.0\.1.*loopback or private address/),
    });
  });

  it("security #3: connects to the address its own lookup checked, keeping the URL's host name", async () => {
    const lead = await verdictOnNewLead("1700000200.000500");
    // A name only the injected resolver knows: reaching the receiver proves the connection used it.
    const resolveHost: ResolveHost = async (hostname) =>
      hostname === "hooks.leadfit.test" ? [{ address: "127.0.0.1", family: 4 }] : [];
    const before = received.length;
    const delivery = await drainTo(
      (port) => `http://hooks.leadfit.test:${port}/leadfit`,
      new WebhookSender(h.deps, resolveHost),
      lead.id,
    );
    expect(received).toHaveLength(before + 1);
    const port = (receiver.address() as AddressInfo).port;
    expect(received.at(-1)?.headers.host).toBe(`hooks.leadfit.test:${port}`);
    expect(verify(SECRET, received.at(-1) as Received)).toBe(true);
    expect(delivery).toMatchObject({ status: "sent", lastStatusCode: 200 });
  });
});
