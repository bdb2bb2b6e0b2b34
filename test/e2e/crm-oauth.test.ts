import { generateKeyPairSync } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CRM_KINDS } from "../../src/domain/crm-connection.ts";
import { MAX_PUBLIC_URL } from "../../src/domain/crm-oauth-state.ts";
import { crmAuthorizeLinkModal } from "../../src/presentation/slack/crm-authorize-modal.ts";
import { crmAuthorizeLink } from "../../src/services/authorize-crm.ts";
import { connectSalesforceWithJwt } from "../../src/services/connect-salesforce-with-jwt.ts";
import { syncCrm } from "../../src/services/sync-crm.ts";
import { type FakeHubSpot, startFakeHubSpot } from "../fakes/fake-hubspot.ts";
import { type FakeSalesforce, startFakeSalesforce } from "../fakes/fake-salesforce.ts";
import { ADMIN, type AppHarness, startApp } from "../support/app-harness.ts";
import { expectWithinSlackLimits } from "../support/block-kit-limits.ts";
import { storedCredentials } from "../support/crm-sync.ts";

const KEY = Buffer.alloc(32, 11);
const HUBSPOT_APP = { clientId: "hs-client-0001", clientSecret: "hs-secret-very-private" };
const SALESFORCE_APP = { clientId: "3MVG9-consumer-key", clientSecret: "sf-secret-very-private" };

