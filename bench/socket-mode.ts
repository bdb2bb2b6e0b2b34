// Socket Mode against HTTP, and how long a reconnection leaves Slack's requests waiting.
//   node --import tsx bench/socket-mode.ts [--requests 300] [--rounds 3]
// On the embedded database, with the app's own timings: `/leadfit help` sent one after another
// over each transport (acknowledgement round trip, p50 and p99), then for each way Slack ends a
// connection, the time until the app has a new one and until a request sent at that moment is
// answered.
import { parseArgs } from "node:util";
import { buildApp } from "../src/app.ts";
import { parseConfig } from "../src/config.ts";
import { openDatabase } from "../src/db/database.ts";
import { createDeps } from "../src/deps.ts";
import { createLogger } from "../src/log.ts";
import { startFakeSlack } from "../test/support/fake-slack.ts";
import type { FakeSocketMode } from "../test/support/fake-socket-mode.ts";
import {
  type SlackRequest,
  sendOverSocketMode,
  sendToSlackEndpoint,
  slashCommand,
} from "../test/support/slack-requests.ts";
import { benchDatabase, machine } from "./support.ts";

const { values } = parseArgs({
  options: {
    requests: { type: "string", default: "300" },
    rounds: { type: "string", default: "3" },
  },
});
const requests = Number(values.requests);
const rounds = Number(values.rounds);
const SECRET = "bench-signing-secret";

console.log(`bench/socket-mode: ${requests} requests, ${rounds} rounds; ${machine()}`);
const slack = await startFakeSlack();
const database = await benchDatabase("embedded");

async function startLeadfit(transport: "http" | "socket") {
  const config = parseConfig({
    SLACK_BOT_TOKEN: "xoxb-bench",
    SLACK_SIGNING_SECRET: SECRET,
    ...(transport === "socket" ? { SLACK_APP_TOKEN: slack.socketMode.appToken } : {}),
    SLACK_API_URL: slack.url,
    DATABASE_URL: database.url,
    LOG_LEVEL: "error",
  });
  const db = await openDatabase({ databaseUrl: database.url, dataDir: "" }, { migrate: false });
  const deps = createDeps(config, db, createLogger("error"));
  await deps.repos.workspaces.ensure(slack.teamId, slack.teamName);
  const app = buildApp(deps);
  const port = await app.start(0);
  return {
    send: (request: SlackRequest) =>
      transport === "socket"
        ? sendOverSocketMode(slack.socketMode, request)
        : sendToSlackEndpoint(`http://127.0.0.1:${port}/slack/events`, request, { secret: SECRET }),
    async stop() {
      await app.stop();
      await db.close();
    },
  };
}

const help = () =>
  slashCommand({
    text: "help",
    userId: "U0BENCH001",
    channelId: "C0BENCH001",
    teamId: slack.teamId,
  });

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

for (const transport of ["http", "socket"] as const) {
  const leadfit = await startLeadfit(transport);
  const times: number[] = [];
  for (let i = 0; i < requests; i++) {
    const started = performance.now();
    const response = await leadfit.send(help());
    if (response.status !== 200) throw new Error(`${transport}: answered ${response.status}`);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  console.log(
    `${transport.padEnd(6)}  /leadfit help acknowledged: p50 ${percentile(times, 50).toFixed(1)} ms, p99 ${percentile(times, 99).toFixed(1)} ms`,
  );
  if (transport === "socket") await reconnections(leadfit.send, slack.socketMode);
  await leadfit.stop();
}

async function reconnections(
  send: (request: SlackRequest) => Promise<unknown>,
  socketMode: FakeSocketMode,
): Promise<void> {
  const cues = {
    refresh_requested: () => socketMode.disconnect("refresh_requested"),
    warning: () => socketMode.disconnect("warning"),
    link_disabled: () => socketMode.disconnect("link_disabled"),
    "dropped connection": () => socketMode.drop(),
  };
  for (const [name, cue] of Object.entries(cues)) {
    const connected: number[] = [];
    const answered: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const before = socketMode.connectionCount();
      const started = performance.now();
      cue();
      const reply = send(help()).then(() => answered.push(performance.now() - started));
      await socketMode.waitForConnections(before + 1, 60_000);
      connected.push(performance.now() - started);
      await reply;
    }
    const seconds = (list: number[]) => list.map((ms) => (ms / 1000).toFixed(2)).join(", ");
    console.log(
      `socket  ${name.padEnd(18)}  connected again after ${seconds(connected)} s; a request sent then answered after ${seconds(answered)} s`,
    );
  }
}

await database.close();
await slack.close();
process.exit(0);
