import { describe, expect, it } from "vitest";
import { isAppError } from "../../src/domain/app-error.ts";
import {
  type CrmCredentials,
  openCredentials,
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

function codeOf(work: () => unknown): string | undefined {
  try {
    work();
  } catch (error) {
    return isAppError(error) ? error.code : "not an AppError";
  }
  return undefined;
}

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
});
