// Posting many scheduled digests at once against Slack's rate limits.
//   node --import tsx bench/fanout.ts [--workspaces 4] [--channels 250] [--database embedded|server|both]
// Installs the app in several workspaces (OAuth mode, a bot token each), gives each workspace one
// schedule per channel, all due, and lets one scheduler post them against a fake Slack that answers
// 429 with Retry-After past Slack's limits: chat.postMessage once a second per channel (bursts of
// two) and, per workspace, 300 chat.postMessage a minute (Slack: "several hundred"). Prints the
// time against the minimum those limits allow (target: within 1.2 ×) and counts duplicates.
import { parseArgs } from "node:util";
import { parseConfig } from "../src/config.ts";
import { openDatabase } from "../src/db/database.ts";
import { createDeps } from "../src/deps.ts";
import { DigestScheduler } from "../src/inbound/jobs/digest-scheduler.ts";
import { createLogger } from "../src/log.ts";
import { startFakeSlack } from "../test/support/fake-slack.ts";
import { benchDatabase, kinds, machine } from "./support.ts";

const { values } = parseArgs({
  options: {
    workspaces: { type: "string", default: "4" },
    channels: { type: "string", default: "250" },
    database: { type: "string", default: "both" },
  },
});
const WORKSPACES = Number(values.workspaces);
const CHANNELS = Number(values.channels);
const POSTS_PER_MINUTE = 300;
// Each digest is two posts in its channel: the message and its first thread reply (a workspace
// without North Star or campaigns has no charts to upload).
const POSTS_PER_DIGEST = 2;

/** The earliest the last post can go out: a workspace's posts beyond a minute's allowance wait. */
function minimumSeconds(): number {
  const posts = CHANNELS * POSTS_PER_DIGEST;
  return Math.floor((posts - 1) / POSTS_PER_MINUTE) * 60;
}

console.log(
  `bench/fanout: ${WORKSPACES * CHANNELS} scheduled digests, ${WORKSPACES} workspaces × ${CHANNELS} channels; ${machine()}`,
);
for (const kind of kinds(values.database)) {
  const database = await benchDatabase(kind);
  const slack = await startFakeSlack({
    rateLimits: {
      perMinute: { "chat.postMessage": POSTS_PER_MINUTE, "conversations.history": 50 },
      perChannel: { perSecond: 1, burst: 2 },
    },
  });
  const config = parseConfig({
    SLACK_CLIENT_ID: "1000.2000",
    SLACK_CLIENT_SECRET: "bench-client-secret",
    SLACK_STATE_SECRET: "bench-state-secret",
    SLACK_SIGNING_SECRET: "bench-signing-secret",
    SLACK_API_URL: slack.url,
    DATABASE_URL: database.url,
    LOG_LEVEL: "error",
  });
  const db = await openDatabase({ databaseUrl: database.url, dataDir: "" }, { migrate: false });
  const deps = createDeps(
    config,
    db,
    createLogger("error", () => {}),
  );

  // Every schedule last fired an hour ago and has existed for a month: all are due, once, late.
  const firedAt = new Date(Date.now() - 3_600_000);
  const weekday = ((firedAt.getUTCDay() + 6) % 7) + 1;
  const time = firedAt.toISOString().slice(11, 16);
  const month = Date.now() - 30 * 86_400_000;
  for (let w = 0; w < WORKSPACES; w++) {
    const teamId = `TFAN${w}`;
    await deps.repos.installations.save({
      team: { id: teamId, name: `Fanout ${w}` },
      enterprise: undefined,
      user: { id: "U0INSTALL", token: undefined, scopes: undefined },
      bot: { token: `xoxb-fanout-${w}`, scopes: ["chat:write"], id: "B0FAN", userId: "U0FANBOT" },
      isEnterpriseInstall: false,
      appId: "A0FANOUT",
      tokenType: "bot",
    });
  }
  await db.prisma.digestSchedule.createMany({
    // Interleaved, so the workspaces take turns as a real mix of schedules would.
    data: Array.from({ length: WORKSPACES * CHANNELS }, (_, i) => ({
      workspaceId: `TFAN${i % WORKSPACES}`,
      channelId: `C${i % WORKSPACES}X${Math.floor(i / WORKSPACES)}`,
      weekday,
      time,
      timezone: "UTC",
      createdAt: new Date(month + i),
    })),
  });

  const scheduler = new DigestScheduler(deps);
  const started = performance.now();
  await scheduler.sync();
  const seconds = (performance.now() - started) / 1000;
  await scheduler.stop();

  const runs = await db.prisma.digestRun.groupBy({ by: ["status"], _count: true });
  let duplicates = 0;
  let posted = 0;
  for (let i = 0; i < WORKSPACES * CHANNELS; i++) {
    const messages = slack.messages(`C${i % WORKSPACES}X${Math.floor(i / WORKSPACES)}`).length;
    posted += Math.min(messages, 1);
    duplicates += Math.max(0, messages - 1);
  }
  const rejected = slack.calls("chat.postMessage").length - posted * POSTS_PER_DIGEST;
  const minimum = minimumSeconds();
  console.log(
    `${kind.padEnd(8)}  ${seconds.toFixed(1)} s for ${posted} digests (minimum the limits allow: ${minimum} s, ${(seconds / minimum).toFixed(2)} ×); duplicates ${duplicates}; runs ${runs.map((r) => `${r.status} ${r._count}`).join(", ")}; 429s answered ${rejected}`,
  );
  await db.close();
  await slack.close();
  await database.close();
}
process.exit(0);
