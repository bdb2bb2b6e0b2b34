// Start-up time and memory, each process started as a user starts it, several times, next to a bare
// Bolt app measured in the same run: `npm start` until /healthz answers 200 (PostgreSQL server;
// embedded database in a new folder, then in that folder again) and the node processes' resident
// memory 3 s later, idle (npm's wrapper left out); `leadfit help` (node on the package's bin file)
// and `npx leadfit api-key create` on the stopped embedded folder, to their exit, with their peak
// resident memory. The 1-minute load average is printed beside each row: the machine may be shared.
//   node --import tsx bench/footprint.ts [--runs 5] [--database embedded|server|both]
import { type ChildProcess, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { z } from "zod";
import { startFakeSlack } from "../test/support/fake-slack.ts";
import { benchDatabase, kinds, machine } from "./support.ts";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "5" },
    database: { type: "string", default: "both" },
  },
});
const RUNS = Number(values.runs);
const PROJECT = fileURLToPath(new URL("../", import.meta.url));
const BARE = fileURLToPath(new URL("./bare-bolt-healthz.mjs", import.meta.url));
const SECRET = "bench-signing-secret-0123456789abcdef";
const IDLE_MS = 3_000;
const SAMPLE_MS = 10;

// The leadfit command is a package of its own inside the project (see its package.json).
const COMMAND = join(PROJECT, "src/inbound/cli");
const commandPackage = z
  .object({ bin: z.object({ leadfit: z.string() }) })
  .parse(JSON.parse(await readFile(join(COMMAND, "package.json"), "utf8")));
const BIN = join(COMMAND, commandPackage.bin.leadfit);

interface Sample {
  ms: number;
  /** CPU time (user + system) it took, which load on the machine inflates far less than time. */
  cpuMs: number;
  rssMiB: number;
  load: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const TICK_MS = 10;

/**
 * The resident memory (MiB) and CPU time so far (ms) of the node processes in `root`'s tree: npm
 * and npx name their processes after themselves, so their wrappers are left out.
 */
function treeUsage(root: number): { rssMiB: number; cpuMs: number } {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // The command name is in parentheses and may hold spaces: the fields after it are fixed.
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // Gone meanwhile.
    }
  }
  let kib = 0;
  let ticks = 0;
  const visit = (pid: number) => {
    try {
      if (readFileSync(`/proc/${pid}/comm`, "utf8").trim() === "node") {
        const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
        kib += Number(match?.[1] ?? 0);
        const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        // utime and stime, fields 14 and 15 of stat.
        ticks += Number(fields[11]) + Number(fields[12]);
      }
    } catch {
      // Gone meanwhile.
    }
    for (const child of children.get(pid) ?? []) visit(child);
  };
  visit(root);
  return { rssMiB: kib / 1024, cpuMs: ticks * TICK_MS };
}

function launch(command: string, args: string[], env: Record<string, string>): ChildProcess {
  const { DATABASE_URL: _url, LEADFIT_DATA_DIR: _dir, ...inherited } = process.env;
  // Its own process group, so stopping it reaches what npm started too.
  return spawn(command, args, {
    cwd: PROJECT,
    env: { ...inherited, ...env },
    stdio: ["ignore", "ignore", "pipe"],
    detached: true,
  });
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once("exit", (code) => resolve(code));
  });
}

async function stopGroup(child: ChildProcess): Promise<void> {
  const exited = exitOf(child);
  const pid = child.pid ?? 0;
  process.kill(-pid, "SIGTERM");
  const killed = await Promise.race([exited.then(() => true), sleep(15_000).then(() => false)]);
  if (!killed) {
    process.kill(-pid, "SIGKILL");
    await exited;
  }
}

/** A server: from spawn to the first 200 from /healthz, then its memory IDLE_MS later; then stopped. */
async function serve(
  command: string,
  args: string[],
  env: Record<string, string>,
): Promise<Sample> {
  const port = await freePort();
  const load = loadavg()[0] ?? 0;
  const started = performance.now();
  const child = launch(command, args, { ...env, PORT: String(port) });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  let ended = false;
  void exitOf(child).then(() => {
    ended = true;
  });
  for (;;) {
    if (ended)
      throw new Error(`${command} ${args.join(" ")} exited before it was healthy:\n${stderr}`);
    const healthy = await fetch(`http://127.0.0.1:${port}/healthz`)
      .then((response) => response.status === 200)
      .catch(() => false);
    if (healthy) break;
    await sleep(SAMPLE_MS);
  }
  const ms = performance.now() - started;
  const { cpuMs } = treeUsage(child.pid ?? 0);
  await sleep(IDLE_MS);
  const { rssMiB } = treeUsage(child.pid ?? 0);
  await stopGroup(child);
  return { ms, cpuMs, rssMiB, load };
}

