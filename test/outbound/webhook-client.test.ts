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
