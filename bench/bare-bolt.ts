// The bare Bolt app bench/interactions.ts compares Leadfit with, in a process of its own as the app
// is: it acknowledges every slash command and action and does nothing else. With STORE it first
// commits one row per action, the least an app that stores a verdict before its 200 can do:
// STORE=embedded keeps the rows in its own embedded PostgreSQL (in this process, as the app's is),
// STORE=<url> on that server.
//   SLACK_SIGNING_SECRET=… SLACK_API_URL=… [STORE=embedded|<url>] node --import tsx bench/bare-bolt.ts
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, HTTPReceiver, LogLevel } from "@slack/bolt";
import pg from "pg";
import { openEmbedded } from "../src/db/embedded.ts";
import { COMMAND } from "../src/presentation/slack/ids.ts";

const TABLE = "create table if not exists bench_ack (id serial primary key, lead_id text not null)";

async function openStore(store: string | undefined) {
  if (!store) return undefined;
  if (store !== "embedded") {
    const pool = new pg.Pool({ connectionString: store, max: 10 });
    await pool.query(TABLE);
    return { pool, close: () => pool.end() };
  }
  const dataDir = await mkdtemp(join(tmpdir(), "leadfit-bare-"));
  const embedded = await openEmbedded({ dataDir });
  // One connection, as the app has on its embedded database.
  const pool = new pg.Pool({ connectionString: embedded.url, max: 1 });
  await pool.query(TABLE);
  return {
    pool,
    async close() {
      await pool.end();
      await embedded.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

const store = await openStore(process.env.STORE);
const bare = new App({
  receiver: new HTTPReceiver({
    signingSecret: process.env.SLACK_SIGNING_SECRET ?? "",
    endpoints: "/slack/events",
  }),
  token: "xoxb-bench",
  clientOptions: { slackApiUrl: process.env.SLACK_API_URL },
  logLevel: LogLevel.ERROR,
});
bare.command(COMMAND, async ({ ack }) => {
  await ack();
});
bare.action(/.*/, async ({ ack, action }) => {
  if (store && "value" in action)
    await store.pool.query("insert into bench_ack (lead_id) values ($1)", [action.value]);
  await ack();
});
const server = await bare.start(Number(process.env.PORT ?? 0));
const address = server.address();
const port = typeof address === "object" && address ? address.port : 0;
process.stderr.write(`Bare Bolt is running: http://127.0.0.1:${port}/\n`);
process.once("SIGTERM", async () => {
  await bare.stop();
  await store?.close();
  process.exit(0);
});
