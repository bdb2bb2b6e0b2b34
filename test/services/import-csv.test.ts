import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRepositories } from "../../src/db/repositories/index.ts";
import { WorkspaceRepository } from "../../src/db/repositories/workspace-repository.ts";
import { AppError } from "../../src/domain/app-error.ts";
import { IMPORT_LEASE_MS } from "../../src/domain/import-lease.ts";
import type { Workspace } from "../../src/domain/workspace.ts";
import {
  finishAbandonedImports,
  IMPORT_CHUNK_ROWS,
  SERVER_IMPORT_CHUNK_ROWS,
} from "../../src/services/apply-import.ts";
import {
  type ImportCsvOptions,
  type ImportProgress,
  InvalidCsvError,
  importCsv,
} from "../../src/services/import-csv.ts";
import { databaseUrl, newWorkspace, suiteDatabase } from "../support/database.ts";

const FIXTURES = fileURLToPath(new URL("../fixtures/csv/", import.meta.url));
const LEADS_CSV = join(FIXTURES, "leads.csv");
const METRICS_CSV = join(FIXTURES, "metrics.csv");
const HEADER = "external_id,email,name,company,title,campaign,owner,created_at,employees,region";

const { db } = suiteDatabase();
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "leadfit-import-"));
});

afterAll(() => rm(dir, { recursive: true, force: true }));

function run(options: Omit<ImportCsvOptions, "workspace"> & { workspace: Workspace }) {
  return importCsv({ db, repos: createRepositories(db) }, options);
}

let fileCount = 0;
async function csvFile(lines: string[]): Promise<string> {
  fileCount++;
  const path = join(dir, `file-${fileCount}.csv`);
  await writeFile(path, `${lines.join("\n")}\n`);
  return path;
}

function leadRows(n: number, prefix: string, campaign = "spring-launch"): string[] {
  return Array.from(
    { length: n },
    (_, i) =>
      `${prefix}-${i},person${i}@${prefix.toLowerCase()}.example.com,Person ${i},Company ${i},Buyer,${campaign},,2026-11-16T10:00:00+01:00,${50 + i},EU`,
  );
}

async function withSalesChannel(workspace: Workspace): Promise<Workspace> {
  await db.prisma.workspace.update({
    where: { id: workspace.id },
    data: { salesChannelId: "C0SALES" },
  });
  const updated = await new WorkspaceRepository(db.prisma).get(workspace.id);
  if (!updated) throw new Error("workspace vanished");
  return updated;
}

