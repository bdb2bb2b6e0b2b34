// Acknowledgement latency of Slack interactions under a steady load: signed slash commands and
// one-click verdicts sent to /slack/events at a fixed arrival rate (open loop: request i leaves at
// start + i / rate whatever happened to earlier ones), first to the real app, then to a bare Bolt
// app that only acknowledges, then to bare Bolt committing one row before each verdict's 200 (the
// floor of "acknowledged means stored"), one after the other so they do not share the CPU.
//   node --import tsx bench/interactions.ts [--rate 50] [--seconds 60] [--database embedded|server|both]
// Latency runs from when a request was due, not when it left, so a busy event loop that delays the
// sender counts against the target (as it would with Slack waiting). Targets: app p99 ≤ 50 ms and
// ≤ 1.5 × bare Bolt's p99; every verdict acknowledged with a 200 must be stored.
import type { AddressInfo } from "node:net";
import { loadavg } from "node:os";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { App, HTTPReceiver, LogLevel } from "@slack/bolt";
import pg from "pg";
import { buildApp } from "../src/app.ts";
import { parseConfig } from "../src/config.ts";
import { openDatabase } from "../src/db/database.ts";
import { createDeps } from "../src/deps.ts";
import { createLogger } from "../src/log.ts";
import { ACTIONS, COMMAND } from "../src/slack/ids.ts";
import { type FakeSlack, startFakeSlack } from "../test/support/fake-slack.ts";
import {
  blockAction,
  type SlackRequest,
  sendToSlackEndpoint,
  slashCommand,
} from "../test/support/slack-requests.ts";
import { benchDatabase, kinds, machine } from "./support.ts";

const { values } = parseArgs({
  options: {
    rate: { type: "string", default: "50" },
    seconds: { type: "string", default: "60" },
    database: { type: "string", default: "both" },
  },
});
const RATE = Number(values.rate);
const SECONDS = Number(values.seconds);
// Unmeasured, so first-call costs (JIT, opening database connections) do not count as latency.
const WARMUP_SECONDS = 2;
const MEASURED = Math.round(RATE * SECONDS);
const WARMUP = Math.round(RATE * WARMUP_SECONDS);
// One lead per request is more than the verdicts need, so no verdict ever repeats a lead.
const LEADS = MEASURED + WARMUP;
const SECRET = "bench-signing-secret-0123456789abcdef";
const SALES_CHANNEL = "C0BENCHSALES";
const REP = "U0BENCHREP1";
const P99_LIMIT_MS = 50;
const BARE_RATIO_LIMIT = 1.5;

type Kind = "help" | "lead" | "fit" | "not_yet";
const KIND_LABELS: Record<Kind, string> = {
  help: "/leadfit help",
  lead: "/leadfit <email>",
  fit: "✅ verdict",
  not_yet: "⏳ verdict",
};

interface SeededLead {
  id: string;
  email: string;
  cardTs: string;
}

interface Planned {
  kind: Kind;
  request: SlackRequest;
  leadId: string | null;
}

interface Outcome {
  kind: Kind;
  leadId: string | null;
  status: number | null;
  /** When it was due, in seconds from the start of the load. */
  at: number;
  ms: number;
}

