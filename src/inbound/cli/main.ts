import { Command, CommanderError } from "commander";
import type { CliCommand } from "./context.ts";

/**
 * The action of a command whose module is imported only when it runs: `leadfit help` then loads
 * no database client, Slack client or chart renderer. `opening` says how its database is opened.
 */
function lazily(load: () => Promise<CliCommand>, opening: { migrate?: boolean } = {}) {
  return async function action(this: Command): Promise<void> {
    const { runCommand } = await import("./run-command.ts");
    process.exitCode = await runCommand(
      load,
      {
        positionals: this.processedArgs.filter((word): word is string => typeof word === "string"),
        options: this.optsWithGlobals(),
      },
      opening,
    );
  };
}

const program = new Command("leadfit")
  .usage("<command> [options]")
  .option(
    "--workspace <team id>",
    "the workspace to work on (optional when there is only one, or when SLACK_BOT_TOKEN names one)",
  )
  .configureHelp({ showGlobalOptions: true })
  .addHelpText(
    "after",
    "\nThe database is DATABASE_URL when set, else the embedded one in LEADFIT_DATA_DIR.",
  )
  .configureOutput({
    outputError: (message, write) => write(`leadfit: ${message.replace(/^error: /, "")}`),
  })
  .showHelpAfterError()
  // Errors come back here as exceptions, so the exit code is decided in one place.
  .exitOverride();

program
  .command("migrate")
  .description("apply pending database migrations")
  .action(
    lazily(async () => (await import("./commands/migrate.ts")).migrateCommand, { migrate: false }),
  );

program
  .command("demo")
  .description("seed a realistic demo workspace and print last week's campaign table")
  .action(lazily(async () => (await import("./commands/demo.ts")).demoCommand));

program
  .command("api-key")
  .argument("<action>", "create | list | revoke")
  .argument("[id]", "the key to revoke (see `leadfit api-key list`)")
  .option("--name <label>", "what the new key is for")
  .description(
    "create an ingestion API key (printed once, alone on its line), list keys (never the keys themselves) or revoke one",
  )
  .action(lazily(async () => (await import("./commands/api-key.ts")).apiKeyCommand));

program
  .command("import")
  .argument("<kind>", "metrics | leads")
  .argument("[file]", "the export: .csv (UTF-8 or UTF-16; comma, tab or semicolon) or .xlsx")
  .option(
    "--format <name>",
    "leadfit, hubspot-contacts, hubspot-leads, salesforce-report, salesforce-dataloader, google-ads, linkedin-ads, ga4 (default: recognised from the header)",
  )
  .option("--mapping <file.json>", "your own import mapping, in the built-in formats' form")
  .option(
    "--timezone <IANA zone>",
    "the zone of times written without one (default: the workspace's)",
  )
  .option("--create-campaigns", "campaign names no alias maps become campaigns of their own")
  .option("--dry-run", "check every row, show what would be imported, and write nothing")
  .description(
    "import an export of leads or metrics: every row is checked first, then all or nothing",
  )
  .action(lazily(async () => (await import("./commands/import.ts")).importCommand));

program
  .command("campaign")
  .argument("<what>", "alias")
  .argument("<action>", "add | list")
  .argument("[name]", "the name a platform or CRM uses for the campaign")
  .argument("[key]", "the campaign key it files under")
  .description(
    "campaign aliases: map the names ad platforms and CRMs give a campaign to its key, so spend and leads meet",
  )
  .action(lazily(async () => (await import("./commands/campaign.ts")).campaignCommand));

program
  .command("metric")
  .argument("<action>", "list | define | rename | retire")
  .argument("[key]", "the metric's key")
  .option("--label <text>", "its name in Slack and the digest")
  .option("--unit <unit>", "count | currency | percent | score")
  .option("--stage <stage>", "the funnel stage it measures")
  .option("--goal <goal>", "find | keep | grow")
  .option("--direction <direction>", "higher | lower: which way is better")
  .option("--aggregation <aggregation>", "sum | average | last: how days make a week")
  .option("--owner <Slack user id>", "who answers for it")
  .description("the metric catalogue: list, define (add or change), rename, retire")
  .action(lazily(async () => (await import("./commands/catalogue.ts")).metricCommand));

