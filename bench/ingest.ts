// Ingestion throughput and import memory.
//   node --import tsx bench/ingest.ts [--leads 50000] [--batch 1000] [--database embedded|server|both]
// Prints leads/s through the HTTP API (batches posted one after another, as a CRM sync does) on
// each database. The CSV importer's memory is measured by bench/import-memory.ts.
import { parseArgs } from "node:util";
import { buildApp } from "../src/app.ts";
import { parseConfig } from "../src/config.ts";
import { openDatabase } from "../src/db/database.ts";
import { createDeps } from "../src/deps.ts";
import { createLogger } from "../src/log.ts";
import { createApiKey } from "../src/services/api-keys.ts";
import { startFakeSlack } from "../test/support/fake-slack.ts";
import { benchDatabase, kinds, machine } from "./support.ts";

const { values } = parseArgs({
  options: {
    leads: { type: "string", default: "50000" },
    batch: { type: "string", default: "1000" },
    database: { type: "string", default: "both" },
  },
});
const total = Number(values.leads);
const batchSize = Number(values.batch);

function batch(start: number, size: number) {
  return {
    leads: Array.from({ length: size }, (_, i) => {
      const n = start + i;
      return {
        externalId: `bench-${n}`,
        email: `lead${n}@company${n % 997}.example`,
        name: `Lead ${n}`,
        company: `Company ${n % 997}`,
        title: n % 3 === 0 ? "CMO" : "Marketing Manager",
        campaign: `campaign-${n % 100}`,
        createdAt: new Date(Date.UTC(2026, 10, 1) + n * 60_000).toISOString(),
        fields: {
          employees: 10 + (n % 2000),
          region: n % 4 === 0 ? "APAC" : "EU",
          industry: "Software",
        },
      };
    }),
  };
}

console.log(`bench/ingest: ${total} leads in batches of ${batchSize}; ${machine()}`);
// The app checks its bot token with Slack when it starts; a local stand-in answers.
const slack = await startFakeSlack();
for (const kind of kinds(values.database)) {
  const database = await benchDatabase(kind);
  const config = parseConfig({
    SLACK_BOT_TOKEN: "xoxb-bench",
    SLACK_SIGNING_SECRET: "bench",
    SLACK_API_URL: slack.url,
    DATABASE_URL: database.url,
    LOG_LEVEL: "error",
  });
  const db = await openDatabase({ databaseUrl: database.url, dataDir: "" }, { migrate: false });
  const deps = createDeps(config, db, createLogger("error"));
  const workspace = await deps.repos.workspaces.ensure("TBENCH0001", "Bench");
  await deps.db.prisma.workspace.update({
    where: { id: workspace.id },
    data: { salesChannelId: "C0BENCH001" },
  });
  const { key } = await createApiKey(
    { repos: deps.repos },
    {
      workspaceId: workspace.id,
      label: "bench",
      createdBy: "bench",
    },
  );
  const app = buildApp(deps);
  const port = await app.start(0);
  const bodies = Array.from({ length: Math.ceil(total / batchSize) }, (_, i) =>
    JSON.stringify(batch(i * batchSize, Math.min(batchSize, total - i * batchSize))),
  );
  const started = performance.now();
  let created = 0;
  for (const body of bodies) {
    const response = await fetch(`http://127.0.0.1:${port}/api/v1/leads`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body,
    });
    if (!response.ok) throw new Error(`batch failed: ${response.status} ${await response.text()}`);
    created += ((await response.json()) as { created: number }).created;
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `${kind.padEnd(8)}  ${created} leads created in ${seconds.toFixed(2)} s = ${Math.round(created / seconds)} leads/s (${bodies.length} requests, ${Math.round((seconds * 1000) / bodies.length)} ms each)`,
  );
  await app.stop();
  await db.close();
  await database.close();
}
await slack.close();
process.exit(0);
