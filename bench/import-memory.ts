// The importer's time and peak memory: it streams, so importing 100,000 rows should take about as
// much memory as 10,000. Each import runs in a child process of its own, measured from inside.
// --format hubspot-contacts imports a HubSpot contacts export as downloaded (quoted cells, labels,
// local times, "1,200" employees, countries mapped to regions) instead of Leadfit's own file.
//   node --import tsx bench/import-memory.ts [--rows 10000,100000] [--database embedded|server|both]
//     [--format leadfit|hubspot-contacts]
import { spawnSync } from "node:child_process";
import { mkdtemp, rm, stat } from "node:fs/promises";
import os, { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { openDatabase } from "../src/db/database.ts";
import { createRepositories } from "../src/db/repositories/index.ts";
import { importCsv } from "../src/services/import-csv.ts";
import {
  benchDatabase,
  kinds,
  machine,
  writeHubspotContactsCsv,
  writeLeadsCsv,
} from "./support.ts";

const { values } = parseArgs({
  options: {
    rows: { type: "string", default: "10000,100000" },
    database: { type: "string", default: "both" },
    format: { type: "string", default: "leadfit" },
    child: { type: "string" },
    url: { type: "string" },
  },
});

if (values.child) {
  // Child: import one file and report its own peak memory.
  let peakRss = 0;
  let peakHeap = 0;
  const sample = setInterval(() => {
    const usage = process.memoryUsage();
    peakRss = Math.max(peakRss, usage.rss);
    peakHeap = Math.max(peakHeap, usage.heapUsed);
  }, 20);
  const db = await openDatabase({ databaseUrl: values.url, dataDir: "" }, { migrate: false });
  const repos = createRepositories(db);
  const workspace = await repos.workspaces.ensure(`TMEM${Date.now()}`, "Import memory");
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const result = await importCsv(
    { db, repos },
    // Each row names its campaign key; the bench's fresh workspace creates them.
    { workspace, kind: "leads", path: values.child, format: values.format, createCampaigns: true },
  );
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  clearInterval(sample);
  await db.close();
  process.stdout.write(
    `${JSON.stringify({ rows: result.rows, created: result.created, seconds, cpuSeconds, peakRss, peakHeap, maxRss: process.resourceUsage().maxRSS * 1024 })}\n`,
  );
  process.exit(0);
}

const HEAP_CAP_MIB = 96;
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
console.log(
  `bench/import-memory: ${values.format} file of ${values.rows} lead rows, heap capped at ${HEAP_CAP_MIB} MiB; ${machine()}`,
);
const dir = await mkdtemp(join(tmpdir(), "leadfit-import-bench-"));
for (const kind of kinds(values.database)) {
  for (const rows of values.rows.split(",").map(Number)) {
    const database = await benchDatabase(kind);
    const file = join(dir, `leads-${rows}.csv`);
    if (values.format === "hubspot-contacts") await writeHubspotContactsCsv(file, rows);
    else await writeLeadsCsv(file, rows);
    const bytes = (await stat(file)).size;
    // A small heap cap: an importer that held rows would run out of memory here at 100k rows.
    const child = spawnSync(
      process.execPath,
      [
        `--max-old-space-size=${HEAP_CAP_MIB}`,
        "--import",
        "tsx",
        fileURLToPath(import.meta.url),
        "--child",
        file,
        "--format",
        values.format,
        "--url",
        database.url,
      ],
      { encoding: "utf8", maxBuffer: 1 << 20 },
    );
    await database.close();
    if (child.status !== 0) throw new Error(`import failed: ${child.stderr}`);
    const report = JSON.parse(child.stdout.trim().split("\n").at(-1) ?? "{}");
    console.log(
      `${kind.padEnd(8)}  ${String(report.rows).padStart(7)} rows (${mib(bytes)} file) in ${report.seconds.toFixed(1)} s (${Math.round(report.rows / report.seconds)} rows/s, importer CPU ${report.cpuSeconds.toFixed(1)} s, load average ${(os.loadavg()[0] ?? 0).toFixed(1)}): peak RSS ${mib(report.maxRss)}, peak heap ${mib(report.peakHeap)}`,
    );
  }
}
await rm(dir, { recursive: true, force: true });
process.exit(0);
