import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runLeadfitAside } from "../../support/cli.ts";
import { type FakeSlack, startFakeSlack } from "../../support/fake-slack.ts";

// Which workspace a command works on without --workspace, on an embedded database of its own (the
// suite's database holds every other test's workspaces).
describe("leadfit without --workspace", () => {
  let dataDir: string;
  let acme: FakeSlack;
  let beta: FakeSlack;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "leadfit-workspace-"));
    acme = await startFakeSlack({ teamId: "T0ACME0001", teamName: "Acme" });
    beta = await startFakeSlack({ teamId: "T0BETA0001", teamName: "Beta" });
  });
  afterAll(async () => {
    await acme.close();
    await beta.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  /** `leadfit api-key list` on this folder, with the bot token of `slack` when given. */
  const listKeys = (slack?: FakeSlack, ...args: string[]) =>
    runLeadfitAside(["api-key", "list", ...args], {
      env: {
        DATABASE_URL: "",
        LEADFIT_DATA_DIR: dataDir,
        ...(slack ? { SLACK_BOT_TOKEN: "xoxb-cli-workspace", SLACK_API_URL: slack.url } : {}),
      },
    });

  it("says how to make one when there is none", async () => {
    const none = await listKeys();
    expect(none.code).toBe(1);
    expect(none.stderr).toBe(
      "leadfit: No workspace yet: run `leadfit demo` to create one, or set SLACK_BOT_TOKEN to work on its Slack workspace.\n",
    );
  });

  it("works on the bot token's workspace, created from Slack's answer, then on the only one there is", async () => {
    expect(await listKeys(acme)).toMatchObject({
      code: 0,
      stdout: expect.stringContaining("No API keys yet"),
    });
    expect(await listKeys()).toMatchObject({
      code: 0,
      stdout: expect.stringContaining("No API keys yet"),
    });
  });

  it("with several, asks for --workspace and names them; a workspace it does not know is named too", async () => {
    expect((await listKeys(beta)).code).toBe(0);
    const several = await listKeys();
    expect(several.code).toBe(1);
    expect(several.stderr).toBe(
      "leadfit: Several workspaces exist; pick one with --workspace <team id>. Known workspaces: T0ACME0001 (Acme), T0BETA0001 (Beta).\n",
    );
    const unknown = await listKeys(undefined, "--workspace", "T0NOPE0001");
    expect(unknown.stderr).toBe(
      "leadfit: No workspace T0NOPE0001. Known workspaces: T0ACME0001 (Acme), T0BETA0001 (Beta).\n",
    );
    expect((await listKeys(undefined, "--workspace", "T0BETA0001")).code).toBe(0);
  });
});
