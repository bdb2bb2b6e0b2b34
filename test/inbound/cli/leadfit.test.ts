import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runLeadfit } from "../../support/cli.ts";
import { startDatabaseProcess } from "../../support/processes.ts";

function leadfit(args: string[], env: Record<string, string> = {}) {
  return runLeadfit(args, { env, timeoutMs: 120_000 });
}

describe("the leadfit command", () => {
  it("prints its help", () => {
    const result = leadfit(["help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Usage: leadfit <command>");
    expect(result.stdout).toContain("demo");
  });

  it("prints a command's help with its own options", () => {
    const result = leadfit(["metric", "--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Usage: leadfit metric [options] <action> [key]");
    expect(result.stdout).toContain("--aggregation <aggregation>");
    expect(result.stdout).toContain("--workspace <team id>");
  });

  it("refuses an option the command does not have with its usage and exit code 2", () => {
    const result = leadfit(["migrate", "--label", "x"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("leadfit: unknown option '--label'");
    expect(result.stderr).toContain("Usage: leadfit migrate [options]");
  });

  it("refuses an unknown command with the usage and exit code 2", () => {
    const result = leadfit(["frobnicate"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown command "frobnicate"');
  });

  it("stops on a bad environment with one clear line", () => {
    const result = leadfit(["migrate"], { PORT: "seventy" });
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(
      'leadfit: PORT must be a port number from 0 to 65535 (got "seventy")',
    );
  });

  it("runs the demo twice with the same table", () => {
    const first = leadfit(["demo"]);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/Last complete week: \d{4}-W\d{2}/);
    expect(first.stdout).toContain("Cost per fit lead");
    for (const key of [
      "q4-webinar",
      "google-brand",
      "linkedin-abm",
      "benchmark-ebook",
      "newsletter",
      "demo-videos",
    ]) {
      expect(first.stdout).toContain(key);
    }
    const second = leadfit(["demo"]);
    expect(second.code).toBe(0);
    const table = (out: string) => out.slice(out.indexOf("Last complete week"));
    expect(table(second.stdout)).toBe(table(first.stdout));
  });

  it("writes a week's digest preview: Block Kit JSON, PNG charts and a readable page", async () => {
    const out = await mkdtemp(join(tmpdir(), "leadfit-preview-"));
    try {
      const result = leadfit([
        "digest",
        "preview",
        "--workspace",
        "demo",
        "--week",
        "2026-W46",
        "--out",
        out,
      ]);
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      expect(result.stdout).toContain("index.html");
      const json = JSON.parse(await readFile(join(out, "digest.json"), "utf8"));
      expect(json.message.blocks[0]).toMatchObject({
        type: "header",
        text: { text: expect.stringContaining("2026-W46") },
      });
      for (const chart of ["trend.png", "verdicts.png"]) {
        const png = await readFile(join(out, chart));
        expect(png.subarray(0, 8).toString("hex")).toBe("89504e470d0a1a0a");
        expect(png.readUInt32BE(16)).toBe(800);
      }
      const html = await readFile(join(out, "index.html"), "utf8");
      expect(html).toContain("Weekly digest");
      expect(html).toContain('<img src="trend.png"');
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });

  it("migrates an up-to-date database without applying anything", () => {
    const result = leadfit(["migrate"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("The database is up to date.");
  });
});

describe("the leadfit command beside a running leadfit process", () => {
  it("works on the embedded database another process owns", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "leadfit-cli-"));
    const owner = startDatabaseProcess(dataDir);
    try {
      expect((await owner.report).owner).toBe(true);
      const result = leadfit(["demo"], { DATABASE_URL: "", LEADFIT_DATA_DIR: dataDir });
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      expect(result.stdout).toContain("Cost per fit lead");
      // The owner is still the one serving the folder.
      const announced = JSON.parse(await readFile(join(dataDir, "server.json"), "utf8"));
      expect(announced.pid).toBe((await owner.report).pid);
    } finally {
      await owner.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
