import { WebClient } from "@slack/web-api";
import type { Config } from "../../config.ts";
import { type Database, openDatabase } from "../../db/database.ts";
import { WorkspaceRepository } from "../../db/repositories/workspace-repository.ts";
import { createRepositories, type Repositories } from "../../deps.ts";
import { AppError } from "../../domain/app-error.ts";
import type { Workspace } from "../../domain/workspace.ts";
import type { Logger } from "../../log.ts";
import { slackTeam } from "../../outbound/slack/team.ts";
import type { CommandOptions } from "./run-command.ts";

export interface CliContext {
  config: Config;
  log: Logger;
  /** Progress and results for the person at the terminal. */
  out: (line: string) => void;
  now: () => Date;
}

/** What a command gets from the command line: `--workspace`, the words after it, and its options. */
export interface CommandArgs {
  workspace: string | undefined;
  positionals: string[];
  options: CommandOptions;
}

/** A command: lazily loaded, so `leadfit help` loads none of them. */
export type CliCommand = (ctx: CliContext, args: CommandArgs) => Promise<void>;

/** Opens the database for one command and closes it however the work ends. */
export async function withDatabase<T>(
  ctx: CliContext,
  work: (db: Database) => Promise<T>,
  options: { migrate?: boolean } = {},
): Promise<T> {
  const db = await openDatabase(
    { databaseUrl: ctx.config.databaseUrl, dataDir: ctx.config.dataDir },
    { log: (message) => ctx.log.info(message), ...options },
  );
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}

/** The database, its repositories and the workspace a command works on (see resolveWorkspace). */
export interface WorkspaceSession {
  db: Database;
  repos: Repositories;
  workspace: Workspace;
}

/** The prologue of every command that works on a workspace: open the database, find the workspace. */
export function withWorkspace<T>(
  ctx: CliContext,
  flag: string | undefined,
  work: (session: WorkspaceSession) => Promise<T>,
): Promise<T> {
  return withDatabase(ctx, async (db) =>
    work({ db, repos: createRepositories(db), workspace: await resolveWorkspace(ctx, db, flag) }),
  );
}

/** The Slack team SLACK_BOT_TOKEN belongs to. */
export function slackTeamOf(
  config: Config,
  botToken: string,
): Promise<{ id: string; name: string }> {
  return slackTeam(
    new WebClient(botToken, { slackApiUrl: config.slackApiUrl, retryConfig: { retries: 2 } }),
  );
}

/**
 * The workspace a command works on: --workspace when given; else the one SLACK_BOT_TOKEN names
 * (created from auth.test when new); else the only one there is.
 */
async function resolveWorkspace(
  ctx: CliContext,
  db: Database,
  flag: string | undefined,
): Promise<Workspace> {
  const repository = new WorkspaceRepository(db.prisma);
  if (flag) {
    const found = await repository.get(flag);
    if (found) return found;
  } else if (ctx.config.slack.kind === "single") {
    const team = await slackTeamOf(ctx.config, ctx.config.slack.botToken);
    return repository.ensure(team.id, team.name);
  } else {
    const all = await repository.list();
    const only = all.length === 1 ? await repository.get(all[0]?.id ?? "") : undefined;
    if (only) return only;
  }
  const all = await repository.list();
  const known =
    all.length === 0
      ? "There are none yet: run `leadfit demo` to create one."
      : `Known workspaces: ${all.map((w) => `${w.id} (${w.name})`).join(", ")}.`;
  const what = flag
    ? `No workspace ${flag}.`
    : "Several workspaces exist; pick one with --workspace <team id>.";
  throw new AppError("workspace_unknown", `${what} ${known}`, `${what} ${known}`);
}
