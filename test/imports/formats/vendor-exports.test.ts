import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Workspace } from "../../../src/domain/workspace.ts";
import {
  addCampaignAlias,
  listCampaignAliases,
  removeCampaignAlias,
} from "../../../src/services/campaign-aliases.ts";
import {
  type ImportCsvOptions,
  InvalidCsvError,
  importCsv,
} from "../../../src/services/import-csv.ts";
import { newWorkspace, suiteDatabase } from "../../support/database.ts";

// Each vendor's export imported as downloaded (fixtures written from the documented layouts; see
// each folder's NOTE.md): the leads, weeks, metric values and campaigns that result, exactly.

const FIXTURES = fileURLToPath(new URL("../../fixtures/imports/", import.meta.url));
const ZONE = "America/New_York";

const { db, repos } = suiteDatabase();
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "leadfit-vendor-exports-"));
});

afterAll(() => rm(dir, { recursive: true, force: true }));

async function workspaceWithAliases(aliases: Record<string, string>): Promise<Workspace> {
  const workspace = await newWorkspace(db.prisma, { timezone: ZONE });
  for (const [name, campaignKey] of Object.entries(aliases))
    await addCampaignAlias(
      { repos },
      {
        workspaceId: workspace.id,
        name,
        campaignKey,
        actor: "cli",
        newCampaign: "create",
      },
    );
  return workspace;
}

function run(options: Omit<ImportCsvOptions, "path"> & { file: string }) {
  const { file, ...rest } = options;
  return importCsv(
    { db, repos },
    { ...rest, path: file.startsWith("/") ? file : join(FIXTURES, file) },
  );
}

async function leadsOf(workspace: Workspace) {
  const leads = await db.prisma.lead.findMany({
    where: { workspaceId: workspace.id },
    include: { campaign: { select: { key: true } } },
    orderBy: { externalId: "asc" },
  });
  return leads.map((l) => ({
    id: l.externalId,
    email: l.email,
    name: l.name,
    campaign: l.campaign?.key ?? null,
    owner: l.owner,
    createdAt: l.createdAt.toISOString(),
    fields: l.fields as Record<string, unknown>,
  }));
}

async function metricValuesOf(workspace: Workspace) {
  const values = await db.prisma.metricValue.findMany({
    where: { workspaceId: workspace.id },
    include: { metric: { select: { key: true } } },
  });
  return values
    .map((v) => [
      v.periodStart.toISOString().slice(0, 10),
      v.campaignKey,
      v.metric.key,
      Number(v.value),
      v.source,
    ])
    .sort((a, b) => a.join("|").localeCompare(b.join("|")));
}

const CRM_CAMPAIGNS = { "Google brand": "google-brand", "LinkedIn ABM": "linkedin-abm" };

