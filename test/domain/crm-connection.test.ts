import { describe, expect, it } from "vitest";
import { isAppError } from "../../src/domain/app-error.ts";
import {
  type CrmCredentials,
  hubspotAccount,
  MAKE_ENCRYPTION_KEY,
  openCredentials,
  requireEncryptionKey,
  sealCredentials,
} from "../../src/domain/crm-connection.ts";

const KEY = Buffer.alloc(32, 1);
const OTHER_KEY = Buffer.alloc(32, 2);
const SALESFORCE: CrmCredentials = {
  kind: "salesforce",
  instanceUrl: "https://acme.my.salesforce.com",
  accessToken: "00Dxx!access-token",
  refreshToken: "5Aep-refresh-token",
};

function refusalOf(work: () => unknown): { code: string; userMessage: string } | undefined {
  try {
    work();
  } catch (error) {
    return isAppError(error)
      ? { code: error.code, userMessage: error.userMessage }
      : { code: "not an AppError", userMessage: "" };
  }
  return undefined;
}

const codeOf = (work: () => unknown) => refusalOf(work)?.code;

describe("CRM credentials sealed at rest", () => {
  it("open to what was sealed, and the sealed form shows none of it", () => {
    const sealed = sealCredentials(KEY, SALESFORCE);
    expect(openCredentials(KEY, sealed)).toEqual(SALESFORCE);
    expect(sealed).not.toContain("access-token");
    expect(sealed).not.toContain("refresh-token");
    expect(sealed).not.toContain("salesforce");
  });

  it("seal the same credentials differently each time (a fresh IV)", () => {
    expect(sealCredentials(KEY, SALESFORCE)).not.toBe(sealCredentials(KEY, SALESFORCE));
  });

  it("refuse to open under another key, or once changed", () => {
    const sealed = sealCredentials(KEY, { kind: "hubspot", accessToken: "pat-na1-secret" });
    expect(codeOf(() => openCredentials(OTHER_KEY, sealed))).toBe("crm_credentials_unreadable");
    const [version, iv, tag, body = ""] = sealed.split(".");
    const flipped = `${body.startsWith("A") ? "B" : "A"}${body.slice(1)}`;
    expect(codeOf(() => openCredentials(KEY, [version, iv, tag, flipped].join(".")))).toBe(
      "crm_credentials_unreadable",
    );
    expect(codeOf(() => openCredentials(KEY, "pat-na1-secret"))).toBe("crm_credentials_unreadable");
  });

  it("refuse a value not in the sealed form, saying so, and tell the person to connect again", () => {
    const [, iv, tag, body] = sealCredentials(KEY, SALESFORCE).split(".");
    for (const odd of [`v2.${iv}.${tag}.${body}`, `v1.${iv}.${tag}`, `v1.${iv}`, "v1"]) {
      expect(refusalOf(() => openCredentials(KEY, odd))).toEqual({
        code: "crm_credentials_unreadable",
        userMessage:
          "The CRM credentials cannot be opened (the stored value is not in the sealed form). Connect the CRM again.",
      });
    }
    expect(refusalOf(() => openCredentials(OTHER_KEY, sealCredentials(KEY, SALESFORCE)))).toEqual({
      code: "crm_credentials_unreadable",
      userMessage:
        "The CRM credentials cannot be opened (it was sealed with another LEADFIT_ENCRYPTION_KEY, or changed). Connect the CRM again.",
    });
  });

  it("refuse a sealed value whose tag was cut short (GCM would check only what is left)", () => {
    const [version, iv, tag = "", body] = sealCredentials(KEY, SALESFORCE).split(".");
    const short = Buffer.from(tag, "base64url").subarray(0, 12).toString("base64url");
    expect(codeOf(() => openCredentials(KEY, [version, iv, short, body].join(".")))).toBe(
      "crm_credentials_unreadable",
    );
  });

  it("open the JWT flow's Salesforce credentials and HubSpot's, each as sealed", () => {
    const jwt: CrmCredentials = {
      kind: "salesforce",
      flow: "jwt",
      instanceUrl: "https://acme.my.salesforce.com",
      accessToken: "00Dxx!jwt-access",
      username: "integration@acme.example",
      privateKey: "-----BEGIN PRIVATE KEY-----\nMIIE…\n-----END PRIVATE KEY-----",
    };
    const hubspot: CrmCredentials = {
      kind: "hubspot",
      accessToken: "pat-na1-é✓",
      refreshToken: "r",
    };
    expect(openCredentials(KEY, sealCredentials(KEY, jwt))).toEqual(jwt);
    expect(openCredentials(KEY, sealCredentials(KEY, hubspot))).toEqual(hubspot);
  });
});

describe("the encryption key and the HubSpot account", () => {
  it("hands back a key that is set, and without one tells the operator how to make one", () => {
    expect(requireEncryptionKey(KEY)).toBe(KEY);
    const refusal = refusalOf(() => requireEncryptionKey(undefined));
    expect(refusal?.code).toBe("encryption_key_missing");
    expect(refusal?.userMessage).toContain("Set LEADFIT_ENCRYPTION_KEY before connecting a CRM");
    expect(refusal?.userMessage).toContain(`Make one with: ${MAKE_ENCRYPTION_KEY}`);
  });

  it("names a HubSpot portal as its webhooks find it", () => {
    expect(hubspotAccount(7788)).toBe("portal 7788");
  });
});
