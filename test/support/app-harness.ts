import { afterAll, beforeAll } from "vitest";
import {
  buildApp,
  type HttpLimits,
  type LeadfitApp,
  type SocketModeTimings,
} from "../../src/app.ts";
import { parseConfig } from "../../src/config.ts";
import { openDatabase } from "../../src/db/database.ts";
import { createDeps, type Deps } from "../../src/deps.ts";
import type { Lead } from "../../src/domain/lead.ts";
import type { Workspace } from "../../src/domain/workspace.ts";
import { createLogger } from "../../src/log.ts";
import { createApiKey } from "../../src/services/api-keys.ts";
import { databaseUrl, uniqueId } from "./database.ts";
import { type FakeSlack, type FakeSlackCall, startFakeSlack } from "./fake-slack.ts";
import {
  blockAction,
  type SendOptions,
  type SlackRequest,
  type SlackResponse,
  sendOverSocketMode,
  sendToSlackEndpoint,
} from "./slack-requests.ts";

export const SIGNING_SECRET = "e2e-signing-secret-0123456789abcdef";
export const ADMIN = "U0ADMIN0001";

/** How Slack's requests reach the app: signed HTTP posts, or envelopes over Socket Mode. */
export type Transport = "http" | "socket";
export const TRANSPORTS: readonly Transport[] = ["http", "socket"];

export interface AppHarness {
  app: LeadfitApp;
  deps: Deps;
  fake: FakeSlack;
  /** What the app logged, kept here instead of printed. */
  logs: string[];
  teamId: string;
  baseUrl: string;
  transport: Transport;
  workspace(): Promise<Workspace>;
  /**
   * A request exactly as Slack sends it: signed to /slack/events over HTTP, or in an envelope over
   * Socket Mode (answered by its acknowledgement).
   */
  send(request: SlackRequest, options?: Partial<SendOptions>): Promise<SlackResponse>;
  close(): Promise<void>;
}

/**
 * The real app over HTTP, in single-workspace mode, talking to a fake Slack Web API and to the
 * run's PostgreSQL. Each harness has a team of its own, so test files never see each other's rows;
 * `alongside` starts a second replica of another harness's app instead (same team and fake Slack,
 * its own database connections). `slackTimeoutMs` shortens Slack calls' timeout for fault tests;
 * `httpLimits` changes the HTTP server's limits for tests of them. With `transport: "socket"` the app
 * runs in Socket Mode (SLACK_APP_TOKEN) connected to the fake's Socket Mode, and `send` delivers
 * envelopes there; `socketModeTimings` shortens its heartbeat (and so its reconnection delay).
 */
export async function startApp(
  env: Record<string, string> = {},
  options: {
    alongside?: AppHarness;
    slackTimeoutMs?: number;
    httpLimits?: Partial<HttpLimits>;
    transport?: Transport;
    socketModeTimings?: Partial<SocketModeTimings>;
  } = {},
): Promise<AppHarness> {
  const { alongside } = options;
  const transport = options.transport ?? alongside?.transport ?? "http";
  const teamId = alongside?.teamId ?? uniqueId("T");
  const fake = alongside?.fake ?? (await startFakeSlack({ teamId, teamName: `Team ${teamId}` }));
  const config = parseConfig({
    SLACK_BOT_TOKEN: "xoxb-e2e-token",
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: fake.url,
    DATABASE_URL: databaseUrl,
    LEADFIT_ADMINS: ADMIN,
    LOG_LEVEL: "error",
    ...(transport === "socket" ? { SLACK_APP_TOKEN: fake.socketMode.appToken } : {}),
    ...env,
  });
  const db = await openDatabase(
    { databaseUrl: config.databaseUrl, dataDir: config.dataDir },
    { migrate: false },
  );
  const logs: string[] = [];
  const deps = createDeps(
    config,
    db,
    createLogger("info", (line) => logs.push(line)),
    { slackTimeoutMs: options.slackTimeoutMs },
  );
  await deps.repos.workspaces.ensure(teamId, `Team ${teamId}`);
  const app = buildApp(deps, options.httpLimits, options.socketModeTimings);
  const port = await app.start(0);
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    app,
    deps,
    fake,
    logs,
    teamId,
    baseUrl,
    transport,
    async workspace() {
      const found = await deps.repos.workspaces.get(teamId);
      if (!found) throw new Error("the harness workspace is gone");
      return found;
    },
    send(request, options = {}) {
      if (transport === "socket") return sendOverSocketMode(fake.socketMode, request, options);
      return sendToSlackEndpoint(`${baseUrl}/slack/events`, request, {
        secret: SIGNING_SECRET,
        ...options,
      });
    },
    async close() {
      await app.stop();
      await db.close();
      if (!alongside) await fake.close();
    },
  };
}

