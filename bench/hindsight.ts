// Time to build hindsight for a quarter on a big workspace: 100 campaigns, 200,000 leads over a
// year, 100,000 verdicts, 50,000 outcomes (opportunities, a third of them won), a year of spend.
// The embedded database runs in this process, so its CPU time is the whole cost; against the
// server it is only the client's share. Wall time on a loaded machine says little: the load
// average is printed with each run.
//   node --import tsx bench/hindsight.ts [--leads 200000] [--database embedded|server|both]
import os from "node:os";
import pg from "pg";
import { openDatabase } from "../src/db/database.ts";
import { createRepositories } from "../src/db/repositories/index.ts";
import { buildHindsight } from "../src/services/build-hindsight.ts";
import { benchDatabase, bigWorkspaceOptions, machine, seedBigWorkspace } from "./support.ts";

const { leads: LEADS, databases } = bigWorkspaceOptions();
const CAMPAIGNS = 100;
const WORKSPACE = "TBENCHHINDSIGHT";
const NOW = new Date("2026-11-23T12:00:00Z");

/** The big workspace, a year of spend, and an opportunity for every fourth lead, a third won. */
async function seed(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await seedBigWorkspace(client, { id: WORKSPACE, campaigns: CAMPAIGNS, leads: LEADS });
  const run = (sql: string) => client.query(sql, [WORKSPACE]);
  await run(`insert into metric_value ("workspaceId", "campaignKey", "metricId", granularity, "periodStart", value, source, "updatedAt")
    select $1, c.key, m.id, 'week', date '2026-11-16' - 7 * w, 500 + (random() * 1000)::int, 'bench', now()
    from campaign c cross join metric_definition m cross join generate_series(0, 51) w
    where c."workspaceId" = $1 and m."workspaceId" = $1 and m.key = 'spend'`);
  await run(`insert into outcome ("workspaceId", "externalId", "leadId", type, at, amount, "updatedAt")
    select $1, 'O' || n, l.id, 'opportunity', l."createdAt" + interval '20 days', 10000, now()
    from (select id, "createdAt", row_number() over (order by "externalId") as n from lead where "workspaceId" = $1) l
    where n % 4 = 0`);
  await run(`insert into outcome ("workspaceId", "externalId", "leadId", type, at, amount, "updatedAt")
    select $1, o."externalId", o."leadId", 'won', o.at + interval '30 days', 12000, now()
    from outcome o where o."workspaceId" = $1 and o.type = 'opportunity' and o.id % 3 = 0`);
  await client.query("analyze");
  await client.end();
}

console.log(
  `bench/hindsight: ${CAMPAIGNS} campaigns, ${LEADS} leads, ${Math.floor(LEADS / 2)} verdicts, ${Math.floor(LEADS / 4)} opportunities (a third won); ${machine()}`,
);
for (const kind of databases) {
  const database = await benchDatabase(kind);
  const db = await openDatabase({ databaseUrl: database.url, dataDir: "" }, { migrate: false });
  const repos = createRepositories(db);
  const workspace = await repos.workspaces.ensure(WORKSPACE, "Hindsight bench");
  const seeding = performance.now();
  await seed(database.url);
  const seeded = ((performance.now() - seeding) / 1000).toFixed(1);
  const timings: string[] = [];
  for (const [label, since, cohortSize] of [
    ["quarter", "2026-08-23", "week"],
    ["quarter", "2026-08-23", "week"],
    ["quarter", "2026-08-23", "week"],
    ["year", undefined, "month"],
  ] as const) {
    const started = performance.now();
    const cpu = process.cpuUsage();
    const report = await buildHindsight(
      { repos },
      { workspace, now: NOW, since, cohortSize, viewerIsAdmin: false },
    );
    if (report.total.leads === 0) throw new Error("no leads in the period");
    const { user, system } = process.cpuUsage(cpu);
    timings.push(
      `${label} ${((performance.now() - started) / 1000).toFixed(2)} s (this process's CPU ${((user + system) / 1e6).toFixed(2)} s)`,
    );
  }
  console.log(
    `${kind.padEnd(8)}  seeded in ${seeded} s; hindsight: ${timings.join(", ")}; load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}`,
  );
  await db.close();
  await database.close();
}
process.exit(0);