interface Summary {
  sent: number;
  non200: number;
  errors: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Leads with a card in the sales channel, straight in SQL: loading them is not what is measured. */
async function seedLeads(url: string, workspaceId: string): Promise<SeededLead[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { rows } = await client.query<SeededLead>(
    `
    insert into lead (id, "workspaceId", "externalId", email, name, company, title, "createdAt", "receivedAt", "updatedAt", fields, "cardChannelId", "cardTs")
    select gen_random_uuid()::text, $1, 'bench-' || i, 'lead' || i || '@company' || (i % 97) || '.example', 'Lead ' || i, 'Company ' || (i % 97), 'CMO',
      now() - i * interval '1 minute', now(), now(), '{"employees": 120, "region": "EU"}', $2, '1700000000.' || lpad(i::text, 6, '0')
    from generate_series(1, $3::int) i
    returning id, email, "cardTs"`,
    [workspaceId, SALES_CHANNEL, LEADS],
  );
  await client.query("analyze lead");
  await client.end();
  return rows;
}

/**
 * The same requests for both targets. Mostly one-click verdicts (what sales does all day), some
 * `/leadfit <email>` and a little help; a fixed pattern so every run sends the same mix.
 */
function plan(count: number, offset: number, leads: SeededLead[], fake: FakeSlack): Planned[] {
  const teamId = fake.teamId;
  return Array.from({ length: count }, (_, n) => {
    const i = offset + n;
    const slot = i % 10;
    if (slot === 0) {
      return {
        kind: "help",
        leadId: null,
        request: slashCommand({
          text: "help",
          userId: REP,
          channelId: SALES_CHANNEL,
          teamId,
          command: COMMAND,
          responseUrl: fake.responseUrl(),
        }),
      };
    }
    if (slot <= 3) {
      const lead = leads[(i * 7919) % leads.length] as SeededLead;
      return {
        kind: "lead",
        leadId: null,
        request: slashCommand({
          text: lead.email,
          userId: REP,
          channelId: SALES_CHANNEL,
          teamId,
          command: COMMAND,
          responseUrl: fake.responseUrl(),
        }),
      };
    }
    // Lead i is clicked at most once: request i is its only verdict.
    const lead = leads[i] as SeededLead;
    const kind: Kind = slot % 2 === 0 ? "fit" : "not_yet";
    return {
      kind,
      leadId: lead.id,
      request: blockAction({
        actionId: kind === "fit" ? ACTIONS.verdictFit : ACTIONS.verdictNotYet,
        value: lead.id,
        userId: REP,
        teamId,
        channelId: SALES_CHANNEL,
        messageTs: lead.cardTs,
        responseUrl: fake.responseUrl(),
      }),
    };
  });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface Run {
  outcomes: Outcome[];
  /** Event loop delay p99 and max, ms: how long ready work (requests among it) sat waiting. */
  loopP99: number;
  loopMax: number;
  /** Most queries at once waiting for one of the pool's connections. */
  poolWaiting: number;
}

/** One load, with what explains its latency: the event loop's delay and the pool's queue. */
async function measure(url: string, requests: Planned[], pool?: pg.Pool): Promise<Run> {
  const loop = monitorEventLoopDelay({ resolution: 5 });
  let poolWaiting = 0;
  const sampler = setInterval(() => {
    poolWaiting = Math.max(poolWaiting, pool?.waitingCount ?? 0);
  }, 5);
  loop.enable();
  const outcomes = await drive(url, requests);
  loop.disable();
  clearInterval(sampler);
  return {
    outcomes,
    loopP99: loop.percentile(99) / 1e6,
    loopMax: loop.max / 1e6,
    poolWaiting,
  };
}

/** Open loop: each request leaves when it is due, whether or not earlier ones were answered. */
async function drive(url: string, requests: Planned[]): Promise<Outcome[]> {
  const start = performance.now() + 20;
  const inflight: Promise<Outcome>[] = [];
  for (const [i, planned] of requests.entries()) {
    const due = start + (i * 1000) / RATE;
    const wait = due - performance.now();
    // Timers have millisecond resolution; anything closer (or late) leaves now.
    if (wait >= 1) await sleep(wait);
    inflight.push(
      sendToSlackEndpoint(url, planned.request, { secret: SECRET }).then(
        (response) => ({
          kind: planned.kind,
          leadId: planned.leadId,
          status: response.status,
          at: (due - start) / 1000,
          ms: performance.now() - due,
        }),
        () => ({
          kind: planned.kind,
          leadId: planned.leadId,
          status: null,
          at: (due - start) / 1000,
          ms: performance.now() - due,
        }),
      ),
    );
  }
  return Promise.all(inflight);
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return (
    sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN
  );
}

function summarise(outcomes: Outcome[]): Summary {
  const sorted = outcomes.map((o) => o.ms).sort((a, b) => a - b);
  return {
    sent: outcomes.length,
    non200: outcomes.filter((o) => o.status !== null && o.status !== 200).length,
    errors: outcomes.filter((o) => o.status === null).length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
  };
}

function byKind(outcomes: Outcome[]): string {
  return (Object.keys(KIND_LABELS) as Kind[])
    .map((kind) => {
      const sorted = outcomes
        .filter((o) => o.kind === kind)
        .map((o) => o.ms)
        .sort((a, b) => a - b);
      return `${KIND_LABELS[kind]} ${ms(percentile(sorted, 50))}/${ms(percentile(sorted, 99))}`;
    })
    .join(", ");
}

/** p99 per 10 s window: a queue that keeps growing (too slow) looks unlike a few stalls. */
function timeline(outcomes: Outcome[]): string {
  const windows: number[][] = [];
  for (const o of outcomes) {
    const index = Math.floor(o.at / 10);
    const bucket = windows[index] ?? [];
    bucket.push(o.ms);
    windows[index] = bucket;
  }
  const sorted = Array.from(windows, (w) => (w ?? []).sort((a, b) => a - b));
  return sorted.map((w) => ms(percentile(w, 99))).join(", ");
}

const ms = (value: number) => value.toFixed(1);

function line(kind: string, target: string, s: Summary): string {
  return `${kind.padEnd(8)}  ${target.padEnd(9)}  sent ${s.sent}, non-200 ${s.non200}, errors ${s.errors}; p50 ${ms(s.p50)}, p95 ${ms(s.p95)}, p99 ${ms(s.p99)}, max ${ms(s.max)} ms`;
}

/**
 * A bare Bolt app that only acknowledges, on its own port; with a pool, each verdict first commits
 * one row, the least an app that stores before acknowledging can do.
 */
async function runBare(warmup: Planned[], measured: Planned[], store?: pg.Pool): Promise<Run> {
  const bare = new App({
    receiver: new HTTPReceiver({ signingSecret: SECRET, endpoints: "/slack/events" }),
    token: "xoxb-bench",
    clientOptions: { slackApiUrl: fake.url },
    logLevel: LogLevel.ERROR,
  });
  bare.command(COMMAND, async ({ ack }) => {
    await ack();
  });
  bare.action(/.*/, async ({ ack, action }) => {
    if (store && "value" in action)
      await store.query("insert into bench_ack (lead_id) values ($1)", [action.value]);
    await ack();
  });
  const server = await bare.start(0);
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  await drive(url, warmup);
  const run = await measure(url, measured, store);
  await bare.stop();
  return run;
}

/** Waits until the fake Slack has had no call for a while: the app's after-ack work is done. */
async function settle(fake: FakeSlack): Promise<void> {
  let seen = -1;
  while (fake.calls().length !== seen) {
    seen = fake.calls().length;
    await sleep(500);
  }
}

console.log(
  `bench/interactions: ${RATE} requests/s for ${SECONDS} s per target after ${WARMUP_SECONDS} s warm-up; 60% one-click verdicts, 30% /leadfit <email>, 10% /leadfit help; ${LEADS} leads; ${machine()}`,
);
// The app's and bare Bolt's Web API calls (auth.test, card updates, modals) stay on this machine.
const fake = await startFakeSlack();
for (const kind of kinds(values.database)) {
  const database = await benchDatabase(kind);
  const config = parseConfig({
    SLACK_BOT_TOKEN: "xoxb-bench",
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: fake.url,
    DATABASE_URL: database.url,
    LOG_LEVEL: "error",
  });
  const db = await openDatabase({ databaseUrl: database.url, dataDir: "" }, { migrate: false });
  const deps = createDeps(
    config,
    db,
    createLogger("error", () => {}),
  );
  // Single-workspace mode: the workspace is the bot token's team, which the fake Slack reports.
  const workspace = await deps.repos.workspaces.ensure(fake.teamId, fake.teamName);
  await deps.db.prisma.workspace.update({
    where: { id: workspace.id },
    data: { salesChannelId: SALES_CHANNEL },
  });
  const leads = await seedLeads(database.url, workspace.id);
  const warmup = plan(WARMUP, 0, leads, fake);
  const measured = plan(MEASURED, WARMUP, leads, fake);

  const app = buildApp(deps);
  const appUrl = `http://127.0.0.1:${await app.start(0)}/slack/events`;
  const load = loadavg()[0] ?? 0;
  const appWarmup = await drive(appUrl, warmup);
  const appRun = await measure(appUrl, measured, db.pool);
  const appOutcomes = appRun.outcomes;
  const acknowledged = [...appWarmup, ...appOutcomes].filter(
    (o) => o.leadId !== null && o.status === 200,
  );
  const stored = new Set(
    (
      await deps.db.prisma.leadFeedback.findMany({
        where: { workspaceId: workspace.id },
        select: { leadId: true },
      })
    ).map((row) => row.leadId),
  );
  const missing = acknowledged.filter((o) => o.leadId !== null && !stored.has(o.leadId)).length;
  await settle(fake);
  await app.stop();
  fake.reset();

  const bareRun = await runBare(warmup, measured);
  const bareOutcomes = bareRun.outcomes;
  fake.reset();
  // The floor "acknowledged means stored" sets: bare Bolt committing one row before each
  // verdict's 200, through a pool like the app's.
  const storingPool = new pg.Pool({ connectionString: database.url, max: 10 });
  await storingPool.query("create table bench_ack (id serial primary key, lead_id text not null)");
  const storingRun = await runBare(warmup, measured, storingPool);
  const storingOutcomes = storingRun.outcomes;
  await storingPool.end();
  fake.reset();

  const a = summarise(appOutcomes);
  const b = summarise(bareOutcomes);
  const c = summarise(storingOutcomes);
  const ratio = a.p99 / b.p99;
  const yes = (ok: boolean) => (ok ? "yes" : "NO");
  const pad = `${"".padEnd(8)}  ${"".padEnd(9)}  `;
  console.log(line(kind, "app", a));
  console.log(`${pad}p50/p99 ms by request: ${byKind(appOutcomes)}`);
  console.log(`${pad}p99 ms per 10 s: ${timeline(appOutcomes)}`);
  console.log(
    `${pad}event loop delay p99 ${ms(appRun.loopP99)}, max ${ms(appRun.loopMax)} ms; most queries waiting for a pool connection (of ${db.pool.options.max}): ${appRun.poolWaiting}`,
  );
  console.log(line(kind, "bare Bolt", b));
  console.log(`${pad}p50/p99 ms by request: ${byKind(bareOutcomes)}`);
  console.log(`${pad}p99 ms per 10 s: ${timeline(bareOutcomes)}`);
  console.log(`${pad}event loop delay p99 ${ms(bareRun.loopP99)}, max ${ms(bareRun.loopMax)} ms`);
  console.log(line(kind, "storing", c));
  console.log(`${pad}p50/p99 ms by request: ${byKind(storingOutcomes)}`);
  console.log(`${pad}(bare Bolt inserting one row before each verdict's 200)`);
  console.log(
    `${"".padEnd(8)}  machine load (1 min) at start ${load.toFixed(1)}; app p99 ÷ bare p99 = ${ratio.toFixed(2)}; app p99 ≤ ${P99_LIMIT_MS} ms: ${yes(a.p99 <= P99_LIMIT_MS)}; ≤ ${BARE_RATIO_LIMIT} × bare p99: ${yes(ratio <= BARE_RATIO_LIMIT)}`,
  );
  console.log(
    `${"".padEnd(8)}  verdicts acknowledged with a 200 (warm-up included): ${acknowledged.length}; stored: ${stored.size}; acknowledged but not stored: ${missing}; every acknowledged verdict stored: ${yes(missing === 0)}`,
  );
  await db.close();
  await database.close();
}
await fake.close();
process.exit(0);
