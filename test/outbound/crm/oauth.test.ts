import { generateKeyPairSync, verify } from "node:crypto";
import { describe, expect, it } from "vitest";
import { isAppError } from "../../../src/domain/app-error.ts";
import { readPrivateKey, salesforceJwtAssertion } from "../../../src/outbound/crm/oauth.ts";

describe("Salesforce's JWT bearer assertion", () => {
  const keys = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const privateKey = keys.privateKey.export({ type: "pkcs8", format: "pem" }).toString();

  it("is RS256 over iss, sub, aud and an exp 3 minutes on, as the flow's reference says", () => {
    const now = new Date("2026-12-01T10:00:00.600Z");
    const jwt = salesforceJwtAssertion({
      clientId: "3MVG9-key",
      username: "api@acme.test",
      loginUrl: "https://test.salesforce.com",
      privateKey,
      now,
    });
    const [header = "", claims = "", signature = ""] = jwt.split(".");
    const decode = (part: string) => JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
    expect(decode(header)).toEqual({ alg: "RS256" });
    expect(decode(claims)).toEqual({
      iss: "3MVG9-key",
      sub: "api@acme.test",
      aud: "https://test.salesforce.com",
      exp: Math.floor(now.getTime() / 1000) + 180,
    });
    const signed = Buffer.from(`${header}.${claims}`);
    expect(verify("sha256", signed, keys.publicKey, Buffer.from(signature, "base64url"))).toBe(
      true,
    );
  });

  it("refuses a key that is not an RSA private key in PEM, saying what it needs", () => {
    const ec = generateKeyPairSync("ec", { namedCurve: "P-256" })
      .privateKey.export({ type: "pkcs8", format: "pem" })
      .toString();
    for (const pem of ["not a key", ec]) {
      try {
        readPrivateKey(pem);
        expect.unreachable();
      } catch (error) {
        expect(isAppError(error) && error.userMessage).toContain("RSA private key in PEM");
      }
    }
  });
});
