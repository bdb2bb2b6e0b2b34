import { describe, expect, it } from "vitest";
import { isAppError } from "../../src/domain/app-error.ts";
import {
  OAUTH_STATE_TTL_MS,
  openOAuthState,
  signOAuthState,
} from "../../src/domain/crm-oauth-state.ts";

const KEY = Buffer.alloc(32, 1);
const NOW = new Date("2026-12-01T10:00:00Z");
const input = {
  kind: "salesforce" as const,
  workspaceId: "T0ACME",
  userId: "U0ADMIN",
  redirectUri: "https://leadfit.example.com/crm/salesforce/oauth/callback",
  now: NOW,
};

function refusal(open: () => unknown): string {
  try {
    open();
  } catch (error) {
    if (isAppError(error) && error.code === "oauth_state_invalid") return error.userMessage;
    throw error;
  }
  throw new Error("expected the state to be refused");
}

describe("CRM OAuth state", () => {
  it("opens to the workspace, user and redirect it names, until it expires", () => {
    const { state, claims } = signOAuthState(KEY, input);
    expect(claims.expiresAt - NOW.getTime()).toBe(OAUTH_STATE_TTL_MS);
    const atTheEnd = new Date(claims.expiresAt);
    expect(openOAuthState(KEY, "salesforce", state, atTheEnd)).toEqual(claims);
    expect(claims).toMatchObject({ workspaceId: "T0ACME", userId: "U0ADMIN" });
    expect(
      refusal(() => openOAuthState(KEY, "salesforce", state, new Date(claims.expiresAt + 1))),
    ).toContain("it expired");
  });

  it("is one of a kind each time", () => {
    expect(signOAuthState(KEY, input).state).not.toBe(signOAuthState(KEY, input).state);
  });

  it("refuses another key's state, another CRM's, a changed one and junk", () => {
    const { state } = signOAuthState(KEY, input);
    expect(refusal(() => openOAuthState(Buffer.alloc(32, 2), "salesforce", state, NOW))).toContain(
      "signature does not match",
    );
    expect(refusal(() => openOAuthState(KEY, "hubspot", state, NOW))).toContain(
      "not one Leadfit made",
    );
    const [body = "", signature = ""] = state.split(".");
    const flipped = `${body.slice(0, -1)}${body.endsWith("A") ? "B" : "A"}.${signature}`;
    expect(refusal(() => openOAuthState(KEY, "salesforce", flipped, NOW))).toContain("signature");
    for (const junk of ["", "abc", `${state}.x`, `.${signature}`]) {
      expect(refusal(() => openOAuthState(KEY, "salesforce", junk, NOW))).toContain(
        "leadfit crm connect salesforce",
      );
    }
  });
});
