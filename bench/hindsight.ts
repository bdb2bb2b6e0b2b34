// Time to build hindsight for a quarter on a big workspace: 100 campaigns, 200,000 leads over a
// year, 100,000 verdicts, 50,000 outcomes (opportunities, a third of them won), a year of spend.
// The embedded database runs in this process, so its CPU time is the whole cost; against the
// server it is only the client's share. Wall time on a loaded machine says little: the load
// average is printed with each run.
//   node --import tsx bench/hindsight.ts [--leads 200000] [--database embedded|server|both]
import os from "node:os";
import { parseArgs } from "node:util";
import pg from "pg";
import { openDatabase } from "../src/db/database.ts";
import { createRepositories } from "../src/db/repositories/index.ts";
import { buildHindsight } from "../src/services/build-hindsight.ts";
import { benchDatabase, kinds, machine } from "./support.ts";

const { values } = parseArgs({
  options: {
    leads: { type: "string", default: "200000" },
    database: { type: "string", default: "both" },
  },
});
const LEADS = Number(values.leads);
const CAMPAIGNS = 100;
const WORKSPACE = "TBENCHHINDSIGHT";
const NOW = new Date("2026-11-23T12:00:00Z");

/** Bulk data straight in SQL: the point is reading it back, not loading it. */
async function seed(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const run = (sql: string) => client.query(sql, [WORKSPACE]);
  await run(`insert into campaign (id, "workspaceId", key, name, "createdAt", "updatedAt")
    select gen_random_uuid()::text, $1, 'campaign-' || i, 'Campaign ' || i, now(), now()
    from generate_series(1, ${CAMPAIGNS}) i`);
  await run(`insert into metric_value ("workspaceId", "campaignKey", "metricId", granularity, "periodStart", value, source, "updatedAt")
    select $1, c.key, m.id, 'week', date '2026-11-16' - 7 * w, 500 + (random() * 1000)::int, 'bench', now()
    from campaign c cross join metric_definition m cross join generate_series(0, 51) w
    where c."workspaceId" = $1 and m."workspaceId" = $1 and m.key = 'spend'`);
  await run(`insert into lead (id, "workspaceId", "externalId", email, "campaignId", "createdAt", "receivedAt", "updatedAt", fields, "definitionStatus")
    select gen_random_uuid()::text, $1, 'L' || i, 'lead' || i || '@x.example', (select id from campaign where "workspaceId" = $1 and key = 'campaign-' || (1 + i % ${CAMPAIGNS})),
      timestamptz '2026-11-23 00:00+00' - (i % (365 * 24)) * interval '1 hour', now(), now(), '{}', (array['met','not_met'])[1 + i % 2]::"DefinitionStatus"
    from generate_series(1, ${LEADS}) i`);
  await run(`insert into lead_feedback ("workspaceId", "leadId", verdict, reasons, "userId", "givenAt", "definitionStatus")
    select $1, l.id, (array['fit','not_yet','not_fit'])[1 + n % 3]::"Verdict", case when n % 3 = 2 then array['wrong_role'] else '{}' end, 'U' || (n % 20), l."createdAt" + interval '5 hours', l."definitionStatus"
    from (select id, "createdAt", "definitionStatus", row_number() over () as n from lead where "workspaceId" = $1 limit ${Math.floor(LEADS / 2)}) l`);
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
for (const kind of kinds(values.database)) {
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
