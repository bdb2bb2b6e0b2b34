import { parseArgs } from "node:util";
import { parseConfig } from "../../config.ts";
import { isAppError } from "../../domain/app-error.ts";
import { createLogger } from "../../log.ts";
import { apiKeyCommand } from "./commands/api-key.ts";
import { metricCommand, reasonCommand } from "./commands/catalogue.ts";
import { demoCommand } from "./commands/demo.ts";
import { digestCommand } from "./commands/digest.ts";
import { importCommand } from "./commands/import.ts";
import { leadCommand } from "./commands/lead.ts";
import { migrateCommand } from "./commands/migrate.ts";
import type { CliContext, CommandArgs } from "./context.ts";

const USAGE = `Usage: leadfit <command> [options]

Commands:
  migrate                               apply pending database migrations
  demo                                  seed a realistic demo workspace and print last week's campaign table
  api-key create --name <label>         create an ingestion API key (printed once, alone on its line)
  api-key list | api-key revoke <id>    list keys (never the keys themselves) or revoke one
  import metrics|leads <file.csv> [--dry-run]
                                        import a CSV file: every row is checked first, then all or nothing
  metric list | define <key> … | rename <key> --label … | retire <key>
                                        the metric catalogue (see the README for define's options)
  reason list | add <key> --label … --owner … | rename <key> --label … | retire <key>
                                        the "not a fit" reasons and who can act on them
  digest preview [--week 2026-W47] [--out <dir>]
                                        write a week's digest (Block Kit JSON, chart PNGs, index.html)
  digest send --channel <id> [--week …] post a week's digest to a channel now
  lead delete <external id>             delete a lead's data (verdicts, webhook history) and empty its card
  help                                  show this help

Options:
  --workspace <team id>   the workspace to work on (optional when there is only one, or when
                          SLACK_BOT_TOKEN names one)

The database is DATABASE_URL when set, else the embedded one in LEADFIT_DATA_DIR.`;

type Command = (ctx: CliContext, args: CommandArgs) => Promise<void>;

const COMMANDS: Record<string, Command> = {
  migrate: migrateCommand,
  demo: demoCommand,
  "api-key": apiKeyCommand,
  import: importCommand,
  metric: metricCommand,
  reason: reasonCommand,
  digest: digestCommand,
  lead: leadCommand,
};

async function run(argv: string[]): Promise<number> {
  const out = (line: string) => process.stdout.write(`${line}\n`);
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    process.stderr.write(`leadfit: ${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  const [name, ...positionals] = parsed.positionals;
  if (!name || name === "help" || parsed.values.help) {
    out(USAGE);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`leadfit: unknown command "${name}"\n\n${USAGE}\n`);
    return 2;
  }
  try {
    const config = parseConfig(process.env);
    const ctx: CliContext = {
      config,
      log: createLogger(config.logLevel === "info" ? "warn" : config.logLevel),
      out,
      now: () => new Date(),
    };
    const { workspace, help: _help, ...options } = parsed.values;
    await command(ctx, { workspace, positionals, options });
    return 0;
  } catch (error) {
    if (isAppError(error)) {
      process.stderr.write(`leadfit: ${error.userMessage}\n`);
      return 1;
    }
    process.stderr.write(
      `leadfit: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return 1;
  }
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      workspace: { type: "string" },
      help: { type: "boolean", short: "h" },
      name: { type: "string" },
      "dry-run": { type: "boolean" },
      label: { type: "string" },
      owner: { type: "string" },
      unit: { type: "string" },
      stage: { type: "string" },
      goal: { type: "string" },
      direction: { type: "string" },
      aggregation: { type: "string" },
      week: { type: "string" },
      out: { type: "string" },
      channel: { type: "string" },
    },
  });
}

// Exit explicitly: the schema engine leaves a timer behind that would hold the process ~10 s.
process.exit(await run(process.argv.slice(2)));
