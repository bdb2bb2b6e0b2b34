// Acknowledgements while a big CSV import runs on the embedded database: the app runs as
// `npm start` (owning its embedded database), `leadfit import leads` runs as a second process
// connected to it (as an operator would run it), and one-click verdicts arrive at a steady rate
// (open loop) for as long as the import runs; /healthz is asked twice a second meanwhile.
//   node --import tsx bench/import-while-clicking.ts [--rows 100000] [--rate 20]
// Target: acknowledgements' p99 under 200 ms during the import; the import lands whole; every
// verdict acknowledged with a 200 is stored.
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { openDatabase } from "../src/db/database.ts";
import { ACTIONS } from "../src/presentation/slack/ids.ts";
import { startAppProcess } from "../test/support/app-process.ts";
import { startFakeSlack } from "../test/support/fake-slack.ts";
import { blockAction, sendToSlackEndpoint } from "../test/support/slack-requests.ts";
import {
  machine,
  openLoop,
  percentile,
  type Sent,
  seedSalesChannelLeads,
  writeLeadsCsv,
} from "./support.ts";

const { values } = parseArgs({
  options: {
    rows: { type: "string", default: "100000" },
    rate: { type: "string", default: "20" },
  },
});
const ROWS = Number(values.rows);
const RATE = Number(values.rate);
const HEALTH_RATE = 2;
/** Verdicts before the import starts, unmeasured: first-call costs are not what is measured. */
const WARMUP = 40;
/** Then the same load for this long without an import: what the machine gives at all. */
const BASELINE_SECONDS = 10;
const BASELINE = RATE * BASELINE_SECONDS;
/** Enough leads to click one each for half an hour of import. */
const LEADS = WARMUP + BASELINE + RATE * 1800;
const P99_LIMIT_MS = 200;
const SECRET = "bench-signing-secret-0123456789abcdef";
const SALES_CHANNEL = "C0BENCHSALES";
const REP = "U0BENCHREP1";
const CLI = fileURLToPath(new URL("../src/inbound/cli/leadfit.mjs", import.meta.url));

const ms = (value: number) => value.toFixed(1);
const yes = (ok: boolean) => (ok ? "yes" : "NO");

function figures(sent: Sent<unknown>[]): string {
  const sorted = sent.map((s) => s.ms).sort((a, b) => a - b);
  const non200 = sent.filter((s) => s.status !== 200).length;
  return `${sent.length} sent, ${non200} not 200; p50 ${ms(percentile(sorted, 50))}, p90 ${ms(percentile(sorted, 90))}, p99 ${ms(percentile(sorted, 99))}, max ${ms(sorted.at(-1) ?? Number.NaN)} ms`;
}

/** The slowest answer in each second of the import: where the stalls are. */
function timeline(sent: Sent<unknown>[]): string {
  const worst: number[] = [];
  for (const s of sent) worst[Math.floor(s.at)] = Math.max(worst[Math.floor(s.at)] ?? 0, s.ms);
  return Array.from(worst, (w) => (w === undefined ? "-" : w.toFixed(0))).join(" ");
}

console.log(
  `bench/import-while-clicking: import of ${ROWS} lead rows on the embedded database while ${RATE} one-click verdicts/s arrive; ${machine()}`,
);
const dataDir = await mkdtemp(join(tmpdir(), "leadfit-bench-"));
const csv = join(dataDir, `leads-${ROWS}.csv`);
await writeLeadsCsv(csv, ROWS);
const fake = await startFakeSlack();

const { workspaceId, leads } = await seedSalesChannelLeads(() => openDatabase({ dataDir }), {
  team: fake,
  channel: SALES_CHANNEL,
  count: LEADS,
});

const app = await startAppProcess({
  SLACK_SIGNING_SECRET: SECRET,
  SLACK_API_URL: fake.url,
  SLACK_BOT_TOKEN: "xoxb-bench",
  LEADFIT_DATA_DIR: dataDir,
});
const events = `${app.baseUrl}/slack/events`;
const clicks = leads.map((lead, i) =>
  blockAction({
    actionId: i % 2 === 0 ? ACTIONS.verdictFit : ACTIONS.verdictNotYet,
    value: lead.id,
    userId: REP,
    teamId: fake.teamId,
    channelId: SALES_CHANNEL,
    messageTs: lead.cardTs,
    responseUrl: fake.responseUrl(),
  }),
);
const click = (request: (typeof clicks)[number]) =>
  sendToSlackEndpoint(events, request, { secret: SECRET });
const warmup = await openLoop(clicks.slice(0, WARMUP), RATE, click);
const before = await openLoop(clicks.slice(WARMUP, WARMUP + BASELINE), RATE, click);

let importing = true;
const started = performance.now();
const cli = spawn(process.execPath, [CLI, "import", "leads", csv, "--workspace", workspaceId], {
  env: { PATH: process.env.PATH ?? "", LEADFIT_DATA_DIR: dataDir },
  stdio: ["ignore", "pipe", "pipe"],
});
let cliOutput = "";
cli.stdout.on("data", (chunk: Buffer) => {
  cliOutput += chunk.toString("utf8");
});
cli.stderr.on("data", () => {}); // its progress bar
const imported = new Promise<number | null>((resolve) =>
  cli.once("exit", (code) => {
    importing = false;
    resolve(code);
  }),
);
const health = Array.from({ length: HEALTH_RATE * 3600 }, () => `${app.baseUrl}/healthz`);
const [during, healthChecks, exitCode] = await Promise.all([
  openLoop(clicks.slice(WARMUP + BASELINE), RATE, click, () => !importing),
  openLoop(
    health,
    HEALTH_RATE,
    (url) => fetch(url),
    () => !importing,
  ),
  imported,
]);
const seconds = (performance.now() - started) / 1000;

app.child.kill("SIGTERM");
await app.exited;
const checking = await openDatabase({ dataDir });
const importedLeads = await checking.prisma.lead.count({
  where: { workspaceId: workspaceId, externalId: { startsWith: "IMP-" } },
});
const acknowledged = [...warmup, ...before, ...during].filter((s) => s.status === 200);
const stored = await checking.prisma.leadFeedback.count({ where: { workspaceId: workspaceId } });
await checking.close();
await fake.close();
await rm(dataDir, { recursive: true, force: true });

const p99 = percentile(
  during.map((s) => s.ms).sort((a, b) => a - b),
  99,
);
console.log(
  `import   ${ROWS} rows in ${seconds.toFixed(1)} s (exit ${exitCode}): ${cliOutput.trim()}`,
);
console.log(`verdicts before the import (${BASELINE_SECONDS} s): ${figures(before)}`);
console.log(`verdicts during the import: ${figures(during)}`);
console.log(`slowest verdict per second, ms: ${timeline(during)}`);
console.log(`/healthz during the import: ${figures(healthChecks)}`);
console.log(
  `p99 under ${P99_LIMIT_MS} ms: ${yes(p99 < P99_LIMIT_MS)}; import landed whole (${importedLeads} of ${ROWS}): ${yes(importedLeads === ROWS)}; every acknowledged verdict stored (${stored} of ${acknowledged.length}): ${yes(stored === acknowledged.length)}`,
);
process.exit(0);
