import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Workspace } from "../../../src/domain/workspace.ts";
import { progressBar } from "../../../src/inbound/cli/progress.ts";
import { runLeadfit } from "../../support/cli.ts";
import { newWorkspace, suiteDatabase } from "../../support/database.ts";

const FIXTURES = fileURLToPath(new URL("../../fixtures/csv/", import.meta.url));

describe("leadfit import", () => {
  const { db } = suiteDatabase();
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "leadfit-cli-import-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const leadfit = (workspace: Workspace, ...args: string[]) =>
    runLeadfit([...args, "--workspace", workspace.id], { timeoutMs: 120_000 });
  const count = (workspace: Workspace) =>
    db.prisma.lead.count({ where: { workspaceId: workspace.id } });

  it("imports the sample leads, then their outcomes, and prints a one-line summary", async () => {
    const workspace = await newWorkspace(db.prisma);
    const result = leadfit(workspace, "import", "leads", join(FIXTURES, "leads.csv"));
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      "Imported 20 leads from leads.csv: 20 created, 0 updated, 0 unchanged.\n",
    );
    expect(await count(workspace)).toBe(20);
    const again = leadfit(workspace, "import", "leads", join(FIXTURES, "leads.csv"));
    expect(again.stdout).toContain("0 created, 0 updated, 20 unchanged.");
    // Outcomes of those leads.
    const outcomes = leadfit(workspace, "import", "outcomes", join(FIXTURES, "outcomes.csv"));
    expect(outcomes.stdout).toBe(
      "Imported 5 outcomes from outcomes.csv: 5 created, 0 updated, 0 unchanged.\n",
    );
    expect(await db.prisma.outcome.count({ where: { workspaceId: workspace.id } })).toBe(5);
  });

  it("imports the sample metrics", async () => {
    const workspace = await newWorkspace(db.prisma);
    const result = leadfit(workspace, "import", "metrics", join(FIXTURES, "metrics.csv"));
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      "Imported 21 metric values from metrics.csv: 21 created, 0 updated, 0 unchanged.\n",
    );
  });

  it("checks a file without writing it with --dry-run", async () => {
    const workspace = await newWorkspace(db.prisma);
    const result = leadfit(workspace, "import", "leads", join(FIXTURES, "leads.csv"), "--dry-run");
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split("\n");
    expect(lines[0]).toBe(
      "leads.csv: Leadfit leads (recognised from the header); times without a zone in UTC",
    );
    expect(lines).toContain("Would store 20 leads in 2026-W46 (13), 2026-W47 (7)");
    expect(lines.at(-1)).toBe("leads.csv is valid: 20 leads (dry run, nothing written).");
    expect(await count(workspace)).toBe(0);
  });

  it("lists each problem of an invalid file by line and column, exits 1 and writes nothing", async () => {
    const workspace = await newWorkspace(db.prisma);
    const path = join(dir, "bad-leads.csv");
    await writeFile(
      path,
      [
        "external_id,email,created_at,employees",
        "A-1,ann@example.com,2026-11-16T10:00:00Z,40",
        "A-2,bob-at-example.com,2026-11-16T10:00:00Z,40",
        "A-3,cy@example.com,yesterday,40",
        "",
      ].join("\n"),
    );
    const result = leadfit(workspace, "import", "leads", path);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    const lines = result.stderr.trim().split("\n");
    expect(lines[0]).toBe("line 3, column email: A valid email address");
    expect(lines[1]).toMatch(
      /^line 4, column created_at: Not a date and time Leadfit can read: "yesterday"/,
    );
    expect(lines.at(-1)).toBe("leadfit: bad-leads.csv has 2 problems; nothing was written.");
    expect(await count(workspace)).toBe(0);
  });

  it("lists the first 50 problems and counts the rest", async () => {
    const workspace = await newWorkspace(db.prisma);
    const path = join(dir, "many-bad.csv");
    const rows = Array.from({ length: 60 }, (_, i) => `B-${i},nope,2026-11-16T10:00:00Z`);
    await writeFile(path, ["external_id,email,created_at", ...rows, ""].join("\n"));
    const result = leadfit(workspace, "import", "leads", path);
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split("\n");
    expect(lines.filter((l) => l.startsWith("line "))).toHaveLength(50);
    expect(lines).toContain("and 10 more");
  });

  it("explains its usage and a missing file", async () => {
    const workspace = await newWorkspace(db.prisma);
    const unknown = leadfit(workspace, "import", "contacts", "x.csv");
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('Unknown import "contacts"');
    expect(unknown.stderr).toContain(
      "Usage: leadfit import metrics|leads|outcomes <file.csv|file.xlsx>",
    );
    const noFile = leadfit(workspace, "import", "leads");
    expect(noFile.code).toBe(1);
    expect(noFile.stderr).toContain("Usage: leadfit import");
    const missing = leadfit(workspace, "import", "leads", join(dir, "does-not-exist.csv"));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("No such file");
  });
});

describe("the progress bar", () => {
  const stream = (isTTY: boolean) => {
    const written: string[] = [];
    return { written, isTTY, columns: 80, write: (text: string) => written.push(text) };
  };

  it("redraws one line on a terminal and ends it when done", () => {
    const terminal = stream(true);
    const bar = progressBar(terminal);
    bar.update(0.45, "validating 45,000 rows");
    bar.update(1, "writing 100,000 rows");
    bar.done();
    expect(terminal.written).toEqual([
      "\r[#########-----------] 45% validating 45,000 rows\x1b[K",
      "\r[####################] 100% writing 100,000 rows\x1b[K",
      "\n",
    ]);
  });

  it("writes nothing when not on a terminal", () => {
    const pipe = stream(false);
    const bar = progressBar(pipe);
    bar.update(0.5, "validating");
    bar.done();
    expect(pipe.written).toEqual([]);
  });
});
