// Acknowledgement latency of Slack interactions under a steady load: signed slash commands and
// one-click verdicts sent to /slack/events at a fixed arrival rate (open loop: request i leaves at
// start + i / rate whatever happened to earlier ones), first to the real app, then to a bare Bolt
// app that only acknowledges, then to bare Bolt committing one row before each verdict's 200 (the
// floor of "acknowledged means stored"), one after the other so they do not share the CPU. Each
// target runs as a process of its own (the app as `npm start`, owning its embedded database), so
// the load generator and the fake Slack here never wait for a target's work, nor it for theirs.
//   node --import tsx bench/interactions.ts [--rate 50] [--seconds 60] [--database embedded|server|both]
// Latency runs from when a request was due, not when it left, so a busy event loop that delays the
// sender counts against the target (as it would with Slack waiting). Targets: app p99 ≤ 50 ms and
// ≤ 1.5 × bare Bolt's p99; every verdict acknowledged with a 200 must be stored.
import { mkdtemp, rm } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { type Database, openDatabase } from "../src/db/database.ts";
import { ACTIONS, COMMAND } from "../src/presentation/slack/ids.ts";
import {
  type AppProcess,
  startAppProcess,
  startServerProcess,
} from "../test/support/app-process.ts";
import { type FakeSlack, startFakeSlack } from "../test/support/fake-slack.ts";
import {
  blockAction,
  type SlackRequest,
  sendToSlackEndpoint,
  slashCommand,
} from "../test/support/slack-requests.ts";
import {
  benchDatabase,
  type CardedLead,
  kinds,
  machine,
  openLoop,
  percentile,
  seedSalesChannelLeads,
} from "./support.ts";

const BARE = fileURLToPath(new URL("./bare-bolt.ts", import.meta.url));
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

/**
 * The same requests for both targets. Mostly one-click verdicts (what sales does all day), some
 * `/leadfit <email>` and a little help; a fixed pattern so every run sends the same mix.
 */
function plan(count: number, offset: number, leads: CardedLead[], fake: FakeSlack): Planned[] {
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
      const lead = leads[(i * 7919) % leads.length] as CardedLead;
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
    const lead = leads[i] as CardedLead;
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
  /**
   * This process's event loop delay p99 and max, ms: how late the load generator may have sent or
   * read. The targets run in processes of their own.
   */
  loopP99: number;
  loopMax: number;
}

async function measure(url: string, requests: Planned[]): Promise<Run> {
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const outcomes = await drive(url, requests);
  loop.disable();
  return { outcomes, loopP99: loop.percentile(99) / 1e6, loopMax: loop.max / 1e6 };
}

