// Time and memory to build one digest (all figures, the Block Kit message, both charts) on a big
// workspace: 100 campaigns, 200,000 leads, 100,000 verdicts, 20 metrics × 52 weeks per campaign.
//   node --import tsx bench/digest.ts [--leads 200000] [--database embedded|server|both]
import pg from "pg";
import { openDatabase } from "../src/db/database.ts";
import { createRepositories } from "../src/db/repositories/index.ts";
import { DEFAULT_METRICS } from "../src/domain/metrics.ts";
import { parseIsoWeek } from "../src/domain/week.ts";
import { renderDigestCharts } from "../src/presentation/charts/render.ts";
import { digestMessage } from "../src/presentation/slack/digest.ts";
import { buildDigest } from "../src/services/build-digest.ts";
import { benchDatabase, bigWorkspaceOptions, machine, seedBigWorkspace } from "./support.ts";

const { leads: LEADS, databases } = bigWorkspaceOptions();
const CAMPAIGNS = 100;
const WEEKS = 52;
const WEEK = parseIsoWeek("2026-W47");
const WORKSPACE = "TBENCHDIGEST";

/** The big workspace, and 20 metrics a week for a year for each campaign. */
async function seed(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await seedBigWorkspace(client, { id: WORKSPACE, campaigns: CAMPAIGNS, leads: LEADS });
  const extra = Array.from(
    { length: 20 - DEFAULT_METRICS.length },
    (_, i) => `('${WORKSPACE}', 'extra_${i}', 'Extra ${i}')`,
  );
  if (extra.length > 0) {
    await client.query(`insert into metric_definition (id, "workspaceId", key, label, unit, stage, goal, direction, aggregation, "createdAt", "updatedAt")
      select gen_random_uuid()::text, w, k, l, 'count', 'engagement', 'find', 'higher', 'sum', now(), now() from (values ${extra.join(",")}) v(w, k, l)`);
  }
  await client.query(
    `
    insert into metric_value ("workspaceId", "campaignKey", "metricId", granularity, "periodStart", value, source, "updatedAt")
    select $1, c.key, m.id, 'week', date '2026-11-16' - 7 * w, 100 + (random() * 1000)::int, 'bench', now()
    from campaign c cross join metric_definition m cross join generate_series(0, ${WEEKS - 1}) w
    where c."workspaceId" = $1 and m."workspaceId" = $1`,
    [WORKSPACE],
  );
  await client.query("analyze");
  await client.end();
}

console.log(
  `bench/digest: ${CAMPAIGNS} campaigns, ${LEADS} leads, ${Math.floor(LEADS / 2)} verdicts, 20 metrics × ${WEEKS} weeks × ${CAMPAIGNS} campaigns; ${machine()}`,
);
for (const kind of databases) {
  const database = await benchDatabase(kind);
  const db = await openDatabase({ databaseUrl: database.url, dataDir: "" }, { migrate: false });
  const repos = createRepositories(db);
  const workspace = await repos.workspaces.ensure(WORKSPACE, "Digest bench");
  const seeding = performance.now();
  await seed(database.url);
  await repos.workspaces.setTrackedMetrics(
    WORKSPACE,
    {
      northStar: { metricKey: "pipeline", weeklyTarget: 100_000 },
      kpis: ["leads", "sqls", "impressions", "spend", "nps"].map((metricKey) => ({
        metricKey,
        weeklyTarget: null,
      })),
    },
    "bench",
  );
  const seeded = ((performance.now() - seeding) / 1000).toFixed(1);
  const fresh = (await repos.workspaces.get(workspace.id)) ?? workspace;
  const timings: number[] = [];
  const parts: string[] = [];
  let peakRss = 0;
  for (let run = 0; run < 3; run++) {
    const started = performance.now();
    const { digest, noteWeeks } = await buildDigest({ repos }, { workspace: fresh, week: WEEK });
    const built = performance.now();
    const charts = await renderDigestCharts(digest, noteWeeks);
    parts.push(
      `figures ${((built - started) / 1000).toFixed(2)} s + charts ${((performance.now() - built) / 1000).toFixed(2)} s`,
    );
    const message = digestMessage({
      digest,
      charts: charts.map((c) => ({ altText: c.altText, title: c.title, slackFileId: "F0BENCH" })),
    });
    if (message.blocks.length === 0) throw new Error("empty digest");
    timings.push(performance.now() - started);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }
  const [first, ...warm] = timings;
  console.log(
    `${kind.padEnd(8)}  seeded in ${seeded} s; one digest: first ${((first ?? 0) / 1000).toFixed(2)} s, then ${warm.map((t) => (t / 1000).toFixed(2)).join(" s, ")} s; peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB\n          (${parts.join("; ")})`,
  );
  await db.close();
  await database.close();
}
process.exit(0);