async function importError(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

/** Imports the lines as a CSV file of that kind, which must be refused: the error. */
async function refusal(
  workspace: Workspace,
  kind: ImportCsvOptions["kind"],
  lines: string[],
): Promise<AppError> {
  return importError(run({ workspace, kind, path: await csvFile(lines) }));
}

const where = (workspace: Workspace) => ({ where: { workspaceId: workspace.id } });

describe("importing leads from CSV", () => {
  it("stores the sample file, fields and campaigns included, and a re-import changes nothing", async () => {
    const workspace = await newWorkspace(db.prisma);
    const progress: ImportProgress[] = [];
    const result = await run({
      workspace,
      kind: "leads",
      path: LEADS_CSV,
      onProgress: (p) => progress.push(p),
    });
    expect(result).toMatchObject({
      rows: 20,
      created: 20,
      updated: 0,
      unchanged: 0,
      dryRun: false,
    });
    expect(await db.prisma.lead.count(where(workspace))).toBe(20);

    const campaigns = await db.prisma.campaign.findMany({
      ...where(workspace),
      select: { key: true },
    });
    expect(campaigns.map((c) => c.key).sort()).toEqual([
      "google-brand",
      "linkedin-abm",
      "q4-webinar",
    ]);

    const maya = await db.prisma.lead.findFirstOrThrow({
      where: { workspaceId: workspace.id, externalId: "CRM-10231" },
      include: { campaign: true },
    });
    expect(maya).toMatchObject({
      email: "maya.chen@northwind.io",
      name: "Maya Chen",
      company: "Northwind Analytics",
      title: "VP Marketing",
      owner: "U04SALES1",
      fields: { employees: "420", region: "NA", industry: "software" },
    });
    expect(maya.campaign?.key).toBe("q4-webinar");
    expect(maya.createdAt.toISOString()).toBe("2026-11-09T19:12:00.000Z");

    // Empty cells are absent: null for optional columns, not set for fields.
    const sofia = await db.prisma.lead.findFirstOrThrow({
      where: { workspaceId: workspace.id, externalId: "CRM-10233" },
    });
    expect(sofia.company).toBeNull();
    expect(sofia.owner).toBeNull();
    expect(sofia.fields).toEqual({ region: "LATAM", industry: "education" });
    // A quoted cell with a comma.
    const wei = await db.prisma.lead.findFirstOrThrow({
      where: { workspaceId: workspace.id, externalId: "CRM-10249" },
    });
    expect(wei.company).toBe("Lotus Group, Ltd.");

    expect(progress.map((p) => p.phase)).not.toContain("validating");
    expect(progress.map((p) => p.phase)).toContain("writing");
    expect(progress.at(-1)).toMatchObject({ phase: "applying", rows: 20 });
    expect(progress.at(-1)?.bytes).toBe(progress.at(-1)?.totalBytes);

    const again = await run({ workspace, kind: "leads", path: LEADS_CSV });
    expect(again).toMatchObject({ rows: 20, created: 0, updated: 0, unchanged: 20, dryRun: false });
  });

  it("counts changed leads as updated", async () => {
    const workspace = await newWorkspace(db.prisma);
    await run({ workspace, kind: "leads", path: await csvFile([HEADER, ...leadRows(3, "U")]) });
    const changed = leadRows(3, "U");
    changed[1] = changed[1]?.replace(",EU", ",NA") ?? "";
    const result = await run({
      workspace,
      kind: "leads",
      path: await csvFile([HEADER, ...changed]),
    });
    expect(result).toMatchObject({ rows: 3, created: 0, updated: 1, unchanged: 2 });
  });

  it("reads header names case-insensitively and trimmed, with a BOM and CRLF", async () => {
    const workspace = await newWorkspace(db.prisma);
    const path = join(dir, "excel.csv");
    await writeFile(
      path,
      "\ufeff External_ID ,EMAIL,Created_At,Employees\r\nX-1,Ann@Example.com,2026-11-16T10:00:00Z,80\r\n",
    );
    const result = await run({ workspace, kind: "leads", path });
    expect(result).toMatchObject({ rows: 1, created: 1 });
    const lead = await db.prisma.lead.findFirstOrThrow(where(workspace));
    expect(lead).toMatchObject({ externalId: "X-1", email: "ann@example.com" });
    expect(lead.fields).toEqual({ employees: "80" });
  });

  it("queues one summary message for more than ten new leads when a sales channel is set", async () => {
    const workspace = await withSalesChannel(await newWorkspace(db.prisma));
    await run({ workspace, kind: "leads", path: LEADS_CSV });
    const outbox = await db.prisma.cardOutbox.findMany(where(workspace));
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({ kind: "lead_summary", payload: { count: 20 } });
  });

  it("names the campaign in the summary when all new leads share it", async () => {
    const workspace = await withSalesChannel(await newWorkspace(db.prisma));
    await run({ workspace, kind: "leads", path: await csvFile([HEADER, ...leadRows(12, "S")]) });
    const outbox = await db.prisma.cardOutbox.findMany(where(workspace));
    expect(outbox.map((o) => o.kind)).toEqual(["lead_summary"]);
    expect(outbox[0]?.payload).toEqual({ count: 12, campaignKey: "spring-launch" });
  });

  it("queues a card for each of a few new leads", async () => {
    const workspace = await withSalesChannel(await newWorkspace(db.prisma));
    await run({ workspace, kind: "leads", path: await csvFile([HEADER, ...leadRows(3, "C")]) });
    const outbox = await db.prisma.cardOutbox.findMany(where(workspace));
    expect(outbox.map((o) => o.kind)).toEqual(["lead_card", "lead_card", "lead_card"]);
  });

  it("queues no card before a sales channel is set", async () => {
    const workspace = await newWorkspace(db.prisma);
    await run({ workspace, kind: "leads", path: await csvFile([HEADER, ...leadRows(3, "N")]) });
    expect(await db.prisma.cardOutbox.count(where(workspace))).toBe(0);
  });

  it("reports every problem with its line and column, and writes nothing", async () => {
    const workspace = await newWorkspace(db.prisma);
    await run({ workspace, kind: "leads", path: await csvFile([HEADER, ...leadRows(2, "OLD")]) });
    const before = await db.prisma.lead.count(where(workspace));
    const error = await refusal(workspace, "leads", [
      HEADER, // line 1
      "A-1,ann@example.com,Ann,Acme,CTO,fall,,2026-11-16T10:00:00Z,100,EU", // 2
      "A-2,not-an-email,Bob,Acme,CTO,fall,,2026-11-16T10:00:00Z,100,EU", // 3
      "A-3,cy@example.com,Cy,Acme,CTO,fall,,2026-11-16T10:00:00Z,100,EU", // 4
      "A-4,di@example.com,Di,Acme,CTO,fall,,16/11/2026,100,EU", // 5
      ",ed@example.com,Ed,Acme,CTO,fall,,2026-11-16T10:00:00Z,100,EU", // 6
      "A-1,fay@example.com,Fay,Acme,CTO,fall,,2026-11-16T10:00:00Z,100,EU", // 7
    ]);
    expect(error.code).toBe("invalid_csv");
    expect(error).toBeInstanceOf(InvalidCsvError);
    expect(error.userMessage).toContain("nothing was written");
    expect(error.issues.map((i) => [i.index, i.field])).toEqual([
      [3, "email"],
      [5, "created_at"],
      [6, "external_id"],
      [7, "external_id"],
    ]);
    expect(error.issues[0]?.message).toBe("A valid email address");
    expect(error.issues[3]?.message).toContain("line 2");
    expect(await db.prisma.lead.count(where(workspace))).toBe(before);
    expect(
      await db.prisma.campaign.count({ where: { workspaceId: workspace.id, key: "fall" } }),
    ).toBe(0);
  });

  it("writes nothing when only the last row of a large file is bad", async () => {
    const workspace = await newWorkspace(db.prisma);
    const rows = leadRows(2500, "L");
    rows.push("L-last,broken,,,,spring-launch,,2026-11-16T10:00:00Z,1,EU");
    const error = await refusal(workspace, "leads", [HEADER, ...rows]);
    expect(error.issues).toEqual([
      { index: 2502, field: "email", message: "A valid email address" },
    ]);
    expect(await db.prisma.lead.count(where(workspace))).toBe(0);
  });

  it("reports a missing required column once, before any row", async () => {
    const workspace = await newWorkspace(db.prisma);
    const error = await refusal(workspace, "leads", [
      "external_id,name,created_at",
      "A-1,Ann,2026-11-16T10:00:00Z",
      "A-2,Bob,not a time",
    ]);
    expect(error.issues).toEqual([
      {
        index: 1,
        field: "email",
        message: expect.stringContaining("Missing required column email"),
      },
    ]);
  });

  it("refuses a field column whose name the API would refuse, once", async () => {
    const workspace = await newWorkspace(db.prisma);
    const error = await refusal(workspace, "leads", [
      "external_id,email,created_at,annual revenue",
      "A-1,ann@example.com,2026-11-16T10:00:00Z,5M",
    ]);
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]).toMatchObject({ index: 1, field: "annual revenue" });
  });

  it("reports CSV syntax errors with their line and carries on", async () => {
    const workspace = await newWorkspace(db.prisma);
    const error = await refusal(workspace, "leads", [
      "external_id,email,created_at",
      "A-1,ann@example.com,2026-11-16T10:00:00Z",
      ",,", // a spreadsheet's empty row: skipped
      "A-2,bob@example.com,2026-11-16T10:00:00Z,extra",
      "A-3,nope,2026-11-16T10:00:00Z",
    ]);
    expect(error.issues.map((i) => [i.index, i.field])).toEqual([
      [4, "(row)"],
      [5, "email"],
    ]);
    expect(error.issues[0]?.message).toContain("4 cells where the header has 3 columns");
  });

  it("gives the line a row starts on when a quoted cell spans lines, and finds an unclosed quote", async () => {
    const workspace = await newWorkspace(db.prisma);
    const error = await refusal(workspace, "leads", [
      "external_id,email,title,created_at",
      'A-1,ann@example.com,"Head of\nGrowth",2026-11-16T10:00:00Z', // lines 2-3
      "A-2,bad,CTO,2026-11-16T10:00:00Z", // line 4
      'A-3,cy@example.com,"CEO,2026-11-16T10:00:00Z', // line 5: never closed
      "A-4,di@example.com,CFO,2026-11-16T10:00:00Z",
    ]);
    expect(error.issues.map((i) => [i.index, i.field])).toEqual([
      [4, "email"],
      [6, "(row)"], // where the file ends, still inside the quote
    ]);
    expect(error.issues[1]?.message).toContain("never closed");
  });

  it("keeps the first 1,000 problems and counts them all", async () => {
    const workspace = await newWorkspace(db.prisma);
    const rows = Array.from({ length: 1200 }, (_, i) => `M-${i},nope,2026-11-16T10:00:00Z`);
    const error = await refusal(workspace, "leads", ["external_id,email,created_at", ...rows]);
    expect(error).toBeInstanceOf(InvalidCsvError);
    expect(error.issues).toHaveLength(1000);
    expect((error as InvalidCsvError).problemCount).toBe(1200);
    expect(error.userMessage).toBe(
      `file-${fileCount}.csv has 1,200 problems; nothing was written.`,
    );
  });

  it("refuses a header naming a column twice", async () => {
    const workspace = await newWorkspace(db.prisma);
    const error = await refusal(workspace, "leads", [
      "external_id,email,created_at,Region,region",
      "A-1,ann@example.com,2026-11-16T10:00:00Z,EU,NA",
    ]);
    expect(error.issues).toEqual([
      { index: 1, field: "region", message: "The header names this column 2 times" },
    ]);
  });

  it("refuses an empty file and a missing one", async () => {
    const workspace = await newWorkspace(db.prisma);
    const empty = join(dir, "empty.csv");
    await writeFile(empty, "");
    const error = await importError(run({ workspace, kind: "leads", path: empty }));
    expect(error.issues[0]?.message).toContain("The file is empty");
    const missing = await importError(
      run({ workspace, kind: "leads", path: join(dir, "nope.csv") }),
    );
    expect(missing.code).toBe("file_not_found");
  });

  it("validates and writes nothing in a dry run", async () => {
    const workspace = await newWorkspace(db.prisma);
    const result = await run({ workspace, kind: "leads", path: LEADS_CSV, dryRun: true });
    expect(result).toMatchObject({ rows: 20, created: 0, updated: 0, unchanged: 0, dryRun: true });
    expect(await db.prisma.lead.count(where(workspace))).toBe(0);
    expect(await db.prisma.campaign.count(where(workspace))).toBe(0);
    const bad = await csvFile(["external_id,email,created_at", "A-1,x,2026-11-16T10:00:00Z"]);
    const error = await importError(run({ workspace, kind: "leads", path: bad, dryRun: true }));
    expect(error.issues).toHaveLength(1);
  });

  // One chunk of a server's size and a part one: what a file of any size goes through. Speed and
  // memory on large files are bench/import-memory's to measure, not a test's.
  it("imports leads in a PostgreSQL server's larger chunks, the last one part full", async () => {
    const rows = SERVER_IMPORT_CHUNK_ROWS + 50;
    const workspace = await newWorkspace(db.prisma);
    const path = await csvFile([HEADER, ...leadRows(rows, "BIG")]);
    const applied: number[] = [];
    const result = await importCsv(
      { db: { ...db, embedded: false }, repos: createRepositories(db) },
      {
        workspace,
        kind: "leads",
        path,
        onProgress: (p) => {
          if (p.phase === "applying") applied.push(p.rows);
        },
      },
    );
    expect(applied).toEqual([SERVER_IMPORT_CHUNK_ROWS, rows]);
    expect(result).toMatchObject({ rows, created: rows, updated: 0, unchanged: 0, dryRun: false });
    expect(await db.prisma.lead.count(where(workspace))).toBe(rows);
  });
});

