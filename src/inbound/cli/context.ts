import type { Config } from "../../config.ts";
import {
  type Database,
  type OpeningDatabase,
  type OpenOptions,
  openDatabase,
} from "../../db/database.ts";
import type { Deps } from "../../deps.ts";
import type { Workspace } from "../../domain/workspace.ts";
import type { Logger } from "../../log.ts";
import { slackTeam } from "../../outbound/slack/team.ts";
import { workspaceOfCommand } from "../../services/workspace-of-command.ts";
import type { CommandOptions } from "./run-command.ts";

export interface CliContext {
  config: Config;
  log: Logger;
  /** Progress and results for the person at the terminal. */
  out: (line: string) => void;
  now: () => Date;
  /**
   * The database the command works on: opening since the command started, while its modules
   * loaded (see runCommand), and closed when it ends.
   */
  database: Promise<Database>;
}

/** What a command gets from the command line: `--workspace`, the words after it, and its options. */
export interface CommandArgs {
  workspace: string | undefined;
  positionals: string[];
  options: CommandOptions;
}

/** A command: lazily loaded, so `leadfit help` loads none of them. */
export type CliCommand = (ctx: CliContext, args: CommandArgs) => Promise<void>;

/**
 * Opens the database for one command; `migrate: false` leaves pending migrations to the command
 * (`leadfit migrate` applies them itself and says what it applied).
 */
export function openCommandDatabase(
  config: Config,
  log: Logger,
  options: Pick<OpenOptions, "migrate">,
): OpeningDatabase {
  return openDatabase(
    { databaseUrl: config.databaseUrl, dataDir: config.dataDir },
    { log: (message) => log.info(message), ...options },
  );
}

/**
 * The app's dependencies over the command's database (the command line is a second entry point
 * beside main.ts). They are imported here, not at the top: the database starts opening before
 * the repositories and Prisma's client load.
 */
export async function withDeps<T>(ctx: CliContext, work: (deps: Deps) => Promise<T>): Promise<T> {
  const [db, { createDeps }] = await Promise.all([ctx.database, import("../../deps.ts")]);
  return work(createDeps(ctx.config, db, ctx.log, { now: ctx.now }));
}

/** The app's dependencies and the workspace a command works on (see workspaceOfCommand). */
export interface WorkspaceSession extends Deps {
  workspace: Workspace;
}

/** The prologue of every command that works on a workspace: its dependencies, and the workspace. */
export function withWorkspace<T>(
  ctx: CliContext,
  flag: string | undefined,
  work: (session: WorkspaceSession) => Promise<T>,
): Promise<T> {
  return withDeps(ctx, async (deps) =>
    work({
      ...deps,
      workspace: await workspaceOfCommand(deps, {
        named: flag,
        tokenTeam: singleTeamToken(ctx.config),
      }),
    }),
  );
}

/** The Slack team SLACK_BOT_TOKEN belongs to. */
export async function slackTeamOf(
  config: Config,
  botToken: string,
): Promise<{ id: string; name: string }> {
  // Only the commands that ask Slack load its client.
  const { WebClient } = await import("@slack/web-api");
  return slackTeam(
    new WebClient(botToken, { slackApiUrl: config.slackApiUrl, retryConfig: { retries: 2 } }),
  );
}

/** SLACK_BOT_TOKEN's team, asked of Slack when needed; none without a single-workspace token. */
function singleTeamToken(
  config: Config,
): (() => Promise<{ id: string; name: string }>) | undefined {
  const { slack } = config;
  return slack.kind === "single" ? () => slackTeamOf(config, slack.botToken) : undefined;
}
