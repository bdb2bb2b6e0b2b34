import { z } from "zod";
import { parseConfig } from "../../config.ts";
import { isAppError } from "../../domain/app-error.ts";
import { createLogger } from "../../log.ts";
import type { CliCommand, CliContext } from "./context.ts";

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
  backfillDays: z.string().optional(),
  full: z.boolean().optional(),
  campaign: z.string().optional(),
  since: z.string().optional(),
  until: z.string().optional(),
  cohort: z.string().optional(),
});

export type CommandOptions = Omit<z.infer<typeof commandOptionsSchema>, "workspace">;

/** Runs one command; answers the exit code: 0, or 1 when it failed (the reason on stderr). */
export async function runCommand(
  command: CliCommand,
  line: { positionals: string[]; options: unknown },
): Promise<number> {
  try {
    const config = parseConfig(process.env);
    const ctx: CliContext = {
      config,
      log: createLogger(config.logLevel === "info" ? "warn" : config.logLevel),
      out: (text) => process.stdout.write(`${text}\n`),
      now: () => new Date(),
    };
    const { workspace, ...options } = commandOptionsSchema.parse(line.options);
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
  }
}