describe("importing metrics from CSV", () => {
  it("stores day and week values, company-wide and per campaign, idempotently", async () => {
    const workspace = await newWorkspace(db.prisma);
    const result = await run({ workspace, kind: "metrics", path: METRICS_CSV });
    expect(result).toMatchObject({
      rows: 21,
      created: 21,
      updated: 0,
      unchanged: 0,
      dryRun: false,
    });
    const values = await db.prisma.metricValue.findMany({
      ...where(workspace),
      include: { metric: { select: { key: true } } },
    });
    expect(values).toHaveLength(21);
    const weeks = values.filter(
      (v) => v.metric.key === "spend" && v.campaignKey === "q4-webinar" && v.granularity === "week",
    );
    // 2026-W45 to W47: stored as their Mondays.
    expect(weeks.map((v) => v.periodStart.toISOString().slice(0, 10)).sort()).toEqual([
      "2026-11-02",
      "2026-11-09",
      "2026-11-16",
    ]);
    const week = weeks[0];
    expect(week?.source).toBe("csv");
    const nps = values.filter((v) => v.metric.key === "nps");
    expect(nps.map((v) => [v.campaignKey, v.source])).toEqual([
      ["", "csv"],
      ["", "csv"],
      ["", "csv"],
    ]);
    const day = values.find((v) => v.granularity === "day" && v.metric.key === "spend");
    expect(day?.source).toBe("google_ads");
    expect(Number(day?.value)).toBeGreaterThan(0);
    expect(
      await db.prisma.campaign.count({
        where: { workspaceId: workspace.id, key: { in: ["q4-webinar", "google-brand"] } },
      }),
    ).toBe(2);

    const again = await run({ workspace, kind: "metrics", path: METRICS_CSV });
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 21 });
  });

  it("names an unknown metric key with its line, and other problems, writing nothing", async () => {
    const workspace = await newWorkspace(db.prisma);
    const error = await refusal(workspace, "metrics", [
      "Metric,Campaign,Period,Value,Source",
      "spend,fall,2026-W47,100,",
      "tiktok_views,fall,2026-W47,100,",
      "spend,fall,2026-W99,100,",
      "spend,fall,2026-11-16,lots,",
      "spend,fall,2026-W47,120,",
    ]);
    expect(error.issues.map((i) => [i.index, i.field])).toEqual([
      [3, "metric"],
      [4, "period"],
      [5, "value"],
      [6, "metric"],
    ]);
    expect(error.issues[0]?.message).toContain('Unknown metric "tiktok_views"');
    expect(await db.prisma.metricValue.count(where(workspace))).toBe(0);
  });

  it("refuses a column metric files do not have", async () => {
    const workspace = await newWorkspace(db.prisma);
    const error = await refusal(workspace, "metrics", [
      "metric,period,value,notes",
      "spend,2026-W47,1,hi",
    ]);
    expect(error.issues).toEqual([
      { index: 1, field: "notes", message: expect.stringContaining("Unknown column") },
    ]);
  });

  it("validates and writes nothing in a dry run", async () => {
    const workspace = await newWorkspace(db.prisma);
    const result = await run({ workspace, kind: "metrics", path: METRICS_CSV, dryRun: true });
    expect(result).toMatchObject({ rows: 21, created: 0, updated: 0, unchanged: 0, dryRun: true });
    expect(await db.prisma.metricValue.count(where(workspace))).toBe(0);
  });
});

