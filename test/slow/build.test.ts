import { execFile, spawnSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildIsFresh } from "../../src/inbound/launch.mjs";
import { startLaunchedApp } from "../support/app-process.ts";
import { databaseKind, databaseUrl } from "../support/database.ts";
import { type FakeSlack, startFakeSlack } from "../support/fake-slack.ts";

const PROJECT = fileURLToPath(new URL("../../", import.meta.url));
const BIN = join(PROJECT, "src/inbound/cli/leadfit.mjs");

// What `npm run setup` builds is what `npm start` and `leadfit` then run: the compiled build, its
// embedded database thread included.
describe("the compiled build", () => {
  let fake: FakeSlack;
  let dataDir: string;

  beforeAll(async () => {
    // CI's setup has built it already; a build older than the sources is made again.
    if (!buildIsFresh())
      await promisify(execFile)("npm", ["run", "build"], { cwd: PROJECT, timeout: 300_000 });
    fake = await startFakeSlack();
    dataDir = await mkdtemp(join(tmpdir(), "leadfit-build-"));
  }, 320_000);

  afterAll(async () => {
    await fake.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("is up to date with the sources, so the launcher starts it", () => {
    expect(buildIsFresh()).toBe(true);
  });

  it("starts the app, healthy on its database, and stops it cleanly", async () => {
    const app = await startLaunchedApp({
      SLACK_BOT_TOKEN: "xoxb-build-test",
      SLACK_SIGNING_SECRET: "build-test-signing-secret",
      SLACK_API_URL: fake.url,
      // On the embedded database the app owns a folder of its own and serves it from its thread.
      ...(databaseKind === "server"
        ? { DATABASE_URL: databaseUrl }
        : { LEADFIT_DATA_DIR: dataDir }),
    });
    try {
      const health = await fetch(`${app.baseUrl}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ ok: true, database: "ok" });
    } finally {
      app.child.kill("SIGTERM");
    }
    expect(await app.exited).toEqual({ code: 0, signal: null });
  });

  it("answers leadfit help", () => {
    const result = spawnSync(process.execPath, [BIN, "help"], {
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("api-key");
  });

  // Where npx finds it before reading the dependency tree (see src/inbound/cli/package.json).
  it("is linked into node_modules/.bin by npm's install, as npx runs it", () => {
    const result = spawnSync(join(PROJECT, "node_modules/.bin/leadfit"), ["help"], {
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("api-key");
  });
});
