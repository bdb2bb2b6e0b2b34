// A HubSpot backfill of many contacts from the fake HubSpot, at the documented limits of the
// lowest tier (5 searches per second, 100 requests per 10 seconds): how close the sync comes to
// the allowed search rate, and whether its memory stays flat as pages go by. The fake runs in a
// process of its own (bench/fake-hubspot-process.ts): the memory figures are the sync's.
//   node --expose-gc --import tsx bench/crm-sync.ts [--contacts 100000] [--database server|embedded]
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { openDatabase } from "../src/db/database.ts";
import { createRepositories } from "../src/db/repositories/index.ts";
import { connectCrm } from "../src/services/connect-crm.ts";
import { syncCrm } from "../src/services/sync-crm.ts";
import { benchDatabase, machine } from "./support.ts";

const { values } = parseArgs({
  options: {
    contacts: { type: "string", default: "100000" },
    database: { type: "string", default: "server" },
  },
});
const contacts = Number(values.contacts);
const limits = { perTenSeconds: 100, searchPerSecond: 5 };
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

console.log(
  `bench/crm-sync: HubSpot backfill of ${contacts} contacts, ${limits.searchPerSecond} searches/s and ${limits.perTenSeconds} requests/10 s allowed; ${machine()}`,
);
const fake = fork(
  fileURLToPath(new URL("./fake-hubspot-process.ts", import.meta.url)),
  [
    `--contacts=${contacts}`,
    `--per-ten-seconds=${limits.perTenSeconds}`,
    `--search-per-second=${limits.searchPerSecond}`,
  ],
  { execArgv: ["--import", "tsx"] },
);
const answer = <K extends string>(key: K) =>
  new Promise<Record<K, unknown>>((resolve, reject) => {
    const onMessage = (message: unknown) => {
      if (typeof message !== "object" || message === null || !(key in message)) return;
      fake.off("message", onMessage);
      resolve(message as Record<K, unknown>);
    };
    fake.on("message", onMessage);
    fake.once("exit", (code) => reject(new Error(`the fake HubSpot exited (${code})`)));
  });
const hubspotUrl = String((await answer("url")).url);
const searchCount = async () => {
  const counted = answer("searches");
  fake.send("searches");
  return Number((await counted).searches);
};
const database = await benchDatabase(values.database === "embedded" ? "embedded" : "server");
const db = await openDatabase({ databaseUrl: database.url, dataDir: "" }, { migrate: false });
const repos = createRepositories(db);
const workspace = await repos.workspaces.ensure(`TCRM${Date.now()}`, "CRM bench");
const crm = {
  encryptionKey: Buffer.alloc(32, 1),
  hubspot: { apiUrl: hubspotUrl, app: undefined },
  salesforce: { loginUrl: hubspotUrl, app: undefined },
};
await connectCrm(
  { db, config: { crm }, now: () => new Date() },
  {
    workspaceId: workspace.id,
    credentials: { kind: "hubspot", accessToken: "pat" },
    connectedBy: "bench",
  },
);

// The heap at each quarter of the leads stored (the connection's count moves with each page's
// commit), after a collection when --expose-gc allows one: what the sync keeps, not its garbage.
const collect = (globalThis as { gc?: () => void }).gc;
const heapNow = () => {
  collect?.();
  return process.memoryUsage().heapUsed;
};
const heap: number[] = [];
const watch = setInterval(async () => {
  const stored = (await repos.crmConnections.get(workspace.id))?.counts.leadsCreated ?? 0;
  while (heap.length < 3 && stored >= (contacts * (heap.length + 1)) / 4) heap.push(heapNow());
}, 500);
const searchesBefore = await searchCount();
const started = performance.now();
const report = await syncCrm(
  { db, repos, config: { crm }, now: () => new Date(), tuning: { hubspotLimits: limits } },
  { workspaceId: workspace.id },
);
const seconds = (performance.now() - started) / 1000;
clearInterval(watch);
heap.push(heapNow());
const searches = (await searchCount()) - searchesBefore;
const rate = searches / seconds;
console.log(
  `${report.counts.leadsCreated} leads created, ${report.counts.outcomes} outcomes (error: ${report.error ?? "none"}) in ${seconds.toFixed(1)} s; ${searches} searches = ${rate.toFixed(2)}/s, ${((rate / limits.searchPerSecond) * 100).toFixed(1)} % of the allowed ${limits.searchPerSecond}/s`,
);
console.log(
  `heap used${collect ? " after collection" : ""} at 1/4, 2/4, 3/4 of the leads stored and at the end: ${heap.map(mib).join(", ")}; peak RSS ${mib(process.resourceUsage().maxRSS * 1024)}`,
);
await db.close();
await database.close();
fake.send("close");