/** Waits until the app has stopped logging and calling Slack: handlers go on after the ack. */
export async function untilQuiet(harness: AppHarness): Promise<void> {
  let seen = -1;
  let still = 0;
  for (let waited = 0; waited < 10_000 && still < 3; waited += 20) {
    const now = harness.logs.length + harness.fake.calls().length;
    still = now === seen ? still + 1 : 0;
    seen = now;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * The OAuth install as a browser goes through it: /slack/install, then /slack/oauth_redirect with
 * the state and cookie that gave. What Slack answers to oauth.v2.access is the fake's to set.
 */
export async function installAsBrowser(harness: AppHarness): Promise<Response> {
  const install = await fetch(`${harness.baseUrl}/slack/install`, { redirect: "manual" });
  const state = new URL(install.headers.get("location") ?? "").searchParams.get("state") ?? "";
  const cookie = install.headers.get("set-cookie")?.split(";")[0] ?? "";
  return fetch(
    `${harness.baseUrl}/slack/oauth_redirect?code=fake-code&state=${encodeURIComponent(state)}`,
    { headers: { cookie } },
  );
}

/** Resolves with the modal (past or future) that tells someone only Leadfit admins may do that. */
export function openedAdminRefusal(harness: AppHarness): Promise<FakeSlackCall> {
  return harness.fake.waitFor("views.open", (c) =>
    JSON.stringify(c.params.view).includes("Only Leadfit admins"),
  );
}

/** A new API key for the harness workspace: the key itself, as a CRM would send it. */
export async function apiKeyFor(harness: AppHarness, label: string): Promise<string> {
  const { key } = await createApiKey(
    { repos: harness.deps.repos },
    {
      workspaceId: harness.teamId,
      label,
      createdBy: ADMIN,
    },
  );
  return key;
}

/**
 * The app started before the suite's tests with an API key labelled `label`, and stopped after
 * them; read `h` and `key` inside the tests (they exist once the suite has started).
 */
export function suiteAppWithApiKey(label: string): {
  readonly h: AppHarness;
  readonly key: string;
} {
  let started: { h: AppHarness; key: string } | undefined;
  beforeAll(async () => {
    const h = await startApp();
    started = { h, key: await apiKeyFor(h, label) };
  });
  afterAll(() => started?.h.close());
  const whenStarted = () => {
    if (!started) throw new Error("suiteAppWithApiKey: read h and key inside the suite's tests");
    return started;
  };
  return {
    get h() {
      return whenStarted().h;
    },
    get key() {
      return whenStarted().key;
    },
  };
}

/**
 * A request to the ingestion API with `key` (a JSON body, or a string sent as it is) and what it
 * answered: its status and JSON body.
 */
export async function callApi(
  harness: AppHarness,
  key: string,
  request: { method: string; path: string; body?: unknown; headers?: Record<string, string> },
): Promise<{ status: number; json: Record<string, unknown> }> {
  const { body } = request;
  const response = await fetch(`${harness.baseUrl}${request.path}`, {
    method: request.method,
    headers: {
      authorization: `Bearer ${key}`,
      "content-type": "application/json",
      ...request.headers,
    },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

let leadCounter = 0;

/** A lead in the harness workspace, optionally with a card already posted. */
export async function seedLead(
  harness: AppHarness,
  overrides: Partial<{
    email: string;
    name: string;
    owner: string | null;
    card: { channelId: string; ts: string };
    fields: Record<string, string | number>;
  }> = {},
): Promise<Lead> {
  leadCounter += 1;
  const lead = await harness.deps.repos.leads.upsert(harness.teamId, {
    externalId: `crm-${leadCounter}-${uniqueId("")}`,
    email: overrides.email ?? `lead${leadCounter}@acme.example`,
    name: overrides.name ?? `Lead ${leadCounter}`,
    company: "Acme",
    title: "CMO",
    campaignId: null,
    owner: overrides.owner ?? null,
    createdAt: new Date(Date.now() - 3_600_000),
    fields: overrides.fields ?? { employees: 120, region: "EU" },
    definition: { status: "unknown", failures: [], version: null },
  });
  if (overrides.card)
    await harness.deps.repos.leads.setCard(harness.teamId, lead.id, overrides.card);
  return (await harness.deps.repos.leads.get(harness.teamId, lead.id)) ?? lead;
}

/**
 * `actionId` clicked by `userId` on the posted card of `lead` (one `seedLead` gave a card), as
 * Slack sends it from the harness team, with a response URL on the fake.
 */
export function clickOnCard(
  harness: AppHarness,
  lead: Lead,
  click: { actionId: string; userId: string },
): SlackRequest {
  if (!lead.card) throw new Error(`clickOnCard: lead ${lead.id} has no card`);
  return blockAction({
    ...click,
    value: lead.id,
    teamId: harness.teamId,
    channelId: lead.card.channelId,
    messageTs: lead.card.ts,
    responseUrl: harness.fake.responseUrl(),
  });
}
