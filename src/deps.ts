import type { Config } from "./config.ts";
import type { Database } from "./db/database.ts";
import { createRepositories, type Repositories } from "./db/repositories/index.ts";
import type { Logger } from "./log.ts";
import { AdminDirectory } from "./outbound/slack/admins.ts";
import { SlackDirectory } from "./outbound/slack/gateway.ts";

/** Everything the app is made of, built once at start-up (the composition root). */
export interface Deps {
  config: Config;
  log: Logger;
  now: () => Date;
  db: Database;
  repos: Repositories;
  slack: SlackDirectory;
  admins: AdminDirectory;
}

export function createDeps(
  config: Config,
  db: Database,
  log: Logger,
  options: { now?: () => Date; slackTimeoutMs?: number } = {},
): Deps {
  const now = options.now ?? (() => new Date());
  const repos = createRepositories(db);
  const slack = new SlackDirectory(config, repos.installations, log, options.slackTimeoutMs);
  return {
    config,
    log,
    now,
    db,
    repos,
    slack,
    admins: new AdminDirectory(config.admins, slack, now),
  };
}