describe("lead owners written as emails", () => {
  it("become Slack users, one lookup per distinct email; the others are listed as unmatched", async () => {
    const workspace = await newWorkspace(db.prisma);
    const lookedUp: string[] = [];
    const slack = {
      gatewayIfInstalled: async () => ({
        userIdByEmail: async (email: string) => {
          lookedUp.push(email);
          return email === "alice@northwind.io" ? "U0ALICE01" : undefined;
        },
      }),
    };
    const rows = leadRows(4, "OWN").map((row, i) =>
      row.replace(
        ",Buyer,spring-launch,,",
        `,Buyer,spring-launch,${["alice@northwind.io", "Alice@Northwind.io", "bob@northwind.io", "U0CAROL01"][i]},`,
      ),
    );
    const path = await csvFile([HEADER, ...rows]);
    const deps = { db, repos: createRepositories(db), slack };
    const dry = await importCsv(deps, { workspace, kind: "leads", path, dryRun: true });
    expect(dry.preview.unmatchedOwners).toEqual([{ name: "bob@northwind.io", rows: 1 }]);
    expect(lookedUp).toEqual(["alice@northwind.io", "bob@northwind.io"]);

    const result = await importCsv(deps, { workspace, kind: "leads", path });
    expect(result.preview.unmatchedOwners).toEqual([{ name: "bob@northwind.io", rows: 1 }]);
    const owners = await db.prisma.lead.findMany({
      ...where(workspace),
      select: { externalId: true, owner: true },
      orderBy: { externalId: "asc" },
    });
    expect(owners.map((o) => o.owner)).toEqual([
      "U0ALICE01",
      "U0ALICE01",
      "bob@northwind.io",
      "U0CAROL01",
    ]);
  });
});