describe("HubSpot contacts export", () => {
  it("imports as downloaded: names joined, zone-less times in the workspace's zone, employees as numbers, countries as regions", async () => {
    const workspace = await workspaceWithAliases(CRM_CAMPAIGNS);
    const result = await run({ workspace, kind: "leads", file: "hubspot-contacts/contacts.csv" });
    expect(result.preview.format).toEqual({
      name: "hubspot-contacts",
      label: "HubSpot contacts export",
      recognised: true,
    });
    expect(result).toMatchObject({ created: 6, updated: 0, unchanged: 0 });
    expect(result.preview.weeks).toEqual([{ week: "2026-W47", values: 6 }]);
    expect(result.preview.unused).toEqual(["Phone Number", "Original Source Drill-Down 1"]);
    expect(result.preview.unmatchedOwners).toEqual([
      { name: "Dana Whitfield", rows: 3 },
      { name: "Priya Natarajan", rows: 2 },
    ]);
    const leads = await leadsOf(workspace);
    expect(leads.map((l) => [l.id, l.email, l.name, l.campaign, l.owner, l.createdAt])).toEqual([
      [
        "51230501",
        "maya.chen@northwind.example",
        "Maya Chen",
        "google-brand",
        "Dana Whitfield",
        "2026-11-16T14:12:00.000Z",
      ],
      [
        "51230502",
        "j.okafor@brightlane.example",
        "James Okafor",
        "google-brand",
        "Dana Whitfield",
        "2026-11-16T22:09:00.000Z",
      ],
      ["51230503", "sofia.ruiz@gmail.com", "Sofia Ruiz", null, null, "2026-11-17T13:30:00.000Z"],
      [
        "51230504",
        "l.becker@kraftwerk-it.example",
        "Lukas Becker",
        "linkedin-abm",
        "Priya Natarajan",
        "2026-11-18T19:45:00.000Z",
      ],
      [
        "51230505",
        "aiko.tanaka@sakura-retail.example",
        "Aiko Tanaka",
        "linkedin-abm",
        "Priya Natarajan",
        "2026-11-21T04:50:00.000Z",
      ],
      // Sunday 23:30 in New York is Monday in UTC: the lead stays in the week it was created in.
      [
        "51230506",
        "omar@haddad-consulting.example",
        "Omar Haddad",
        "google-brand",
        "Dana Whitfield",
        "2026-11-23T04:30:00.000Z",
      ],
    ]);
    expect(leads.map((l) => l.fields)).toMatchObject([
      { country: "United States", region: "NA", employees: 1200, industry: "COMPUTER_SOFTWARE" },
      { country: "United Kingdom", region: "EU", employees: 5200 },
      { country: "Brazil", region: "SA" },
      { country: "Germany", region: "EU", employees: 340 },
      { country: "Japan", region: "AS", employees: 45 },
      { country: "Canada", region: "NA", employees: 8 },
    ]);
  });

  it("imports the same export saved as .xlsx, dates as the spreadsheet's own", async () => {
    const workspace = await workspaceWithAliases(CRM_CAMPAIGNS);
    const text = await readFile(join(FIXTURES, "hubspot-contacts/contacts.csv"), "utf8");
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet("Contacts");
    text
      .trim()
      .split("\n")
      .forEach((line, i) => {
        const cells = line.slice(1, -1).split('","');
        // HubSpot's .xlsx writes Create Date as a date cell: a wall-clock time, no zone.
        const created = new Date(`${(cells[8] ?? "").replace(" ", "T")}:00Z`);
        sheet.addRow(i === 0 ? cells : cells.map((c, j) => (j === 8 ? created : c)));
      });
    const path = join(dir, "contacts.xlsx");
    await workbook.xlsx.writeFile(path);
    const result = await run({ workspace, kind: "leads", file: path });
    expect(result).toMatchObject({ created: 6 });
    expect((await leadsOf(workspace)).map((l) => l.createdAt)).toEqual([
      "2026-11-16T14:12:00.000Z",
      "2026-11-16T22:09:00.000Z",
      "2026-11-17T13:30:00.000Z",
      "2026-11-18T19:45:00.000Z",
      "2026-11-21T04:50:00.000Z",
      "2026-11-23T04:30:00.000Z",
    ]);
  });
});

describe("HubSpot leads export", () => {
  it('takes the email out of "Associated Contact" ("Name (email)")', async () => {
    const workspace = await workspaceWithAliases(CRM_CAMPAIGNS);
    const result = await run({ workspace, kind: "leads", file: "hubspot-leads/leads.csv" });
    expect(result.preview.format.name).toBe("hubspot-leads");
    expect((await leadsOf(workspace)).map((l) => [l.id, l.email, l.campaign, l.createdAt])).toEqual(
      [
        ["38000101", "maya.chen@northwind.example", "google-brand", "2026-11-16T15:02:00.000Z"],
        ["38000102", "l.becker@kraftwerk-it.example", "linkedin-abm", "2026-11-18T20:20:00.000Z"],
        ["38000103", "wei.chen@lotus-foods.example", null, "2026-11-19T16:00:00.000Z"],
      ],
    );
  });
});

