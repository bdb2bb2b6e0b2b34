import { describe, expect, it } from "vitest";
import { checkWebhookTarget } from "../../src/outbound/webhook-client.ts";

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
