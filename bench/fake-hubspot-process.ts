// The fake HubSpot of bench/crm-sync in a process of its own, so the bench's memory and CPU
// figures are the sync's alone. Started by the bench with `fork`; it seeds the contacts, sends
// `{ url }` once it listens, answers `{ searches }` to `"searches"` and stops on `"close"`.
//   contacts: one in ten at the opportunity stage (an outcome each), owners among ten, campaigns
//   among twenty, one change every 30 seconds over the last 60 days.
import { parseArgs } from "node:util";
import { startFakeHubSpot } from "../test/fakes/fake-hubspot.ts";

const { values } = parseArgs({
  options: {
    contacts: { type: "string" },
    "per-ten-seconds": { type: "string" },
    "search-per-second": { type: "string" },
  },
});
const contacts = Number(values.contacts);
const hubspot = await startFakeHubSpot({
  perTenSeconds: Number(values["per-ten-seconds"]),
  searchPerSecond: Number(values["search-per-second"]),
});
const OWNERS = 10;
for (let o = 0; o < OWNERS; o++)
  hubspot.addOwner({ id: String(500 + o), email: `rep${o}@bench.test` });
const base = Date.now() - 60 * 86_400_000;
for (let i = 0; i < contacts; i++) {
  const at = new Date(base + i * 30_000);
  hubspot.upsertContact(
    String(100_000 + i),
    {
      email: `contact${i}@bench.test`,
      firstname: "Bench",
      lastname: String(i),
      company: `Bench Co ${i % 997}`,
      jobtitle: "CMO",
      hubspot_owner_id: String(500 + (i % OWNERS)),
      utm_campaign: `campaign-${i % 20}`,
      numemployees: String(10 + (i % 2000)),
      country: "Germany",
      lifecyclestage: i % 10 === 0 ? "opportunity" : "lead",
      hs_lifecyclestage_opportunity_date: i % 10 === 0 ? at.toISOString() : null,
    },
    at,
  );
}

const send = (message: object) => process.send?.(message);
process.on("message", (message) => {
  if (message === "searches")
    send({ searches: hubspot.calls("/crm/v3/objects/contacts/search").length });
  if (message === "close") void hubspot.close().then(() => process.exit(0));
});
send({ url: hubspot.url });
