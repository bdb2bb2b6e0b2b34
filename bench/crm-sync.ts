// A HubSpot backfill of many contacts from the fake HubSpot, at the documented limits of the
// lowest tier (5 searches per second, 100 requests per 10 seconds): how close the sync comes to
// the allowed search rate, and whether its memory stays flat as pages go by.
//   node --import tsx bench/crm-sync.ts [--contacts 100000] [--database server|embedded]
import { parseArgs } from "node:util";
import { openDatabase } from "../src/db/database.ts";
import { createRepositories } from "../src/db/repositories/index.ts";
import { connectCrm } from "../src/services/connect-crm.ts";
import { syncCrm } from "../src/services/sync-crm.ts";
import { startFakeHubSpot } from "../test/fakes/fake-hubspot.ts";
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
const hubspot = await startFakeHubSpot(limits);
const base = Date.now() - 60 * 86_400_000;
for (let i = 0; i < contacts; i++) {
  hubspot.upsertContact(
    String(100_000 + i),
    {
      email: `contact${i}@bench.test`,
      firstname: "Bench",
      lastname: String(i),
      company: "Bench Co",
    },
    new Date(base + i * 30_000),
  );
}
const database = await benchDatabase(values.database === "embedded" ? "embedded" : "server");
const db = await openDatabase({ databaseUrl: database.url, dataDir: "" }, { migrate: false });
const repos = createRepositories(db);
const workspace = await repos.workspaces.ensure(`TCRM${Date.now()}`, "CRM bench");
const crm = {
  encryptionKey: Buffer.alloc(32, 1),
  hubspot: { apiUrl: hubspot.url, app: undefined },
  salesforce: { loginUrl: hubspot.url, app: undefined },
};
await connectCrm(
  { crmConnections: repos.crmConnections, config: { crm }, now: () => new Date() },
  {
    workspaceId: workspace.id,
    credentials: { kind: "hubspot", accessToken: "pat" },
    connectedBy: "bench",
  },
);

const heap: number[] = [];
let peakRss = 0;
const sample = setInterval(() => {
  const usage = process.memoryUsage();
  peakRss = Math.max(peakRss, usage.rss);
  heap.push(usage.heapUsed);
}, 1_000);
const searchesBefore = hubspot.calls("/crm/v3/objects/contacts/search").length;
const started = performance.now();
const report = await syncCrm(
  { db, repos, config: { crm }, now: () => new Date(), tuning: { hubspotLimits: limits } },
  { workspaceId: workspace.id },
);
const seconds = (performance.now() - started) / 1000;
clearInterval(sample);
const searches = hubspot.calls("/crm/v3/objects/contacts/search").length - searchesBefore;
const rate = searches / seconds;
const quarter = (q: number) =>
  mib(heap[Math.min(heap.length - 1, Math.floor((heap.length * q) / 4))] ?? 0);
console.log(
  `${report.counts.leadsCreated} leads created (error: ${report.error ?? "none"}) in ${seconds.toFixed(1)} s; ${searches} searches = ${rate.toFixed(2)}/s, ${((rate / limits.searchPerSecond) * 100).toFixed(1)} % of the allowed ${limits.searchPerSecond}/s`,
);
console.log(
  `heap used at 1/4, 2/4, 3/4, end of the sync: ${[1, 2, 3, 4].map(quarter).join(", ")}; peak RSS ${mib(peakRss)} (the fake's ${contacts} contacts live in the same process)`,
);
await db.close();
await database.close();
await hubspot.close();