/**
 * A command: from spawn to its exit (which must be 0), its CPU time (the whole tree's, npx's
 * included, as time(1) counts it) and its peak memory meanwhile.
 */
async function run(command: string, args: string[], env: Record<string, string>): Promise<Sample> {
  const load = loadavg()[0] ?? 0;
  const times = join(scratchDir, "time");
  const started = performance.now();
  const child = launch("/usr/bin/time", ["-f", "%U %S", "-o", times, command, ...args], env);
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  const exited = exitOf(child);
  let ended = false;
  void exited.then(() => {
    ended = true;
  });
  let peak = 0;
  while (!ended) {
    peak = Math.max(peak, treeUsage(child.pid ?? 0).rssMiB);
    await Promise.race([exited, sleep(SAMPLE_MS)]);
  }
  const ms = performance.now() - started;
  const code = await exited;
  if (code !== 0) throw new Error(`${command} ${args.join(" ")} exited with ${code}:\n${stderr}`);
  const [user = 0, system = 0] = (await readFile(times, "utf8")).trim().split(" ").map(Number);
  return { ms, cpuMs: (user + system) * 1000, rssMiB: peak, load };
}

const scratchDir = await mkdtemp(join(tmpdir(), "leadfit-footprint-"));
const fake = await startFakeSlack();
const slackEnv = {
  SLACK_BOT_TOKEN: "xoxb-bench",
  SLACK_SIGNING_SECRET: SECRET,
  SLACK_API_URL: fake.url,
};
const databases = kinds(values.database);
const server = databases.includes("server") ? await benchDatabase("server") : undefined;

const rows = new Map<string, { samples: Sample[]; memory: "idle" | "peak" }>();
function record(name: string, memory: "idle" | "peak", sample: Sample): void {
  const row = rows.get(name) ?? { samples: [], memory };
  row.samples.push(sample);
  rows.set(name, row);
}

for (let round = 0; round < RUNS; round++) {
  process.stderr.write(`round ${round + 1} of ${RUNS}\n`);
  record("bare Bolt, node on a .mjs file", "idle", await serve("node", [BARE], slackEnv));
  if (server) {
    record(
      "npm start, PostgreSQL server",
      "idle",
      await serve("npm", ["start"], { ...slackEnv, DATABASE_URL: server.url }),
    );
  }
  if (databases.includes("embedded")) {
    const dataDir = join(scratchDir, `data-${round}`);
    const embeddedEnv = { ...slackEnv, LEADFIT_DATA_DIR: dataDir };
    record("npm start, embedded, new folder", "idle", await serve("npm", ["start"], embeddedEnv));
    record(
      "npm start, embedded, existing folder",
      "idle",
      await serve("npm", ["start"], embeddedEnv),
    );
    // The workspace is the only one in the folder (the app made it from auth.test).
    record(
      "npx leadfit api-key create, embedded stopped",
      "peak",
      await run("npx", ["leadfit", "api-key", "create", "--name", `bench ${round}`], {
        LEADFIT_DATA_DIR: dataDir,
      }),
    );
  }
  record("node, nothing loaded", "peak", await run("node", ["-e", ""], {}));
  record("leadfit help (node on the bin file)", "peak", await run("node", [BIN, "help"], {}));
}

const median = (numbers: number[]) => {
  const sorted = [...numbers].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};
const range = (numbers: number[], digits: number) =>
  `${Math.min(...numbers).toFixed(digits)}–${Math.max(...numbers).toFixed(digits)}`;

console.log(`bench/footprint: ${RUNS} runs each; ${machine()}`);
console.log(
  `${"".padEnd(46)}${"time, median (range)".padEnd(24)}${"CPU, median".padEnd(13)}${"memory, median".padEnd(22)}load average (1 min)`,
);
for (const [name, { samples, memory }] of rows) {
  const seconds = samples.map((s) => s.ms / 1000);
  const cpu = median(samples.map((s) => s.cpuMs / 1000));
  const rss = median(samples.map((s) => s.rssMiB));
  const load = range(
    samples.map((s) => s.load),
    1,
  );
  console.log(
    [
      name.padEnd(46),
      `${median(seconds).toFixed(2)} s (${range(seconds, 2)})`.padEnd(24),
      `${cpu.toFixed(2)} s`.padEnd(13),
      `${rss.toFixed(0)} MiB ${memory === "idle" ? "idle at 3 s" : "peak"}`.padEnd(22),
      load,
    ].join(""),
  );
}

await fake.close();
await server?.close();
await rm(scratchDir, { recursive: true, force: true });
process.exit(0);
