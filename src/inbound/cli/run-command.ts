import { z } from "zod";
import { parseConfig } from "../../config.ts";
import { isAppError } from "../../domain/app-error.ts";
import { createLogger } from "../../log.ts";
import { type CliCommand, type CliContext, openCommandDatabase } from "./context.ts";

/** The options the command line parser found (camelCased), checked before a command sees them. */
const commandOptionsSchema = z.object({
  workspace: z.string().optional(),
  name: z.string().optional(),
  dryRun: z.boolean().optional(),
  format: z.string().optional(),
  mapping: z.string().optional(),
  timezone: z.string().optional(),
  createCampaigns: z.boolean().optional(),
  label: z.string().optional(),
  owner: z.string().optional(),
  unit: z.string().optional(),
  stage: z.string().optional(),
  goal: z.string().optional(),
  direction: z.string().optional(),
  aggregation: z.string().optional(),
  week: z.string().optional(),
  out: z.string().optional(),
  channel: z.string().optional(),
  token: z.string().optional(),
  instanceUrl: z.string().optional(),
  refreshToken: z.string().optional(),
  jwt: z.boolean().optional(),
  username: z.string().optional(),
  privateKey: z.string().optional(),
  publicUrl: z.string().optional(),
  backfillDays: z.string().optional(),
  verdictFields: z.string().optional(),
  leadStatus: z.string().optional(),
  reasonField: z.string().optional(),
  full: z.boolean().optional(),
  campaign: z.string().optional(),
  since: z.string().optional(),
  until: z.string().optional(),
  cohort: z.string().optional(),
});

export type CommandOptions = Omit<z.infer<typeof commandOptionsSchema>, "workspace">;

/**
 * Runs one command, loaded by `load`; answers the exit code: 0, or 1 when it failed (the reason on
 * stderr). The database starts opening first (the embedded one on a thread of its own), so the
 * command's modules load meanwhile; `migrate: false` opens it without applying migrations.
 */
export async function runCommand(
  load: () => Promise<CliCommand>,
  line: { positionals: string[]; options: unknown },
  opening: { migrate?: boolean } = {},
): Promise<number> {
  let database: ReturnType<typeof openCommandDatabase> | undefined;
  try {
    const config = parseConfig(process.env);
    const { workspace, ...options } = commandOptionsSchema.parse(line.options);
    const log = createLogger(config.logLevel === "info" ? "warn" : config.logLevel);
    database = openCommandDatabase(config, log, opening);
    // Its failure is reported by the command that awaits it; one that fails before never does.
    const failed = database.catch(() => {});
    const ctx: CliContext = {
      config,
      log,
      out: (text) => process.stdout.write(`${text}\n`),
      now: () => new Date(),
      database,
    };
    // The command's code loads once the database has started opening (the embedded one's thread
    // started sooner that way), or once it failed to, which the command then reports.
    await Promise.race([database.started, failed]);
    const command = await load();
    await command(ctx, { workspace, positionals: line.positionals, options });
    return 0;
  } catch (error) {
    process.stderr.write(
      `leadfit: ${
        isAppError(error)
          ? error.userMessage
          : error instanceof Error
            ? (error.stack ?? error.message)
            : String(error)
      }\n`,
    );
    return 1;
  } finally {
    await database?.then(
      (db) => db.close(),
      () => {},
    );
  }
}