describe("Connecting a CRM with OAuth: the authorize link, the callback, the JWT bearer flow", () => {
  let h: AppHarness;
  let hubspot: FakeHubSpot;
  let salesforce: FakeSalesforce;
  const keys = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const privateKey = keys.privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  const publicKey = keys.publicKey.export({ type: "spki", format: "pem" }).toString();

  beforeAll(async () => {
    hubspot = await startFakeHubSpot({ portalId: 7788, tokens: [], app: HUBSPOT_APP });
    salesforce = await startFakeSalesforce({
      ...SALESFORCE_APP,
      jwt: { publicKey, usernames: ["integration@acme.test"] },
    });
    salesforce.upsert("Organization", { Id: "00Dfake", Name: "Acme Corp" });
    h = await startApp({
      LEADFIT_ENCRYPTION_KEY: KEY.toString("base64"),
      HUBSPOT_API_URL: hubspot.url,
      HUBSPOT_CLIENT_ID: HUBSPOT_APP.clientId,
      HUBSPOT_CLIENT_SECRET: HUBSPOT_APP.clientSecret,
      SALESFORCE_LOGIN_URL: salesforce.url,
      SALESFORCE_CLIENT_ID: SALESFORCE_APP.clientId,
      SALESFORCE_CLIENT_SECRET: SALESFORCE_APP.clientSecret,
    });
  });
  afterAll(async () => {
    await h.close();
    await hubspot.close();
    await salesforce.close();
  });

  const link = (kind: "hubspot" | "salesforce", now = () => new Date()) =>
    crmAuthorizeLink(
      { repos: h.deps.repos, config: h.deps.config, now },
      { kind, workspaceId: h.teamId, userId: ADMIN, publicUrl: `${h.baseUrl}/` },
    );
  /** The admin's browser arriving back at Leadfit. */
  const visit = async (url: string) => {
    const response = await fetch(url);
    return { status: response.status, page: await response.text() };
  };
  const stored = () => storedCredentials(h.deps.db.prisma, h.teamId, KEY);
  const withState = (callback: string, change: (params: URLSearchParams) => void) => {
    const url = new URL(callback);
    change(url.searchParams);
    return url.toString();
  };

  it("HubSpot: the link asks for the scopes with a state; the callback connects, sealed, once", async () => {
    const { url, redirectUri, expiresAt } = await link("hubspot");
    const asked = new URL(url);
    expect(`${asked.origin}${asked.pathname}`).toBe("https://app.hubspot.com/oauth/authorize");
    expect(asked.searchParams.get("client_id")).toBe(HUBSPOT_APP.clientId);
    expect(asked.searchParams.get("redirect_uri")).toBe(`${h.baseUrl}/crm/hubspot/oauth/callback`);
    expect(redirectUri).toBe(asked.searchParams.get("redirect_uri"));
    expect(asked.searchParams.get("scope")?.split(" ")).toEqual(
      expect.arrayContaining(["oauth", "crm.objects.contacts.read", "crm.objects.deals.read"]),
    );
    expect(asked.searchParams.get("state")).toMatch(/^[\w-]+\.[\w-]+$/);
    expect(expiresAt.getTime() - Date.now()).toBeGreaterThan(9 * 60_000);

    const callback = hubspot.approve(url);
    const done = await visit(callback);
    expect(done.status).toBe(200);
    expect(done.page).toContain("Connected to HubSpot");
    expect(done.page).toContain("portal 7788");

    const [accessToken] = hubspot.issuedAccessTokens();
    const { sealed, row, open } = await stored();
    expect(open).toEqual({ kind: "hubspot", accessToken, refreshToken: "oauth-refresh-1" });
    expect(row.connectedBy).toBe(ADMIN);
    for (const secret of [String(accessToken), "oauth-refresh-1", HUBSPOT_APP.clientSecret]) {
      expect(sealed).not.toContain(secret);
      expect(done.page).not.toContain(secret);
      expect(h.logs.join("\n")).not.toContain(secret);
    }
    const exchange = hubspot.calls("/oauth/v1/token")[0]?.body;
    expect(exchange).toMatchObject({
      grant_type: "authorization_code",
      redirect_uri: redirectUri,
      client_id: HUBSPOT_APP.clientId,
    });

    const replayed = await visit(callback);
    expect(replayed.status).toBe(400);
    expect(replayed.page).toContain("it was used already");
    expect(hubspot.calls("/oauth/v1/token")).toHaveLength(1);
  });

  it("makes, from the longest address taken, a link Slack's link button can carry", async () => {
    const base = "https://leadfit.example.com/";
    const longest = `${base}${"p".repeat(MAX_PUBLIC_URL - base.length)}`;
    for (const kind of CRM_KINDS) {
      const made = await crmAuthorizeLink(
        { repos: h.deps.repos, config: h.deps.config, now: () => new Date() },
        { kind, workspaceId: h.teamId, userId: ADMIN, publicUrl: longest },
      );
      expectWithinSlackLimits(crmAuthorizeLinkModal({ kind, ...made }));
    }
    await expect(
      crmAuthorizeLink(
        { repos: h.deps.repos, config: h.deps.config, now: () => new Date() },
        { kind: "hubspot", workspaceId: h.teamId, userId: ADMIN, publicUrl: `${longest}p` },
      ),
    ).rejects.toMatchObject({ code: "invalid_request" });
  });

  it("refuses a changed, a foreign, an expired or a missing state, before calling the CRM", async () => {
    const tokenCalls = hubspot.calls("/oauth/v1/token").length;
    const callback = hubspot.approve((await link("hubspot")).url);
    const state = new URL(callback).searchParams.get("state") ?? "";
    const [claims = "", signature = ""] = state.split(".");
    const forged = Buffer.from(
      JSON.stringify({
        ...JSON.parse(Buffer.from(claims, "base64url").toString()),
        workspaceId: "T0THEIRS",
      }),
    ).toString("base64url");

    const changed = await visit(
      withState(callback, (p) => p.set("state", `${forged}.${signature}`)),
    );
    expect(changed).toMatchObject({ status: 400 });
    expect(changed.page).toContain("its signature does not match");

    const salesforceState = new URL((await link("salesforce")).url).searchParams.get("state") ?? "";
    const foreign = await visit(withState(callback, (p) => p.set("state", salesforceState)));
    expect(foreign.page).toContain("not one Leadfit made");

    const old = hubspot.approve(
      (await link("hubspot", () => new Date(Date.now() - 11 * 60_000))).url,
    );
    const expired = await visit(old);
    expect(expired.status).toBe(400);
    expect(expired.page).toContain("it expired (a link lasts 10 minutes)");

    const missing = await visit(withState(callback, (p) => p.delete("state")));
    expect(missing.status).toBe(400);
    expect(hubspot.calls("/oauth/v1/token")).toHaveLength(tokenCalls);
  });

  it("says clearly when the CRM refuses the code or the admin declines", async () => {
    const refused = await visit(
      withState(hubspot.approve((await link("hubspot")).url), (p) => p.set("code", "stale")),
    );
    expect(refused.status).toBe(502);
    expect(refused.page).toContain("HubSpot was not connected");
    expect(refused.page).toContain("BAD_AUTH_CODE: missing or unknown auth code");

    const declined = await visit(
      withState(hubspot.approve((await link("hubspot")).url), (p) => {
        p.delete("code");
        p.set("error", "access_denied");
        p.set("error_description", "The user denied the request");
      }),
    );
    expect(declined.status).toBe(400);
    expect(declined.page).toContain(
      "HubSpot did not grant access (access_denied: The user denied the request)",
    );
    expect(h.logs.join("\n")).toContain("CRM authorization refused");
  });

  it("Salesforce web server flow: code, client secret and redirect URI exchanged for a refresh token", async () => {
    const { url, redirectUri } = await link("salesforce");
    const asked = new URL(url);
    expect(`${asked.origin}${asked.pathname}`).toBe(`${salesforce.url}/services/oauth2/authorize`);
    expect(Object.fromEntries(asked.searchParams)).toMatchObject({
      response_type: "code",
      client_id: SALESFORCE_APP.clientId,
      redirect_uri: `${h.baseUrl}/crm/salesforce/oauth/callback`,
      scope: "api refresh_token offline_access",
    });
    const done = await visit(salesforce.approve(url));
    expect(done.status).toBe(200);
    expect(done.page).toContain("connected to Salesforce (Acme Corp)");
    const { sealed, open } = await stored();
    expect(open).toEqual({
      kind: "salesforce",
      instanceUrl: salesforce.url,
      accessToken: salesforce.accessToken(),
      refreshToken: expect.stringMatching(/^5Aep-refresh-/),
    });
    expect(sealed).not.toContain(salesforce.accessToken());
    expect(salesforce.calls("/services/oauth2/token")[0]?.body).toMatchObject({
      grant_type: "authorization_code",
      redirect_uri: redirectUri,
      client_secret: SALESFORCE_APP.clientSecret,
    });
  });

  /** An admin connects Salesforce with the JWT bearer flow, signed for `username`. */
  const connectWithJwtFor = (username: string) =>
    connectSalesforceWithJwt(h.deps, {
      workspaceId: h.teamId,
      username,
      privateKey,
      connectedBy: ADMIN,
    });

  it("Salesforce JWT bearer flow: connects with a signed JWT and gets a new token when the session expires", async () => {
    const summary = await connectWithJwtFor("integration@acme.test");
    expect(summary.account).toBe("Acme Corp");
    const first = await stored();
    expect(first.open).toMatchObject({
      kind: "salesforce",
      flow: "jwt",
      username: "integration@acme.test",
      accessToken: salesforce.accessToken(),
    });
    expect(first.sealed).not.toContain("PRIVATE KEY");

    salesforce.upsert("Lead", { Id: "00Q000000000077", Email: "jwt@acme.test", LastName: "Jwt" });
    salesforce.expireSession();
    const jwtGrants = () =>
      salesforce
        .calls("/services/oauth2/token")
        .filter((c) => (c.body as Record<string, string>).grant_type?.endsWith("jwt-bearer"));
    expect(jwtGrants()).toHaveLength(1);
    const report = await syncCrm(h.deps, { workspaceId: h.teamId });
    expect(report.error).toBeNull();
    expect(jwtGrants()).toHaveLength(2);
    const renewed = await stored();
    expect(renewed.open).toMatchObject({ flow: "jwt", accessToken: salesforce.accessToken() });
    expect(renewed.open.accessToken).not.toBe(first.open.accessToken);
    expect(h.logs.join("\n")).not.toContain("PRIVATE KEY");
  });

  it("refuses the JWT flow for a user the connected app has not pre-authorized", async () => {
    const error = await connectWithJwtFor("stranger@acme.test").catch((e: unknown) => e);
    expect(String((error as { userMessage?: string }).userMessage)).toContain(
      "user hasn't approved this consumer",
    );
  });
});