describe("Salesforce report export", () => {
  it("skips the totals and footer lines, reads 5,200 as a number and a bare date as that local day", async () => {
    const workspace = await workspaceWithAliases({ "Q4 Webinar: Forecasting": "q4-webinar" });
    const result = await run({
      workspace,
      kind: "leads",
      file: "salesforce-report/leads-report.csv",
    });
    expect(result.preview.skipped).toEqual([
      { reason: "totals row", rows: 1, firstLine: 7, example: "Grand Totals (4 records)" },
      {
        reason: "footer",
        rows: 4,
        firstLine: 9,
        example: "Confidential Information - Do Not Distribute",
      },
    ]);
    expect(result.preview.weeks).toEqual([
      { week: "2026-W47", values: 3 },
      { week: "2026-W48", values: 1 },
    ]);
    const leads = await leadsOf(workspace);
    expect(leads.map((l) => [l.id, l.campaign, l.createdAt, l.fields.employees])).toEqual([
      ["00Q5g00000AbC01", "q4-webinar", "2026-11-16T05:00:00.000Z", 1200],
      ["00Q5g00000AbC02", "q4-webinar", "2026-11-16T05:00:00.000Z", 5200],
      ["00Q5g00000AbC03", "q4-webinar", "2026-11-22T05:00:00.000Z", 8],
      ["00Q5g00000AbC04", null, "2026-11-23T05:00:00.000Z", 45],
    ]);
  });

  it("refuses a campaign name no alias maps, naming it once with what to do, unless told to create it", async () => {
    const workspace = await newWorkspace(db.prisma, { timezone: ZONE });
    const file = "salesforce-report/leads-report.csv";
    const error = await run({ workspace, kind: "leads", file }).catch((e: unknown) => e);
    if (!(error instanceof InvalidCsvError)) throw new Error("the import was not refused");
    expect(error.issues).toEqual([
      {
        index: 2,
        field: "Campaign Name",
        message: expect.stringContaining(
          '"Q4 Webinar: Forecasting" (3 rows) is no campaign: map it with leadfit campaign alias add',
        ),
      },
    ]);
    expect(error.preview?.unmappedCampaigns).toEqual([
      { name: "Q4 Webinar: Forecasting", rows: 3, firstLine: 2 },
    ]);
    const created = await run({ workspace, kind: "leads", file, createCampaigns: true });
    expect(created).toMatchObject({ created: 4 });
    expect((await repos.campaigns.list(workspace.id)).map((c: { key: string }) => c.key)).toEqual([
      "Q4 Webinar: Forecasting",
    ]);
  });
});

describe("Salesforce Data Loader export", () => {
  it("reads ID and CREATEDDATE, and ISO times with +0000", async () => {
    const workspace = await newWorkspace(db.prisma, { timezone: ZONE });
    const result = await run({
      workspace,
      kind: "leads",
      file: "salesforce-dataloader/extract.csv",
    });
    expect(result.preview.format.name).toBe("salesforce-dataloader");
    expect((await leadsOf(workspace)).map((l) => [l.id, l.createdAt, l.fields.region])).toEqual([
      ["00Q5g00000AbC01", "2026-11-16T14:12:00.000Z", "NA"],
      ["00Q5g00000AbC02", "2026-11-16T09:30:00.000Z", "EU"],
      ["00Q5g00000AbC05", "2026-11-21T02:05:00.000Z", "AS"],
    ]);
  });
});

const GOOGLE_ADS_ALIASES = {
  "Brand | Exact | US": "google-brand",
  "Brand | Phrase | US": "google-brand",
  "NB | Competitors | US": "google-competitors",
};
const GOOGLE_ADS_VALUES = [
  ["2026-11-16", "google-brand", "clicks", 509, "google_ads"],
  ["2026-11-16", "google-brand", "impressions", 4331, "google_ads"],
  ["2026-11-16", "google-brand", "platform_conversions", 22, "google_ads"],
  ["2026-11-16", "google-brand", "spend", 1544.76, "google_ads"],
  ["2026-11-16", "google-competitors", "clicks", 0, "google_ads"],
  ["2026-11-16", "google-competitors", "impressions", 0, "google_ads"],
  ["2026-11-16", "google-competitors", "platform_conversions", 0, "google_ads"],
  ["2026-11-17", "google-brand", "clicks", 488, "google_ads"],
  ["2026-11-17", "google-brand", "impressions", 4118, "google_ads"],
  ["2026-11-17", "google-brand", "platform_conversions", 19, "google_ads"],
  ["2026-11-17", "google-brand", "spend", 1485.04, "google_ads"],
];

describe("Google Ads campaign report", () => {
  for (const file of ["campaign-report.csv", "campaign-report-excel.csv"])
    it(`${file}: skips the title and Total rows, adds up campaigns that share a key, one value per metric`, async () => {
      const workspace = await workspaceWithAliases(GOOGLE_ADS_ALIASES);
      const result = await run({ workspace, kind: "metrics", file: `google-ads/${file}` });
      expect(result.preview.format.name).toBe("google-ads");
      expect(result.preview.skipped.map((s) => [s.reason, s.rows])).toEqual([
        ["before the header", 2],
        ["totals row", 2],
      ]);
      expect(result.preview.defines).toEqual(["platform_conversions"]);
      expect(await metricValuesOf(workspace)).toEqual(GOOGLE_ADS_VALUES);
      // The week's spend is the account total the report prints, not a multiple of it.
      const spend = GOOGLE_ADS_VALUES.filter((v) => v[2] === "spend").reduce(
        (n, v) => n + Number(v[3]),
        0,
      );
      expect(spend).toBeCloseTo(3029.8, 6);
    });
});

