import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashApiKey } from "../../../src/domain/api-key.ts";
import type { Workspace } from "../../../src/domain/workspace.ts";
import { type FakeSalesforce, startFakeSalesforce } from "../../fakes/fake-salesforce.ts";
import { runLeadfit, runLeadfitAside } from "../../support/cli.ts";
import { newWorkspace, suiteDatabase } from "../../support/database.ts";

describe("leadfit api-key, metric and reason", () => {
  const { db } = suiteDatabase();
  let workspace: Workspace;
  const leadfit = (...args: string[]) => runLeadfit([...args, "--workspace", workspace.id]);

  beforeAll(async () => {
    workspace = await newWorkspace(db.prisma);
  });

  it("creates a key printed alone on its line, stores only its hash, lists and revokes it", async () => {
    const created = leadfit("api-key", "create", "--name", "HubSpot sync");
    expect(created.code).toBe(0);
    const key = created.stdout.trim();
    expect(key).toMatch(/^lf_[A-Za-z0-9_-]{32}$/);
    expect(created.stdout).toBe(`${key}\n`);
    const stored = await db.prisma.apiKey.findFirstOrThrow({
      where: { workspaceId: workspace.id },
    });
    expect(stored.keyHash).toBe(hashApiKey(key));
    expect(JSON.stringify(stored)).not.toContain(key);

    const listed = leadfit("api-key", "list");
    expect(listed.stdout).toContain("HubSpot sync");
    expect(listed.stdout).not.toContain(key);

    expect(leadfit("api-key", "revoke", stored.id).stdout).toContain("Revoked");
    expect(
      (await db.prisma.apiKey.findUniqueOrThrow({ where: { id: stored.id } })).revokedAt,
    ).not.toBeNull();
    expect(leadfit("api-key", "revoke", stored.id).code).toBe(1);
    expect(leadfit("api-key", "create").stderr).toContain("--name");
  });

  it("defines, renames and retires metrics, refusing bad values with the option named", async () => {
    /** `leadfit metric define` of a metric that finds customers, higher being better, summed. */
    const define = (key: string, label: string, unit: string, stage: string) =>
      leadfit(
        "metric",
        "define",
        key,
        "--label",
        label,
        "--unit",
        unit,
        "--stage",
        stage,
        "--goal",
        "find",
        "--direction",
        "higher",
        "--aggregation",
        "sum",
      );
    const defined = define("webinar_signups", "Webinar sign-ups", "count", "engagement");
    expect(defined.stdout).toContain("Defined webinar_signups");
    expect(leadfit("metric", "rename", "webinar_signups", "--label", "Sign-ups").stdout).toContain(
      "Updated",
    );
    expect(leadfit("metric", "list").stdout).toMatch(
      /webinar_signups\s+Sign-ups\s+count\s+engagement/,
    );
    const bad = define("bad_one", "Bad", "apples", "lead");
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("--unit");
    expect(leadfit("metric", "retire", "webinar_signups").stdout).toContain("Retired");
    expect(leadfit("metric", "list").stdout).not.toContain("webinar_signups");
  });

  it("adds, renames and retires reasons; retired reasons stay on old verdicts", async () => {
    expect(
      leadfit(
        "reason",
        "add",
        "wrong_country",
        "--label",
        "Country we do not serve",
        "--owner",
        "marketing",
      ).stdout,
    ).toContain("Added");
    expect(
      leadfit("reason", "rename", "no_budget", "--label", "No budget this year").stdout,
    ).toContain("Updated");
    expect(leadfit("reason", "retire", "wrong_country").stdout).toContain("Retired");
    const listed = leadfit("reason", "list").stdout;
    expect(listed).toContain("No budget this year");
    expect(listed).not.toContain("wrong_country");
    const kept = await db.prisma.reason.findFirstOrThrow({
      where: { workspaceId: workspace.id, key: "wrong_country" },
    });
    expect(kept.retiredAt).not.toBeNull();
    expect(leadfit("reason", "add", "x", "--label", "X", "--owner", "nobody").stderr).toContain(
      "--owner",
    );
  });
});