describe("importing outcomes from CSV", () => {
  const OUTCOMES = "external_id,lead,type,at,amount";

  async function workspaceWithLeads(prefix: string): Promise<Workspace> {
    const workspace = await newWorkspace(db.prisma);
    const path = await csvFile([HEADER, ...leadRows(3, prefix)]);
    await run({ workspace, kind: "leads", path });
    return workspace;
  }

  it("stores opportunities, wins and losses of known leads; the same file again changes nothing", async () => {
    const workspace = await workspaceWithLeads("OUT");
    const path = await csvFile([
      OUTCOMES,
      "OPP-1,OUT-0,opportunity,2026-11-20T10:00:00Z,12000",
      "OPP-1,OUT-0,won,2026-12-01,15000.50",
      "OPP-2,OUT-1,lost,2026-12-02 09:30,",
    ]);
    const result = await run({ workspace, kind: "outcomes", path, timeZone: "Europe/Berlin" });
    expect(result).toMatchObject({ rows: 3, created: 3, updated: 0, unchanged: 0 });
    const stored = await db.prisma.outcome.findMany({
      where: { workspaceId: workspace.id },
      select: {
        externalId: true,
        type: true,
        at: true,
        amount: true,
        lead: { select: { externalId: true } },
      },
      orderBy: [{ externalId: "asc" }, { at: "asc" }],
    });
    expect(
      stored.map((o) => [
        o.externalId,
        o.lead.externalId,
        o.type,
        o.at.toISOString(),
        o.amount?.toString() ?? null,
      ]),
    ).toEqual([
      ["OPP-1", "OUT-0", "opportunity", "2026-11-20T10:00:00.000Z", "12000"],
      // A date without a time is that day in the zone given: midnight in Berlin.
      ["OPP-1", "OUT-0", "won", "2026-11-30T23:00:00.000Z", "15000.5"],
      ["OPP-2", "OUT-1", "lost", "2026-12-02T08:30:00.000Z", null],
    ]);
    const again = await run({ workspace, kind: "outcomes", path, timeZone: "Europe/Berlin" });
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 3 });
  });

  it("refuses a file naming leads Leadfit does not have, each named by line, and writes nothing", async () => {
    const workspace = await workspaceWithLeads("KNOWN");
    const error = await refusal(workspace, "outcomes", [
      OUTCOMES,
      "OPP-1,KNOWN-0,opportunity,2026-11-20T10:00:00Z,100",
      "OPP-2,NOBODY-1,won,2026-11-21T10:00:00Z,200",
      "OPP-3,NOBODY-2,lost,2026-11-22T10:00:00Z,",
    ]);
    expect(error).toBeInstanceOf(InvalidCsvError);
    expect(error.issues).toEqual([
      { index: 3, field: "lead", message: "No lead with externalId NOBODY-1" },
      { index: 4, field: "lead", message: "No lead with externalId NOBODY-2" },
    ]);
    expect(await db.prisma.outcome.count(where(workspace))).toBe(0);
    expect(await db.prisma.importRun.count(where(workspace))).toBe(1); // the leads' import only
  });

  it("refuses an outcome listed twice, an unknown type and a missing time, with their lines", async () => {
    const workspace = await workspaceWithLeads("BAD");
    const error = await refusal(workspace, "outcomes", [
      OUTCOMES,
      "OPP-1,BAD-0,won,2026-11-20T10:00:00Z,100",
      "OPP-1,BAD-0,won,2026-11-21T10:00:00Z,100",
      "OPP-2,BAD-1,closed,2026-11-21T10:00:00Z,",
      "OPP-3,BAD-2,lost,,",
    ]);
    expect(error.issues.map((i) => [i.index, i.field])).toEqual([
      [3, "type"],
      [4, "type"],
      [5, "at"],
    ]);
    expect(error.issues[0]?.message).toContain("already appears on line 2");
    expect(await db.prisma.outcome.count(where(workspace))).toBe(0);
  });

  it("validates and writes nothing in a dry run", async () => {
    const workspace = await workspaceWithLeads("DRY");
    const path = await csvFile([OUTCOMES, "OPP-1,DRY-0,opportunity,2026-11-20T10:00:00Z,100"]);
    const result = await run({ workspace, kind: "outcomes", path, dryRun: true });
    expect(result.preview).toMatchObject({
      format: { name: "leadfit", label: "Leadfit outcomes", recognised: true },
      values: 1,
      weeks: [{ week: "2026-W47", values: 1 }],
    });
    expect(await db.prisma.outcome.count(where(workspace))).toBe(0);
  });
});

