import { spawnSync } from "node:child_process";
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DigestScheduler } from "../../src/inbound/jobs/digest-scheduler.ts";
import { ACTIONS } from "../../src/presentation/slack/ids.ts";
import { type AppHarness, apiKeyFor, seedLead, startApp } from "../support/app-harness.ts";
import { blockAction, eventCallback, slashCommand } from "../support/slack-requests.ts";

describe("the HTTP server", () => {
  let h: AppHarness;
  beforeAll(async () => {
    h = await startApp();
  });
  afterAll(() => h.close());

  it("answers /healthz after checking the database", async () => {
    const response = await fetch(`${h.baseUrl}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, database: "ok" });
  });

  it("answers unknown paths with JSON 404, wrong methods with 405 and bad escapes with 400, in the API's error shape", async () => {
    const unknown = await fetch(`${h.baseUrl}/nope`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({
      error: "not_found",
      message: "Nothing at /nope.",
      issues: [],
    });
    const wrongMethod = await fetch(`${h.baseUrl}/healthz`, { method: "POST" });
    expect(wrongMethod.status).toBe(405);
    expect(await wrongMethod.json()).toEqual({
      error: "method_not_allowed",
      message: "Use GET for /healthz.",
      issues: [],
    });
    const badEscape = await fetch(`${h.baseUrl}/api/v1/leads/%E0%A4%A`);
    expect(badEscape.status).toBe(400);
    expect(await badEscape.json()).toMatchObject({ error: "invalid_path", issues: [] });
  });

  it.each([
    [
      "a forged signature",
      { signature: "v0=0000000000000000000000000000000000000000000000000000000000000000" },
    ],
    ["a stale timestamp", { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 }],
    ["another app's secret", { secret: "not-our-signing-secret" }],
  ])("rejects %s with 401 and touches nothing", async (_what, options) => {
    const lead = await seedLead(h, { card: { channelId: "C0SALES001", ts: "1700000009.000100" } });
    const callsBefore = h.fake.calls().length;
    const response = await h.send(
      blockAction({
        actionId: ACTIONS.verdictFit,
        value: lead.id,
        userId: "U0FORGER01",
        teamId: h.teamId,
        channelId: "C0SALES001",
        messageTs: "1700000009.000100",
      }),
      options,
    );
    expect(response.status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await h.deps.db.prisma.leadFeedback.count({ where: { leadId: lead.id } })).toBe(0);
    expect(h.fake.calls().length).toBe(callsBefore);
  });
});

describe("security #10c: slow requests are cut off", () => {
  let h: AppHarness;
  let key: string;
  beforeAll(async () => {
    h = await startApp(
      {},
      { httpLimits: { requestTimeoutMs: 400, headersTimeoutMs: 300, timeoutCheckIntervalMs: 50 } },
    );
    key = await apiKeyFor(h, "slow client");
  });
  afterAll(() => h.close());

  /**
   * Sends `head`, then `dribble` one byte at a time until the server closes the connection (or
   * nothing more when `dribble` is empty); what the server answered before closing it.
   */
  const slowClient = (head: string, dribble: string) =>
    new Promise<string>((resolve, reject) => {
      const socket = connect(Number(new URL(h.baseUrl).port), "127.0.0.1");
      const answer: Buffer[] = [];
      let sent = 0;
      const timer = setInterval(() => {
        if (sent < dribble.length && !socket.destroyed) socket.write(dribble[sent++] ?? "");
      }, 20);
      socket.on("data", (chunk: Buffer) => answer.push(chunk));
      socket.on("error", reject);
      socket.on("close", () => {
        clearInterval(timer);
        resolve(Buffer.concat(answer).toString("utf8"));
      });
      socket.write(head);
    });

  const post = (length: number) =>
    `POST /api/v1/leads HTTP/1.1\r\nHost: leadfit\r\nAuthorization: Bearer ${key}\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n`;

  it("closes a connection whose body stalls after the headers", async () => {
    const logged = h.logs.length;
    const answer = await slowClient(`${post(1000)}{"leads":`, "");
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    // A client that went away is not an error on Leadfit's side.
    expect(h.logs.slice(logged).filter((line) => /^\S+ error /.test(line))).toEqual([]);
  });

  it("closes a connection whose body dribbles in a byte at a time", async () => {
    const answer = await slowClient(post(1000), `{"leads":[${" ".repeat(990)}`);
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
  });

  it("closes a connection whose headers never finish", async () => {
    const answer = await slowClient(
      "POST /api/v1/leads HTTP/1.1\r\nHost: leadfit\r\n",
      "X-Slow: ".repeat(200),
    );
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
  });
});

describe("OAuth (many workspaces)", () => {
  let h: AppHarness;
  beforeAll(async () => {
    h = await startApp({
      SLACK_BOT_TOKEN: "",
      SLACK_CLIENT_ID: "1234.5678",
      SLACK_CLIENT_SECRET: "client-secret",
      SLACK_STATE_SECRET: "a-long-random-state-secret",
    });
  });
  afterAll(() => h.close());

  it("installs through /slack/install and /slack/oauth_redirect, then serves that workspace with its own token", async () => {
    const install = await fetch(`${h.baseUrl}/slack/install`, { redirect: "manual" });
    expect(install.status).toBe(302);
    const location = new URL(install.headers.get("location") ?? "");
    const state = location.searchParams.get("state");
    expect(state).toBeTruthy();
    expect(location.searchParams.get("scope")?.split(",")).toEqual(
      expect.arrayContaining(["commands", "chat:write", "users:read"]),
    );
    const cookie = install.headers.get("set-cookie")?.split(";")[0] ?? "";

    const callback = await fetch(
      `${h.baseUrl}/slack/oauth_redirect?code=fake-code&state=${encodeURIComponent(state ?? "")}`,
      { headers: { cookie } },
    );
    expect(callback.status).toBe(200);
    await h.fake.waitFor("oauth.v2.access");
    const installation = await h.deps.db.prisma.installation.findUnique({
      where: { id: h.fake.teamId },
    });
    expect(installation?.workspaceId).toBe(h.fake.teamId);
    const workspace = await h.workspace();
    expect(workspace.active).toBe(true);
    expect(workspace.installedBy).toBe("U0INSTALLER");
    // "This week" follows the installer's Slack timezone until an admin sets one.
    expect(workspace.timezone).toBe("Europe/Berlin");

    const command = await h.send(
      slashCommand({
        text: "help",
        userId: "U0SOMEONE1",
        channelId: "C0GENERAL1",
        teamId: h.teamId,
      }),
    );
    expect(command.status).toBe(200);
    expect(JSON.stringify(command.json)).toContain("/leadfit");
  });

  it("refuses a callback whose state was not issued here, and stores nothing", async () => {
    const before = await h.deps.db.prisma.installation.count();
    const callback = await fetch(`${h.baseUrl}/slack/oauth_redirect?code=fake-code&state=forged`);
    expect(callback.status).toBeGreaterThanOrEqual(400);
    expect(await h.deps.db.prisma.installation.count()).toBe(before);
  });

  it("never logs a token, secret or API key", async () => {
    const key = await apiKeyFor(h, "logged?");
    await fetch(`${h.baseUrl}/api/v1/leads`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ leads: [{ externalId: "x", email: "not an email" }] }),
    });
    await fetch(`${h.baseUrl}/api/v1/leads/x`, { headers: { authorization: `Bearer ${key}x` } });
    const logged = h.logs.join("\n");
    expect(logged.length).toBeGreaterThan(0);
    for (const secret of [h.fake.botToken, key, "client-secret", "a-long-random-state-secret"])
      expect(logged).not.toContain(secret);
  });

  it("app_uninstalled deactivates the workspace, forgets its tokens and stops its schedules", async () => {
    // A schedule whose time has come: it would be posted, late, at the next sync.
    const schedule = await h.deps.repos.schedules.save(h.teamId, "U0INSTALLER", {
      channelId: "C0DIGEST01",
      weekday: null,
      time: null,
      cron: "* * * * *",
      timezone: "UTC",
      enabled: true,
    });
    await h.deps.db.prisma.digestSchedule.update({
      where: { id: schedule.id },
      data: { createdAt: new Date(Date.now() - 86_400_000) },
    });
    const response = await h.send(
      eventCallback({
        teamId: h.teamId,
        event: { type: "app_uninstalled", event_ts: "1700000010.000100" },
      }),
    );
    expect(response.status).toBe(200);
    await expect.poll(async () => (await h.workspace()).active).toBe(false);
    expect(await h.deps.db.prisma.installation.count({ where: { workspaceId: h.teamId } })).toBe(0);
    const scheduler = new DigestScheduler(h.deps);
    await scheduler.sync();
    await scheduler.stop();
    expect(await h.deps.db.prisma.digestRun.count({ where: { scheduleId: schedule.id } })).toBe(0);
    expect(h.fake.messages("C0DIGEST01")).toHaveLength(0);
  });
});

describe("npm start", () => {
  it("without Slack credentials exits with a message naming what to set and pointing to the demo", () => {
    const result = spawnSync(process.execPath, ["--import", "tsx", "src/main.ts"], {
      env: { PATH: process.env.PATH ?? "" },
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("SLACK_BOT_TOKEN");
    expect(result.stderr).toContain("SLACK_APP_TOKEN");
    expect(result.stderr).toContain("npm run demo");
  });
});