/** Open loop at RATE (see openLoop). */
async function drive(url: string, requests: Planned[]): Promise<Outcome[]> {
  const sent = await openLoop(requests, RATE, (planned) =>
    sendToSlackEndpoint(url, planned.request, { secret: SECRET }),
  );
  return sent.map(({ item, status, at, ms }) => ({
    kind: item.kind,
    leadId: item.leadId,
    status,
    at,
    ms,
  }));
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

/** A target in a process of its own: load, then (after its after-ack work settles) SIGTERM. */
async function runTarget(
  target: AppProcess,
  warmup: Planned[],
  measured: Planned[],
): Promise<{ warmup: Outcome[]; run: Run }> {
  const url = `${target.baseUrl}/slack/events`;
  const warmupOutcomes = await drive(url, warmup);
  const run = await measure(url, measured);
  await settle(fake);
  target.child.kill("SIGTERM");
  const { code } = await target.exited;
  if (code !== 0) throw new Error(`the target stopped with ${code}:\n${target.log()}`);
  fake.reset();
  return { warmup: warmupOutcomes, run };
}

/** Waits until the fake Slack has had no call for a while: the app's after-ack work is done. */
async function settle(fake: FakeSlack): Promise<void> {
  let seen = -1;
  while (fake.calls().length !== seen) {
    seen = fake.calls().length;
    await sleep(500);
  }
}

interface AppDatabase {
  /** How the app is told where its data is. */
  env: Record<string, string>;
  open(): Promise<Database>;
  close(): Promise<void>;
  /** Where the storing bare Bolt keeps its rows: its own embedded database, or the same server. */
  storeFor: string;
}

/**
 * Where the app keeps its data: a fresh server database, or an embedded data folder the app owns
 * while it runs (as `npm start` does), opened here only to seed it and to check it afterwards.
 */
async function appDatabase(kind: "embedded" | "server"): Promise<AppDatabase> {
  if (kind === "server") {
    const database = await benchDatabase(kind);
    return {
      env: { DATABASE_URL: database.url },
      open: () => openDatabase({ databaseUrl: database.url, dataDir: "" }, { migrate: false }),
      close: () => database.close(),
      storeFor: database.url,
    };
  }
  const dataDir = await mkdtemp(join(tmpdir(), "leadfit-bench-"));
  return {
    env: { LEADFIT_DATA_DIR: dataDir },
    open: () => openDatabase({ dataDir }),
    close: () => rm(dataDir, { recursive: true, force: true }),
    storeFor: "embedded",
  };
}

console.log(
  `bench/interactions: ${RATE} requests/s for ${SECONDS} s per target after ${WARMUP_SECONDS} s warm-up; 60% one-click verdicts, 30% /leadfit <email>, 10% /leadfit help; ${LEADS} leads; each target in its own process; ${machine()}`,
);
// The app's Web API calls (auth.test, card updates, modals) stay on this machine.
const fake = await startFakeSlack();
const slackEnv = { SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.url };
for (const kind of kinds(values.database)) {
  const database = await appDatabase(kind);
  // Single-workspace mode: the workspace is the bot token's team, which the fake Slack reports.
  const { workspaceId, leads } = await seedSalesChannelLeads(database.open, {
    team: fake,
    channel: SALES_CHANNEL,
    count: LEADS,
  });
  const warmup = plan(WARMUP, 0, leads, fake);
  const measured = plan(MEASURED, WARMUP, leads, fake);

  const load = loadavg()[0] ?? 0;
  const app = await runTarget(
    await startAppProcess({ ...slackEnv, SLACK_BOT_TOKEN: "xoxb-bench", ...database.env }),
    warmup,
    measured,
  );
  const acknowledged = [...app.warmup, ...app.run.outcomes].filter(
    (o) => o.leadId !== null && o.status === 200,
  );
  const checking = await database.open();
  const stored = new Set(
    (
      await checking.prisma.leadFeedback.findMany({
        where: { workspaceId },
        select: { leadId: true },
      })
    ).map((row) => row.leadId),
  );
  // Every lead here has a card, so every verdict queued its card's update in its statement; the
  // outbox sends them at chat.update's pace (Tier 3), not at the rate verdicts arrive.
  const cardUpdates = await checking.prisma.cardOutbox.groupBy({
    by: ["status"],
    where: { workspaceId, kind: "card_update" },
    _count: true,
  });
  await checking.close();
  const updatesIn = (status: string) =>
    cardUpdates.find((group) => group.status === status)?._count ?? 0;
  const updatesQueued = cardUpdates.reduce((sum, group) => sum + group._count, 0);
  const missing = acknowledged.filter((o) => o.leadId !== null && !stored.has(o.leadId)).length;

  const bare = await runTarget(await startServerProcess(BARE, slackEnv), warmup, measured);
  // The floor "acknowledged means stored" sets: bare Bolt committing one row before each verdict's
  // 200, on the same kind of database as the app.
  const storing = await runTarget(
    await startServerProcess(BARE, { ...slackEnv, STORE: database.storeFor }),
    warmup,
    measured,
  );

  const a = summarise(app.run.outcomes);
  const b = summarise(bare.run.outcomes);
  const c = summarise(storing.run.outcomes);
  const ratio = a.p99 / b.p99;
  const yes = (ok: boolean) => (ok ? "yes" : "NO");
  const pad = `${"".padEnd(8)}  ${"".padEnd(9)}  `;
  const details = (run: Run) => {
    console.log(`${pad}p50/p99 ms by request: ${byKind(run.outcomes)}`);
    console.log(`${pad}p99 ms per 10 s: ${timeline(run.outcomes)}`);
    console.log(
      `${pad}load generator's event loop delay p99 ${ms(run.loopP99)}, max ${ms(run.loopMax)} ms`,
    );
  };
  console.log(line(kind, "app", a));
  details(app.run);
  console.log(line(kind, "bare Bolt", b));
  details(bare.run);
  console.log(line(kind, "storing", c));
  details(storing.run);
  console.log(
    `${pad}(bare Bolt inserting one row before each verdict's 200: storing p99 ÷ bare p99 = ${(c.p99 / b.p99).toFixed(2)}; app p99 ÷ storing p99 = ${(a.p99 / c.p99).toFixed(2)})`,
  );
  console.log(
    `${"".padEnd(8)}  machine load (1 min) at start ${load.toFixed(1)}; app p99 ÷ bare p99 = ${ratio.toFixed(2)}; app p99 ≤ ${P99_LIMIT_MS} ms: ${yes(a.p99 <= P99_LIMIT_MS)}; ≤ ${BARE_RATIO_LIMIT} × bare p99: ${yes(ratio <= BARE_RATIO_LIMIT)}`,
  );
  console.log(
    `${"".padEnd(8)}  verdicts acknowledged with a 200 (warm-up included): ${acknowledged.length}; stored: ${stored.size}; acknowledged but not stored: ${missing}; every acknowledged verdict stored: ${yes(missing === 0)}`,
  );
  console.log(
    `${"".padEnd(8)}  card updates queued with their verdicts: ${updatesQueued} (one per stored verdict: ${yes(updatesQueued === stored.size)}); sent while the app ran: ${updatesIn("sent")}; waiting for their turn: ${updatesIn("pending")}; failed: ${updatesIn("failed")}`,
  );
  await database.close();
}
await fake.close();
process.exit(0);
