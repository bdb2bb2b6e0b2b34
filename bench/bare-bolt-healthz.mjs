// The floor bench/footprint.ts measures Leadfit's start-up against: a bare Bolt app in plain
// JavaScript (nothing to compile) that answers GET /healthz and does nothing else.
//   SLACK_SIGNING_SECRET=… SLACK_API_URL=… PORT=… node bench/bare-bolt-healthz.mjs
import { App, HTTPReceiver, LogLevel } from "@slack/bolt";

const receiver = new HTTPReceiver({
  signingSecret: process.env.SLACK_SIGNING_SECRET ?? "bench",
  endpoints: "/slack/events",
  customRoutes: [
    {
      path: "/healthz",
      method: ["GET"],
      handler: (_req, res) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end('{"ok":true}');
      },
    },
  ],
});
// Its token is checked with auth.test at start-up, as Leadfit's is (against the bench's fake Slack).
const app = new App({
  receiver,
  token: "xoxb-bench",
  clientOptions: { slackApiUrl: process.env.SLACK_API_URL },
  logLevel: LogLevel.ERROR,
});
app.command("/leadfit", async ({ ack }) => {
  await ack();
});
await app.start(Number(process.env.PORT ?? 0));
process.once("SIGTERM", async () => {
  await app.stop();
  process.exit(0);
});