program
  .command("reason")
  .argument("<action>", "list | add | rename | retire")
  .argument("[key]", "the reason's key")
  .option("--label <text>", "what sales sees")
  .option("--owner <owner>", "marketing | data | need | sales_process: who can act on it")
  .description('the "not a fit" reasons and who can act on them: list, add, rename, retire')
  .action(lazily(async () => (await import("./commands/catalogue.ts")).reasonCommand));

program
  .command("digest")
  .argument("<action>", "preview | send")
  .option("--week <week>", "the ISO week, e.g. 2026-W47 (default: the last complete week)")
  .option("--out <dir>", "where preview writes (default: digest-preview)")
  .option("--channel <channel id>", "where send posts")
  .description(
    "preview writes a week's digest (Block Kit JSON, chart PNGs, index.html); send posts it to a channel now",
  )
  .action(lazily(async () => (await import("./commands/digest.ts")).digestCommand));

program
  .command("lead")
  .argument("<action>", "delete")
  .argument("[external id]", "the lead's id in the CRM")
  .description("delete a lead's data (verdicts, webhook history) and empty its card")
  .action(lazily(async () => (await import("./commands/lead.ts")).leadCommand));

program
  .command("hindsight")
  .option("--campaign <key>", "one campaign's leads and spend (default: all)")
  .option("--since <date>", "first day of the period (default: 364 days before --until)")
  .option("--until <date>", "last day of the period (default: today)")
  .option("--cohort <size>", "week | month: how leads are grouped by creation (default: month)")
  .description("what became of the leads sales judged: verdicts checked against outcomes")
  .action(lazily(async () => (await import("./commands/hindsight.ts")).hindsightCommand));

program
  .command("crm")
  .argument("<action>", "connect | status | sync | disconnect | mapping")
  .argument("[crm]", "hubspot | salesforce (for connect); show | set (for mapping)")
  .argument("[file]", "mapping set: the mapping file (JSON)")
  .option("--token <token>", "HubSpot: the private app's access token; Salesforce: an access token")
  .option("--instance-url <url>", "Salesforce: the org's instance URL")
  .option("--refresh-token <token>", "Salesforce: a refresh token, to renew the access token")
  .option("--jwt", "Salesforce: connect with the JWT bearer flow (server to server)")
  .option("--username <user>", "Salesforce JWT: the pre-authorized user's username")
  .option("--private-key <pem file>", "Salesforce JWT: the key whose certificate the app has")
  .option(
    "--public-url <url>",
    "OAuth: Leadfit's address as your browser reaches it (default http://localhost:<PORT>)",
  )
  .option("--backfill-days <days>", "how far back the first sync reads (default 90)")
  .option(
    "--verdict-fields <where>",
    "Salesforce: custom (Leadfit's fields, the default) or status (Lead Status and a reason field)",
  )
  .option(
    "--lead-status <values>",
    "with --verdict-fields status: fit=<Lead Status>,not_yet=<Lead Status>,not_fit=<Lead Status>",
  )
  .option("--reason-field <field>", "with --verdict-fields status: the Lead text field for reasons")
  .option("--full", "sync: read everything again from the backfill start")
  .description(
    "connect the workspace to HubSpot or Salesforce (with a token, the JWT bearer flow, or without either: the link to authorize; credentials stored encrypted, never shown again), show the connection's state, sync leads now, disconnect, or show and set the mapping of CRM properties to lead fields",
  )
  .action(lazily(async () => (await import("./commands/crm.ts")).crmCommand));

// An unknown command gets the usage and exit code 2, as any command line leadfit cannot read.
program.on("command:*", ([name]: string[]) =>
  program.error(`unknown command "${name}"`, { exitCode: 2, code: "commander.unknownCommand" }),
);

async function run(argv: string[]): Promise<number> {
  try {
    await program.parseAsync(argv.length === 0 ? ["help"] : argv, { from: "user" });
    return Number(process.exitCode ?? 0);
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    // Help answers 0; a command line leadfit cannot read (unknown command or option) answers 2.
    return error.exitCode === 0 ? 0 : 2;
  }
}

// Exit explicitly: the schema engine leaves a timer behind that would hold the process ~10 s.
process.exit(await run(process.argv.slice(2)));
