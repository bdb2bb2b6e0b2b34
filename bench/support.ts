import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os, { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import type { Database } from "../src/db/database.ts";
import { openEmbedded } from "../src/db/embedded.ts";
import { migrate } from "../src/db/migrations/migrate.ts";
import { createRepositories } from "../src/db/repositories/index.ts";

export const SERVER_URL =
  process.env.BENCH_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

export interface BenchDatabase {
  kind: "embedded" | "server";
  url: string;
  close(): Promise<void>;
}

/** A fresh, migrated database of each kind asked for: the embedded one and/or the server. */
export async function benchDatabase(kind: "embedded" | "server"): Promise<BenchDatabase> {
  if (kind === "server") {
    const name = `leadfit_bench_${Date.now()}`;
    const admin = new pg.Client({ connectionString: SERVER_URL });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const url = new URL(SERVER_URL);
    url.pathname = `/${name}`;
    await migrate(url.toString());
    return {
      kind,
      url: url.toString(),
      async close() {
        const drop = new pg.Client({ connectionString: SERVER_URL });
        await drop.connect();
        await drop.query(`drop database if exists ${name} with (force)`);
        await drop.end();
      },
    };
  }
  const dir = await mkdtemp(join(tmpdir(), "leadfit-bench-"));
  const embedded = await openEmbedded({
    dataDir: dir,
    prepare: (url) => migrate(url).then(() => {}),
  });
  return {
    kind,
    url: embedded.url,
    async close() {
      await embedded.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export function kinds(argument: string | undefined): ("embedded" | "server")[] {
  if (argument === "embedded" || argument === "server") return [argument];
  return ["embedded", "server"];
}

export function machine(): string {
  return `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}

/** A seeded lead and the ts of its card. */
export interface CardedLead {
  id: string;
  email: string;
  cardTs: string;
}

/**
 * The bot token's workspace (the fake Slack's team) with `channel` as its sales channel and `count`
 * leads carded there, straight in SQL: loading them is not what a bench measures. The database is
 * opened for this and closed after, so that the app under test can open it (an embedded one takes
 * one process at a time).
 */
export async function seedSalesChannelLeads(
  open: () => Promise<Database>,
  options: { team: { teamId: string; teamName: string }; channel: string; count: number },
): Promise<{ workspaceId: string; leads: CardedLead[] }> {
  const db = await open();
  try {
    const { team, channel, count } = options;
    const workspace = await createRepositories(db).workspaces.ensure(team.teamId, team.teamName);
    await db.prisma.workspace.update({
      where: { id: workspace.id },
      data: { salesChannelId: channel },
    });
    const { rows } = await db.pool.query<CardedLead>(
      `
    insert into lead (id, "workspaceId", "externalId", email, name, company, title, "createdAt", "receivedAt", "updatedAt", fields, "cardChannelId", "cardTs")
    select gen_random_uuid()::text, $1, 'bench-' || i, 'lead' || i || '@company' || (i % 97) || '.example', 'Lead ' || i, 'Company ' || (i % 97), 'CMO',
      now() - i * interval '1 minute', now(), now(), '{"employees": 120, "region": "EU"}', $2, '1700000000.' || lpad(i::text, 6, '0')
    from generate_series(1, $3::int) i
    returning id, email, "cardTs"`,
      [workspace.id, channel, count],
    );
    await db.pool.query("analyze lead");
    return { workspaceId: workspace.id, leads: rows };
  } finally {
    await db.close();
  }
}

/** The options of the benches over a big workspace: how many leads, and on which databases. */
export function bigWorkspaceOptions(): { leads: number; databases: ("embedded" | "server")[] } {
  const { values } = parseArgs({
    options: {
      leads: { type: "string", default: "200000" },
      database: { type: "string", default: "both" },
    },
  });
  return { leads: Number(values.leads), databases: kinds(values.database) };
}

/**
 * A big workspace's campaigns, leads and verdicts, straight in SQL: the point is reading them
 * back, not loading them. Campaigns take the channels in turn; the leads arrive an hour apart over
 * the year before 2026-11-23, to the campaigns in turn, meeting the definition every other one;
 * the first half are judged five hours after arriving by one of 20 reps, fit, not yet and not a
 * fit (wrong role) in turn.
 */
export async function seedBigWorkspace(
  client: pg.Client,
  workspace: { id: string; campaigns: number; leads: number },
): Promise<void> {
  const run = (sql: string) => client.query(sql, [workspace.id]);
  await run(`insert into campaign (id, "workspaceId", key, name, channel, "createdAt", "updatedAt")
    select gen_random_uuid()::text, $1, 'campaign-' || i, 'Campaign ' || i, (array['events','paid search','social','email','content','video'])[1 + i % 6], now(), now()
    from generate_series(1, ${workspace.campaigns}) i`);
  await run(`insert into lead (id, "workspaceId", "externalId", email, "campaignId", "createdAt", "receivedAt", "updatedAt", fields, "definitionStatus")
    select gen_random_uuid()::text, $1, 'L' || i, 'lead' || i || '@x.example', (select id from campaign where "workspaceId" = $1 and key = 'campaign-' || (1 + i % ${workspace.campaigns})),
      timestamptz '2026-11-23 00:00+00' - (i % (365 * 24)) * interval '1 hour', now(), now(), '{}', (array['met','not_met'])[1 + i % 2]::"DefinitionStatus"
    from generate_series(1, ${workspace.leads}) i`);
  await run(`insert into lead_feedback ("workspaceId", "leadId", verdict, reasons, "userId", "givenAt", "definitionStatus")
    select $1, l.id, (array['fit','not_yet','not_fit'])[1 + n % 3]::"Verdict", case when n % 3 = 2 then array['wrong_role'] else '{}' end, 'U' || (n % 20), l."createdAt" + interval '5 hours', l."definitionStatus"
    from (select id, "createdAt", "definitionStatus", row_number() over () as n from lead where "workspaceId" = $1 limit ${Math.floor(workspace.leads / 2)}) l`);
}

/** A lead CSV of `rows` rows in the documented layout, written as a stream. */
export async function writeLeadsCsv(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path);
  out.write(
    "external_id,email,name,company,title,campaign,owner,created_at,employees,region,industry\n",
  );
  for (let n = 0; n < rows; n++) {
    const line = `IMP-${n},lead${n}@company${n % 997}.example,Lead ${n},Company ${n % 997},CMO,campaign-${n % 50},,2026-11-0${1 + (n % 9)}T10:00:00Z,${10 + (n % 2000)},EU,software\n`;
    if (!out.write(line)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
  }
  await new Promise<void>((resolve) => out.end(() => resolve()));
}

const COUNTRIES = [
  "United States",
  "Germany",
  "United Kingdom",
  "Canada",
  "France",
  "Japan",
  "Brazil",
];
const OWNERS = ["Dana Whitfield", "Priya Natarajan", "Marco Rossi", ""];

/** A HubSpot contacts export as downloaded: every cell quoted, labels as headers, local times. */
export async function writeHubspotContactsCsv(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path);
  out.write(
    '"Record ID","First Name","Last Name","Email","Phone Number","Contact owner","Lifecycle Stage","Lead Status","Create Date","Company Name","Job Title","Country/Region","Number of Employees","Industry","Original Source","Original Source Drill-Down 1","Original Source Drill-Down 2"\n',
  );
  for (let n = 0; n < rows; n++) {
    const employees = (10 + ((n * 37) % 9000)).toLocaleString("en-US");
    const created = `2026-11-${String(1 + (n % 28)).padStart(2, "0")} ${String(n % 24).padStart(2, "0")}:${String(n % 60).padStart(2, "0")}`;
    const cells = [
      String(51_000_000 + n),
      `First${n}`,
      `Last${n}`,
      `lead${n}@company${n % 997}.example`,
      "+1 415 555 0134",
      OWNERS[n % OWNERS.length],
      "Lead",
      "NEW",
      created,
      `Company ${n % 997}`,
      "VP Marketing",
      COUNTRIES[n % COUNTRIES.length],
      employees,
      "COMPUTER_SOFTWARE",
      "Paid Search",
      "google",
      `campaign-${n % 50}`,
    ];
    const line = `${cells.map((c) => `"${c}"`).join(",")}\n`;
    if (!out.write(line)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
  }
  await new Promise<void>((resolve) => out.end(() => resolve()));
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface Sent<T> {
  item: T;
  /** The HTTP status, or null when the request failed. */
  status: number | null;
  /** When it was due, in seconds from the start of the load. */
  at: number;
  /** From when it was due to its answer. */
  ms: number;
}

/**
 * Open loop: item i leaves at start + i / rate whatever happened to earlier ones, so a target
 * that stalls has requests queue up as Slack's would. Latency runs from when a request was due,
 * not when it left. Stops early, before an item, once `until()` is true.
 */
export async function openLoop<T>(
  items: readonly T[],
  rate: number,
  send: (item: T) => Promise<{ status: number }>,
  until: () => boolean = () => false,
): Promise<Sent<T>[]> {
  const start = performance.now() + 20;
  const inflight: Promise<Sent<T>>[] = [];
  for (const [i, item] of items.entries()) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    // Timers have millisecond resolution; anything closer (or late) leaves now.
    if (wait >= 1) await sleep(wait);
    if (until()) break;
    const answered = (status: number | null): Sent<T> => ({
      item,
      status,
      at: (due - start) / 1000,
      ms: performance.now() - due,
    });
    inflight.push(
      send(item).then(
        (response) => answered(response.status),
        () => answered(null),
      ),
    );
  }
  return Promise.all(inflight);
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return (
    sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN
  );
}