describe("stall #4: an import never stops other connections from being answered", () => {
  const ROWS = 600;

  it("answers another connection while the import is under way; the reader sees whole chunks", async () => {
    const workspace = await newWorkspace(db.prisma);
    const path = await csvFile([HEADER, ...leadRows(ROWS, "STALL")]);
    const reader = new pg.Client({ connectionString: databaseUrl });
    await reader.connect();
    let finished = false;
    let seen: { leads: number; duringImport: boolean } | undefined;
    try {
      const importing = run({
        workspace,
        kind: "leads",
        path,
        onProgress: async (p) => {
          if (seen || p.phase !== "applying") return;
          seen = { leads: -1, duringImport: false };
          const { rows } = await reader.query<{ n: number }>(
            `select count(*)::int as n from lead where "workspaceId" = $1`,
            [workspace.id],
          );
          seen = { leads: rows[0]?.n ?? -1, duringImport: !finished };
        },
      }).finally(() => {
        finished = true;
      });
      expect(await importing).toMatchObject({ rows: ROWS, created: ROWS });
      await expect.poll(() => seen?.leads).toBeGreaterThanOrEqual(0);
      expect(seen?.duringImport).toBe(true);
      // What a reader sees between chunks: the chunks applied so far, in file order.
      expect(seen?.leads).toBe(IMPORT_CHUNK_ROWS);
    } finally {
      await reader.end();
    }
  });
});

