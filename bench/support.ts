import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os, { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { openEmbedded } from "../src/db/embedded.ts";
import { migrate } from "../src/db/migrations/migrate.ts";

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

/** Leads with a card in `channel`, straight in SQL: loading them is not what a bench measures. */
export async function seedLeadsWithCards(
  pool: pg.Pool,
  options: { workspaceId: string; channel: string; count: number },
): Promise<{ id: string; email: string; cardTs: string }[]> {
  const { rows } = await pool.query<{ id: string; email: string; cardTs: string }>(
    `
    insert into lead (id, "workspaceId", "externalId", email, name, company, title, "createdAt", "receivedAt", "updatedAt", fields, "cardChannelId", "cardTs")
    select gen_random_uuid()::text, $1, 'bench-' || i, 'lead' || i || '@company' || (i % 97) || '.example', 'Lead ' || i, 'Company ' || (i % 97), 'CMO',
      now() - i * interval '1 minute', now(), now(), '{"employees": 120, "region": "EU"}', $2, '1700000000.' || lpad(i::text, 6, '0')
    from generate_series(1, $3::int) i
    returning id, email, "cardTs"`,
    [options.workspaceId, options.channel, options.count],
  );
  await pool.query("analyze lead");
  return rows;
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