describe("leadfit crm", () => {
  const { db } = suiteDatabase();
  let workspace: Workspace;
  let org: FakeSalesforce;
  const key = Buffer.alloc(32, 3).toString("base64");
  // Asynchronous: the fake Salesforce answers from this process while the command runs.
  const leadfit = (env: Record<string, string>, ...args: string[]) =>
    runLeadfitAside([...args, "--workspace", workspace.id], { env });

  beforeAll(async () => {
    workspace = await newWorkspace(db.prisma);
    org = await startFakeSalesforce({ accessToken: "00Dxx-secret-access-token" });
    org.upsert("Organization", { Id: "00Dfake", Name: "Acme Corp" });
    org.upsert("Lead", { Id: "00Q000000000009", Email: "cli@acme.test", LastName: "Cli" });
  });
  afterAll(() => org.close());

  it("connects with the token stored encrypted and never shown, syncs, reports status, disconnects", async () => {
    const token = "00Dxx-secret-access-token";
    const connect = ["crm", "connect", "salesforce", "--instance-url", org.url, "--token", token];
    const withoutKey = await leadfit({}, ...connect);
    expect(withoutKey.code).toBe(1);
    expect(withoutKey.stderr).toContain("openssl rand -base64 32");

    const env = { LEADFIT_ENCRYPTION_KEY: key };
    const connected = await leadfit(env, ...connect, "--backfill-days", "30");
    expect(connected.code).toBe(0);
    expect(connected.stdout).toContain("Connected");
    expect(connected.stdout + connected.stderr).not.toContain(token);
    const row = await db.prisma.crmConnection.findUniqueOrThrow({
      where: { workspaceId: workspace.id },
    });
    expect(row.credentials).not.toContain(token);
    expect(row.backfillDays).toBe(30);

    const synced = await leadfit(env, "crm", "sync");
    expect(synced.stdout).toContain("Leads: 1 created");
    expect(await db.prisma.lead.count({ where: { workspaceId: workspace.id } })).toBe(1);

    const status = await leadfit(env, "crm", "status");
    expect(status.stdout).toContain("Salesforce (Acme Corp)");
    expect(status.stdout).toContain("Leads: 1 created");
    expect(status.stdout).not.toContain(token);

    expect((await leadfit(env, "crm", "connect", "pipedrive", "--token", "x")).stderr).toContain(
      'Unknown CRM "pipedrive"',
    );
    expect((await leadfit(env, "crm", "disconnect")).stdout).toContain("Disconnected");
    expect((await leadfit(env, "crm", "status")).stdout).toContain("no CRM connection");
  });

  it("connects Salesforce with verdicts as Lead Status, shows the mapping in the file form and takes an edited file, naming a bad one's problems", async () => {
    const env = { LEADFIT_ENCRYPTION_KEY: key };
    const connected = await leadfit(
      env,
      ...[
        "crm",
        "connect",
        "salesforce",
        "--instance-url",
        org.url,
        "--token",
        "00Dxx-secret-access-token",
      ],
      ...["--verdict-fields", "status", "--reason-field", "Leadfit_Reason__c"],
      ...[
        "--lead-status",
        "fit=Working - Contacted,not_yet=Nurturing,not_fit=Closed - Not Converted",
      ],
    );
    expect(connected.stderr).toBe("");
    const shown = await leadfit(env, "crm", "mapping", "show");
    const mapping = JSON.parse(shown.stdout);
    expect(mapping).toMatchObject({
      kind: "leads",
      columns: { email: ["Email"] },
      verdicts: {
        fields: "status",
        status: {
          fit: "Working - Contacted",
          not_yet: "Nurturing",
          not_fit: "Closed - Not Converted",
        },
        reasonField: "Leadfit_Reason__c",
      },
    });
    const folder = await mkdtemp(join(tmpdir(), "leadfit-cli-mapping-"));
    try {
      const edited = join(folder, "mapping.json");
      await writeFile(edited, JSON.stringify({ ...mapping, fields: { Rating: ["Rating"] } }));
      expect((await leadfit(env, "crm", "mapping", "set", edited)).stdout).toContain(
        "the next sync reads it",
      );
      expect(JSON.parse((await leadfit(env, "crm", "mapping", "show")).stdout).fields).toEqual({
        Rating: ["Rating"],
      });
      const bad = join(folder, "bad.json");
      await writeFile(bad, JSON.stringify({ ...mapping, verdicts: { fields: "status" } }));
      const refused = await leadfit(env, "crm", "mapping", "set", bad);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain("verdicts.status:");
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
