import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  checkWebhookTarget,
  postWebhook,
  type ResolveHost,
} from "../../src/outbound/webhook-client.ts";

describe("webhook targets", () => {
  it("refuses loopback and private targets unless the operator allows them", async () => {
    await expect(checkWebhookTarget("http://127.0.0.1:8080/hook", false)).rejects.toThrow(
      /private/,
    );
    await expect(checkWebhookTarget("http://[::1]/hook", false)).rejects.toThrow(/private/);
    await expect(checkWebhookTarget("http://localhost/hook", false)).rejects.toThrow(/private/);
    await expect(checkWebhookTarget("https://93.184.216.34/hook", false)).resolves.toBeUndefined();
    await expect(checkWebhookTarget("http://127.0.0.1:8080/hook", true)).resolves.toBeUndefined();
    await expect(checkWebhookTarget("ftp://93.184.216.34/hook", false)).rejects.toThrow(/https/);
  });
});

describe("security #2: webhook targets in every IPv6 spelling", () => {
  const REFUSED = /is a loopback or private address;.*LEADFIT_WEBHOOK_ALLOW_PRIVATE=true/;

  it.each([
    "http://[::ffff:127.0.0.1]:8080/hook",
    "http://[0:0:0:0:0:ffff:7f00:1]/hook",
    "http://[::ffff:10.0.0.1]/hook",
    "https://[::ffff:a9fe:a9fe]/latest/meta-data",
    "http://[::FFFF:7F00:1]/hook",
    "http://[::127.0.0.1]/hook",
    "http://[64:ff9b::7f00:1]/hook",
    "http://[2002:7f00:1::]/hook",
    "http://192.0.0.8/hook",
    "http://198.18.0.1/hook",
    "http://100.64.0.1/hook",
  ])("refuses %s", async (url) => {
    await expect(checkWebhookTarget(url, false)).rejects.toThrow(
      expect.objectContaining({
        code: "private_webhook_target",
        userMessage: expect.stringMatching(REFUSED),
      }),
    );
  });

  // The URL parser reads these as 127.0.0.1 (and 10.0.0.1): decimal, octal, hex, short forms.
  it.each([
    "http://2130706433/hook",
    "http://0177.0.0.1/hook",
    "http://0x7f000001/hook",
    "http://0x7f.0.0.1/hook",
    "http://127.1/hook",
    "http://012.0.0.1/hook",
  ])("refuses the numeric host %s", async (url) => {
    await expect(checkWebhookTarget(url, false)).rejects.toThrow(
      expect.objectContaining({ code: "private_webhook_target" }),
    );
  });

  it("refuses a name that resolves to an IPv4-mapped loopback address", async () => {
    const resolveHost = async () => [{ address: "::ffff:7f00:1", family: 6 }];
    await expect(
      checkWebhookTarget("https://hooks.example.test/leadfit", false, resolveHost),
    ).rejects.toThrow(expect.objectContaining({ code: "private_webhook_target" }));
  });

  it("lets the operator allow them with LEADFIT_WEBHOOK_ALLOW_PRIVATE", async () => {
    await expect(
      checkWebhookTarget("http://[::ffff:127.0.0.1]:8080/hook", true),
    ).resolves.toBeUndefined();
  });
});

describe("security #3: the connection goes only to addresses its own lookup checked", () => {
  let receiver: Server;
  let port: number;
  const received: IncomingMessage[] = [];
  const respond = new Map<string, (res: ServerResponse) => void>();

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      received.push(req);
      req.resume();
      const answer = respond.get(req.url ?? "");
      if (answer) answer(res);
      else res.writeHead(200).end();
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    port = (receiver.address() as AddressInfo).port;
  });
  afterAll(async () => {
    receiver.closeAllConnections();
    await new Promise((resolve) => receiver.close(resolve));
  });

  const post = (url: string, policy: { allowPrivate: boolean; resolveHost: ResolveHost }) =>
    postWebhook({ url, headers: {}, body: "{}" }, { ...policy, timeoutMs: 10_000 });

  it("refuses an answer that lists a public address first and loopback second", async () => {
    let calls = 0;
    // Public when checked; public then loopback when the connection asks.
    const resolveHost: ResolveHost = async () =>
      calls++ === 0
        ? [{ address: "93.184.216.34", family: 4 }]
        : [
            { address: "93.184.216.34", family: 4 },
            { address: "127.0.0.1", family: 4 },
          ];
    const before = received.length;
    await expect(
      post(`http://mixed.leadfit.test:${port}/hook`, { allowPrivate: false, resolveHost }),
    ).rejects.toThrow(expect.objectContaining({ code: "private_webhook_target" }));
    expect(calls).toBe(2);
    expect(received).toHaveLength(before);
  });

  it("does not follow a redirect", async () => {
    respond.set("/moved", (res) => res.writeHead(302, { location: "/elsewhere" }).end());
    const resolveHost: ResolveHost = async () => [{ address: "127.0.0.1", family: 4 }];
    const status = await post(`http://hooks.leadfit.test:${port}/moved`, {
      allowPrivate: true,
      resolveHost,
    });
    expect(status).toBe(302);
    expect(received.map((r) => r.url)).not.toContain("/elsewhere");
  });

  it("gives up on a receiver that never answers", async () => {
    respond.set("/silent", () => {});
    const resolveHost: ResolveHost = async () => [{ address: "127.0.0.1", family: 4 }];
    await expect(
      postWebhook(
        { url: `http://hooks.leadfit.test:${port}/silent`, headers: {}, body: "{}" },
        { allowPrivate: true, resolveHost, timeoutMs: 50 },
      ),
    ).rejects.toThrow("the receiver did not answer within 50 ms");
  });
});