describe("LinkedIn Campaign Manager export", () => {
  it("skips the preamble, reads 11/16/2026, keeps platform leads apart from the CRM's leads", async () => {
    const workspace = await workspaceWithAliases({
      "ABM | Decision makers | EU": "linkedin-abm",
      "ABM | Retargeting | EU": "linkedin-abm",
    });
    const result = await run({
      workspace,
      kind: "metrics",
      file: "linkedin-ads/campaign-performance.csv",
    });
    expect(result.preview.skipped).toEqual([
      {
        reason: "before the header",
        rows: 4,
        firstLine: 1,
        example: "Campaign Performance Report (in UTC)",
      },
    ]);
    expect(result.preview.notImported).toContain("Lead Forms Opened");
    expect(await metricValuesOf(workspace)).toEqual([
      ["2026-11-16", "linkedin-abm", "clicks", 186, "linkedin_ads"],
      ["2026-11-16", "linkedin-abm", "engagements", 402, "linkedin_ads"],
      ["2026-11-16", "linkedin-abm", "impressions", 21904, "linkedin_ads"],
      ["2026-11-16", "linkedin-abm", "platform_leads", 9, "linkedin_ads"],
      ["2026-11-16", "linkedin-abm", "spend", 1480.25, "linkedin_ads"],
      ["2026-11-17", "linkedin-abm", "clicks", 239, "linkedin_ads"],
      ["2026-11-17", "linkedin-abm", "engagements", 495, "linkedin_ads"],
      ["2026-11-17", "linkedin-abm", "impressions", 26360, "linkedin_ads"],
      ["2026-11-17", "linkedin-abm", "platform_leads", 13, "linkedin_ads"],
      ["2026-11-17", "linkedin-abm", "spend", 1722.1, "linkedin_ads"],
    ]);
  });
});

describe("GA4 traffic acquisition export", () => {
  it("skips # comments, reads 20261116, adds channel groups up to the company's sessions", async () => {
    const workspace = await newWorkspace(db.prisma, { timezone: ZONE });
    const result = await run({ workspace, kind: "metrics", file: "ga4/traffic-acquisition.csv" });
    expect(result.preview.skipped).toEqual([
      {
        reason: "comment",
        rows: 11,
        firstLine: 1,
        example: "# ----------------------------------------",
      },
    ]);
    expect(await metricValuesOf(workspace)).toEqual([
      ["2026-11-16", "", "sessions", 3272, "ga4"],
      ["2026-11-17", "", "sessions", 2076, "ga4"],
    ]);
  });
});

describe("a user's own mapping file", () => {
  it("reads semicolons, day-first dates in its zone, decimal commas, and maps owners to Slack users", async () => {
    const workspace = await newWorkspace(db.prisma, { timezone: ZONE });
    const result = await run({
      workspace,
      kind: "leads",
      file: "own-mapping/kontakte.csv",
      mappingFile: join(FIXTURES, "own-mapping/mapping.json"),
    });
    expect(result.preview.format).toEqual({
      name: "crm-export-de",
      label: "German CRM export",
      recognised: false,
    });
    expect(result.preview.unmatchedOwners).toEqual([{ name: "Jan Novak", rows: 1 }]);
    const leads = await leadsOf(workspace);
    expect(leads.map((l) => [l.id, l.campaign, l.owner, l.createdAt, l.fields])).toEqual([
      [
        "K-1",
        "spring-launch",
        "U04SALES1",
        "2026-11-16T08:30:00.000Z",
        { country: "Deutschland", region: "EMEA", employees: 1200, revenue: 1234567.5 },
      ],
      // A bare date is midnight in the mapping's zone (Berlin, winter time).
      [
        "K-2",
        null,
        "Jan Novak",
        "2026-02-28T23:00:00.000Z",
        { country: "Österreich", region: "EMEA", employees: 45 },
      ],
    ]);
  });
});

describe("campaign aliases", () => {
  it("removes an alias by its name in any case; removing one that is not there says so", async () => {
    const workspace = await workspaceWithAliases({
      "Brand | Exact | US": "google-brand",
      "Q4 Webinar: Forecasting": "q4-webinar",
    });
    await removeCampaignAlias(
      { repos },
      {
        workspaceId: workspace.id,
        name: " brand | exact | us ",
        actor: "cli",
      },
    );
    expect(await listCampaignAliases({ repos }, { workspaceId: workspace.id })).toEqual([
      { name: "Q4 Webinar: Forecasting", campaignKey: "q4-webinar" },
    ]);
    await expect(
      removeCampaignAlias(
        { repos },
        {
          workspaceId: workspace.id,
          name: "Brand | Exact | US",
          actor: "cli",
        },
      ),
    ).rejects.toMatchObject({ code: "not_found" });
  });
});
