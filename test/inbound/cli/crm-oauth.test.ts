import { generateKeyPairSync } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Workspace } from "../../../src/domain/workspace.ts";
import { type FakeSalesforce, startFakeSalesforce } from "../../fakes/fake-salesforce.ts";
import { runLeadfitAside } from "../../support/cli.ts";
import { storedCredentials } from "../../support/crm-sync.ts";
import { newWorkspace, suiteDatabase } from "../../support/database.ts";

const KEY = Buffer.alloc(32, 4);
const SALESFORCE_APP = { clientId: "3MVG9-cli-consumer", clientSecret: "sf-cli-secret" };

describe("leadfit crm connect with OAuth", () => {
  const { db } = suiteDatabase();
  let workspace: Workspace;
  let org: FakeSalesforce;
  let folder: string;
  const keys = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const env = () => ({
    LEADFIT_ENCRYPTION_KEY: KEY.toString("base64"),
    SALESFORCE_LOGIN_URL: org.url,
    SALESFORCE_CLIENT_ID: SALESFORCE_APP.clientId,
    SALESFORCE_CLIENT_SECRET: SALESFORCE_APP.clientSecret,
    PORT: "3111",
  });
  const leadfit = (extra: Record<string, string>, ...args: string[]) =>
    runLeadfitAside([...args, "--workspace", workspace.id], { env: { ...env(), ...extra } });

  beforeAll(async () => {
    workspace = await newWorkspace(db.prisma);
    org = await startFakeSalesforce({
      ...SALESFORCE_APP,
      jwt: {
        publicKey: keys.publicKey.export({ type: "spki", format: "pem" }).toString(),
        usernames: ["api@acme.test"],
      },
    });
    org.upsert("Organization", { Id: "00Dfake", Name: "Acme Corp" });
    folder = await mkdtemp(path.join(tmpdir(), "leadfit-jwt-"));
  });
  afterAll(async () => {
    await org.close();
    await rm(folder, { recursive: true, force: true });
  });

  it("prints the link to authorize and the redirect URL to register, for each CRM", async () => {
    const salesforce = await leadfit({}, "crm", "connect", "salesforce");
    expect(salesforce.code).toBe(0);
    const [intro, url, register] = salesforce.stdout.trim().split("\n");
    expect(intro).toContain("it works once, for 10 minutes");
    const asked = new URL(url ?? "");
    expect(`${asked.origin}${asked.pathname}`).toBe(`${org.url}/services/oauth2/authorize`);
    expect(asked.searchParams.get("redirect_uri")).toBe(
      "http://localhost:3111/crm/salesforce/oauth/callback",
    );
    expect(register).toContain("http://localhost:3111/crm/salesforce/oauth/callback");

    const hubspot = await leadfit(
      { HUBSPOT_CLIENT_ID: "hs-cli", HUBSPOT_CLIENT_SECRET: "hs-cli-secret" },
      "crm",
      "connect",
      "hubspot",
      "--public-url",
      "https://leadfit.example.com/",
    );
    expect(hubspot.code).toBe(0);
    expect(hubspot.stdout).toContain("https://app.hubspot.com/oauth/authorize?client_id=hs-cli");
    expect(hubspot.stdout).toContain(
      encodeURIComponent("https://leadfit.example.com/crm/hubspot/oauth/callback"),
    );

    const again = await leadfit({}, "crm", "connect", "salesforce");
    expect(again.stdout).toContain(
      encodeURIComponent("https://leadfit.example.com/crm/salesforce/oauth/callback"),
    );
    expect(
      await db.prisma.auditEntry.findMany({
        where: { workspaceId: workspace.id, action: "crm.authorize_link_made" },
        select: { actor: true, details: true },
        orderBy: { id: "asc" },
      }),
    ).toEqual([
      { actor: "cli", details: { crm: "salesforce", publicUrl: "http://localhost:3111" } },
      { actor: "cli", details: { crm: "hubspot", publicUrl: "https://leadfit.example.com" } },
      { actor: "cli", details: { crm: "salesforce", publicUrl: "https://leadfit.example.com" } },
    ]);

    const notHttp = await leadfit({}, "crm", "connect", "salesforce", "--public-url", "ftp://x");
    expect(notHttp.code).toBe(1);
    expect(notHttp.stderr).toContain("must be Leadfit's http(s) address");

    const noApp = await leadfit({}, "crm", "connect", "hubspot");
    expect(noApp.code).toBe(1);
    expect(noApp.stderr).toContain("Set HUBSPOT_CLIENT_ID and HUBSPOT_CLIENT_SECRET");
    expect(noApp.stderr).toContain("--token");
  });

  it("connects with the JWT bearer flow from a key file, storing the key sealed", async () => {
    const keyFile = path.join(folder, "leadfit.key");
    const pem = keys.privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    await writeFile(keyFile, pem);
    const args = ["crm", "connect", "salesforce", "--jwt", "--username", "api@acme.test"];

    expect((await leadfit({}, ...args)).stderr).toContain("--private-key <pem file>");
    expect((await leadfit({}, ...args, "--private-key", `${keyFile}.missing`)).stderr).toContain(
      "Cannot read the private key file",
    );
    const connected = await leadfit({}, ...args, "--private-key", keyFile);
    expect(connected.stderr).toBe("");
    expect(connected.stdout).toContain("Connected");
    expect(connected.stdout).toContain("Salesforce (Acme Corp)");
    const { sealed, open } = await storedCredentials(db.prisma, workspace.id, KEY);
    expect(sealed).not.toContain("PRIVATE KEY");
    expect(open).toEqual({
      kind: "salesforce",
      flow: "jwt",
      instanceUrl: org.url,
      accessToken: org.accessToken(),
      username: "api@acme.test",
      privateKey: pem,
    });
  });
});