describe("stall #4: an import stopped midway never stays half done", () => {
  const ROWS = 600;
  const halted = new Error("the importer stopped here");
  const deps = (now?: () => Date) => ({ db, repos: createRepositories(db), now });
  /** Another leadfit process, once the stopped importer's lease has run out. */
  const later = () => new Date(Date.now() + IMPORT_LEASE_MS + 60_000);
  const importState = async (workspace: Workspace) => ({
    leads: await db.prisma.lead.count(where(workspace)),
    runs: await db.prisma.importRun.findMany({
      ...where(workspace),
      select: { state: true, _count: { select: { staged: true } } },
    }),
  });

  it("stopped between chunks, it is finished whole by the next process (roll-forward)", async () => {
    const workspace = await withSalesChannel(await newWorkspace(db.prisma));
    const path = await csvFile([HEADER, ...leadRows(ROWS, "HALF", "one-campaign")]);
    const stopped = run({
      workspace,
      kind: "leads",
      path,
      onProgress: (p) => {
        if (p.phase === "applying") throw halted;
      },
    });
    const error = await importError(stopped);
    expect(error).toMatchObject({ code: "import_interrupted", cause: halted });
    expect(error.userMessage).toContain(`stopped after ${IMPORT_CHUNK_ROWS} of ${ROWS} rows`);
    // Until it is finished, readers see the chunks applied so far.
    expect(await importState(workspace)).toEqual({
      leads: IMPORT_CHUNK_ROWS,
      runs: [{ state: "applying", _count: { staged: ROWS - IMPORT_CHUNK_ROWS } }],
    });
    // Its lease has not run out: nobody else takes it over yet.
    await finishAbandonedImports(deps());
    expect((await importState(workspace)).leads).toBe(IMPORT_CHUNK_ROWS);

    expect(await finishAbandonedImports(deps(later))).toBeGreaterThanOrEqual(1);
    expect(await importState(workspace)).toEqual({
      leads: ROWS,
      runs: [{ state: "done", _count: { staged: 0 } }],
    });
    // The one summary card of the whole import, queued once.
    const cards = await db.prisma.cardOutbox.findMany({
      ...where(workspace),
      select: { kind: true, payload: true },
    });
    expect(cards).toEqual([
      { kind: "lead_summary", payload: { count: ROWS, campaignKey: "one-campaign" } },
    ]);
  });

  it("stopped while staging, it is discarded: nothing lands", async () => {
    const workspace = await newWorkspace(db.prisma);
    const path = await csvFile([HEADER, ...leadRows(ROWS, "GONE")]);
    const stopped = run({
      workspace,
      kind: "leads",
      path,
      onProgress: (p) => {
        // The end of the file: every full chunk is staged, nothing applied.
        if (p.phase === "writing" && p.rows === ROWS) throw halted;
      },
    });
    await expect(stopped).rejects.toBe(halted);
    expect(await importState(workspace)).toEqual({ leads: 0, runs: [] });
  });

  it("abandoned while staging by a process that died, the next process discards it", async () => {
    const workspace = await newWorkspace(db.prisma);
    const repos = createRepositories(db);
    const id = await repos.imports.start(workspace.id, "leads", new Date());
    await repos.imports.stage(id, 0, [{ externalId: "never" }], new Date());
    expect(await importState(workspace)).toEqual({
      leads: 0,
      runs: [{ state: "staging", _count: { staged: 1 } }],
    });
    await finishAbandonedImports(deps(later));
    expect(await importState(workspace)).toEqual({ leads: 0, runs: [] });
  });
});
