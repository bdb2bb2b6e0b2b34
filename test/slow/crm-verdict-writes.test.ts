import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, openDatabase } from "../../src/db/database.ts";
import { createRepositories } from "../../src/db/repositories/index.ts";
import { connectCrm } from "../../src/services/connect-crm.ts";
import { recordVerdict } from "../../src/services/record-verdict.ts";
import { type FakeHubSpot, startFakeHubSpot } from "../fakes/fake-hubspot.ts";
import { startAppProcess } from "../support/app-process.ts";
import { databaseKind, databaseUrl, uniqueId } from "../support/database.ts";
import { type FakeSlack, startFakeSlack } from "../support/fake-slack.ts";

const KEY = Buffer.alloc(32, 11);
const WRITER = fileURLToPath(new URL("../fixtures/crm-verdict-writer.ts", import.meta.url));
/** The killed writer's claim: short, so the restart need not wait the default minute. */
const CLAIM_MS = 2_000;
const CONTACTS = ["9001", "9002", "9003"];

async function until<T>(what: string, check: () => Promise<T | undefined>, ms: number) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

describe(`verdicts written back to HubSpot across a SIGKILL (${databaseKind} database)`, () => {
  let slack: FakeSlack;
  let hubspot: FakeHubSpot;
  let dataDir: string | undefined;
  const teamId = uniqueId("T");
  const env = (): Record<string, string> => ({
    SLACK_BOT_TOKEN: "xoxb-crm-writes",
    SLACK_SIGNING_SECRET: "crm-writes-signing-secret-0123456789",
    SLACK_API_URL: slack.url,
    LEADFIT_ENCRYPTION_KEY: KEY.toString("base64"),
    HUBSPOT_API_URL: hubspot.url,
    ...(dataDir ? { LEADFIT_DATA_DIR: dataDir } : { DATABASE_URL: databaseUrl }),
  });
  const open = (): Promise<Database> =>
    openDatabase({ databaseUrl: dataDir ? undefined : databaseUrl, dataDir: dataDir ?? "" });

  beforeAll(async () => {
    slack = await startFakeSlack({ teamId });
    hubspot = await startFakeHubSpot();
    if (databaseKind === "embedded") dataDir = await mkdtemp(join(tmpdir(), "leadfit-crm-"));
  });
  afterAll(async () => {
    await slack.close();
    await hubspot.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it("writes each verdict once: killed after HubSpot took a write and before Leadfit recorded it, the retry sets the same values and is counted once", async () => {
    const seeding = await open();
    const repos = createRepositories(seeding);
    await repos.workspaces.ensure(teamId, "CRM writes");
    await connectCrm(
      {
        db: seeding,
        config: {
          crm: {
            encryptionKey: KEY,
            hubspot: { apiUrl: hubspot.url, app: undefined },
            salesforce: { loginUrl: hubspot.url, app: undefined },
          },
        },
        now: () => new Date(),
      },
      {
        workspaceId: teamId,
        credentials: { kind: "hubspot", accessToken: "pat-crm-writes" },
        connectedBy: "cli",
      },
    );
    for (const id of CONTACTS) {
      hubspot.upsertContact(id, { email: `c${id}@acme.example` });
      const lead = await seeding.prisma.lead.create({
        data: {
          workspaceId: teamId,
          externalId: id,
          email: `c${id}@acme.example`,
          createdAt: new Date(),
          crm: "hubspot",
        },
      });
      const recorded = await recordVerdict(
        { repos, now: () => new Date() },
        {
          workspaceId: teamId,
          leadId: lead.id,
          verdict: "fit",
          reasons: [],
          note: null,
          userId: "U0SELLER",
          requestKey: `action:${randomUUID()}`,
        },
      );
      expect(recorded.repeat).toBe(false);
    }
    await seeding.close();

    // HubSpot takes the first write; the writer dies before it hears so. It is the app's verdict
    // writer job alone, claiming for two seconds instead of a minute: the test waits that long.
    let killed = false;
    hubspot.onContactWrite(async () => {
      if (killed) return;
      killed = true;
      first.kill("SIGKILL");
      await firstExited;
    });
    const first = spawn(process.execPath, ["--import", "tsx", WRITER, String(CLAIM_MS)], {
      env: { PATH: process.env.PATH ?? "", LOG_LEVEL: "info", ...env() },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let firstLog = "";
    first.stderr?.on("data", (chunk: Buffer) => {
      firstLog += chunk.toString("utf8");
    });
    const firstExited = new Promise<NodeJS.Signals | null>((resolve) =>
      first.once("exit", (_code, signal) => resolve(signal)),
    );
    expect(await firstExited, firstLog).toBe("SIGKILL");
    hubspot.onContactWrite(undefined);
    const patchesBeforeRestart = hubspot.calls().filter((c) => c.method === "PATCH").length;
    expect(patchesBeforeRestart).toBe(1);

    // Restarted (the app itself), Leadfit sends the killed write again once its claim runs out.
    const second = await startAppProcess(env());
    const check = await open();
    try {
      await until(
        "every write marked written",
        async () => {
          const sent = await check.prisma.crmVerdictWrite.count({
            where: { workspaceId: teamId, status: "sent" },
          });
          return sent === CONTACTS.length ? sent : undefined;
        },
        240_000,
      );
      const patches = hubspot.calls().filter((c) => c.method === "PATCH");
      // Sent at least once each, the killed one twice …
      expect(patches.length).toBe(CONTACTS.length + 1);
      // … yet each verdict's values reached HubSpot once: the same values again change nothing.
      const distinct = new Set(patches.map((c) => `${c.path} ${JSON.stringify(c.body)}`));
      expect(distinct.size).toBe(CONTACTS.length);
      for (const id of CONTACTS) {
        expect(hubspot.contact(id)?.properties).toMatchObject({
          leadfit_verdict: "fit",
          leadfit_judged_by: "U0SELLER",
        });
      }
      const connection = await check.prisma.crmConnection.findUniqueOrThrow({
        where: { workspaceId: teamId },
      });
      expect(connection.verdictsWritten).toBe(CONTACTS.length);
    } finally {
      await check.close();
      second.child.kill("SIGTERM");
      await second.exited;
    }
  });
});
