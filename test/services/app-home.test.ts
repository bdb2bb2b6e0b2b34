import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config.ts";
import { createRepositories, type Repositories } from "../../src/deps.ts";
import type { Workspace } from "../../src/domain/workspace.ts";
import { createLogger } from "../../src/log.ts";
import { loadAppHome } from "../../src/services/app-home.ts";
import { decideDefinition } from "../../src/services/decide-definition.ts";
import { proposeDefinition } from "../../src/services/propose-definition.ts";
import { AdminDirectory } from "../../src/slack/admins.ts";
import { SlackDirectory } from "../../src/slack/gateway.ts";
import { connectTestDatabase, newWorkspace, type TestDatabase } from "../support/database.ts";

const ADMIN = "U0HOMEADM1";
const SALES_LEAD = "U0HOMESAL1";
const NOW = new Date("2026-03-11T12:00:00Z");
const NO_DEFINITION = "No agreed lead definition yet";

describe("App Home, as the service loads it", () => {
  let db: TestDatabase;
  let repos: Repositories;
  let admins: AdminDirectory;
  beforeAll(() => {
    db = connectTestDatabase();
    repos = createRepositories(db);
    // The viewer is an admin from the configuration: Slack is never asked.
    const slack = new SlackDirectory(parseConfig({}), repos.installations, createLogger("error"));
    admins = new AdminDirectory([ADMIN], slack, () => NOW);
  });
  afterAll(() => db.close());

  const home = (workspace: Workspace) =>
    loadAppHome({ repos, admins, now: () => NOW }, { workspace, viewerId: ADMIN });

  it("tells an admin there is no agreed lead definition until one is accepted, then stops", async () => {
    const workspace = await newWorkspace(db.prisma);
    const notices = async () => (await home(workspace)).adminNotices.join("\n");
    expect(await notices()).toContain(NO_DEFINITION);

    const proposed = await proposeDefinition(repos, {
      workspaceId: workspace.id,
      text: "employees >= 50",
      userId: ADMIN,
    });
    if (!proposed.ok) throw new Error("the rule text was refused");
    // A proposal checks no lead yet: the admin is still told.
    expect(await notices()).toContain(NO_DEFINITION);

    await decideDefinition(
      { repos, now: () => NOW },
      { workspace, version: proposed.proposal.version, userId: SALES_LEAD, accept: true },
    );
    expect(await notices()).not.toContain(NO_DEFINITION);
  });
});
