import { parseConfig } from "./config.ts";
import { openDatabase } from "./db/database.ts";
import { isAppError } from "./domain/app-error.ts";
import { createLogger } from "./log.ts";

const NO_SLACK = `Leadfit needs Slack credentials to start. Set one of:
  SLACK_BOT_TOKEN and SLACK_APP_TOKEN        (one workspace, Socket Mode: no public URL needed)
  SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET   (one workspace, HTTP mode)
  SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, SLACK_STATE_SECRET and SLACK_SIGNING_SECRET (OAuth, many workspaces)
See "Create the Slack app" in the README. To look around without Slack, run: npm run demo`;

async function main(): Promise<void> {
  const config = parseConfig(process.env);
  if (config.slack.kind === "none") {
    process.stderr.write(`${NO_SLACK}\n`);
    process.exit(1);
  }
  const log = createLogger(config.logLevel);
  const { slack } = config;
  // Slack says which workspace the bot token belongs to (auth.test) while the database opens.
  const askingSlack =
    slack.kind === "single"
      ? Promise.all([
          import("./outbound/slack/gateway.ts"),
          import("./outbound/slack/team.ts"),
        ]).then(([{ slackClient }, { slackTeam }]) =>
          slackTeam(slackClient(config, slack.botToken)),
        )
      : undefined;
  // The app's modules are imported while the database opens (the embedded one on a thread of its
  // own, once that has started; a server over the network) and Slack answers: start-up waits for
  // the slowest, not for all.
  const opening = openDatabase(
    { databaseUrl: config.databaseUrl, dataDir: config.dataDir },
    { log: (m) => log.info(m) },
  );
  const [db, [{ buildApp }, { createDeps }], team] = await Promise.all([
    opening,
    opening.started.then(() => Promise.all([import("./app.ts"), import("./deps.ts")])),
    askingSlack,
  ]);
  const deps = createDeps(config, db, log);
  // The workspace row comes from auth.test, created by whichever leadfit process needs it first.
  if (team) await deps.repos.workspaces.ensureCreated(team.id, team.name);
  const app = buildApp(deps);
  const port = await app.start(config.port);
  // Stopping works from here on: the jobs, started below once their code has loaded, join in.
  const running: { stop(): Promise<void> }[] = [];
  let stopping = false;
  const stop = async (why: string, exitCode = 0) => {
    if (stopping) return;
    stopping = true;
    log.info(`${why}: finishing in-flight work and stopping`);
    await app.stop();
    await Promise.all(running.map((job) => job.stop()));
    await db.close();
    process.exit(exitCode);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
  // Answering /healthz without the code for Slack's requests would look healthy: stop instead.
  void app.loaded().catch((error: unknown) => {
    process.stderr.write(`leadfit: could not load the app's code: ${String(error)}\n`);
    void stop("could not load the app's code", 1);
  });
  // Deaf to Slack but answering /healthz would look healthy: stop, so it shows and gets restarted.
  void app.slackLost.then((error) => {
    process.stderr.write(`leadfit: ${error.userMessage}\n`);
    void stop("Slack refused the Socket Mode connection", 1);
  });
  // The jobs' code loads once the app answers, as the listeners' does (see buildApp).
  const [
    { CardOutbox },
    { CRM_SYNC_INTERVAL_MS, syncConnectedCrms },
    { writeQueuedVerdictsToCrm },
    { fetchMarkedHubSpotChanges },
    { DigestScheduler },
    { forgetOldSlackRequests },
    { every },
    { bringBackDueNotYetLeads, NOT_YET_REVISIT_INTERVAL_MS },
    { sendOverdueReminders },
    { WebhookSender },
    { SlackGateway },
    { adoptAdminTimezone },
    { finishAbandonedImports },
  ] = await Promise.all([
    import("./services/post-lead-cards.ts"),
    import("./services/sync-connected-crms.ts"),
    import("./inbound/jobs/crm-verdict-writer.ts"),
    import("./inbound/jobs/hubspot-changes.ts"),
    import("./inbound/jobs/digest-scheduler.ts"),
    import("./services/forget-old-slack-requests.ts"),
    import("./inbound/jobs/loop.ts"),
    import("./services/bring-back-not-yet-leads.ts"),
    import("./services/overdue-reminder.ts"),
    import("./services/deliver-webhooks.ts"),
    import("./outbound/slack/gateway.ts"),
    import("./services/adopt-admin-timezone.ts"),
    import("./services/apply-import.ts"),
  ]);
  if (team && slack.kind === "single") {
    // Learnt once the app answers, not before: it asks Slack and the database, and only the
    // digest schedules (started below, after it) need the timezone.
    await adoptAdminTimezone(
      { repos: deps.repos, gateway: new SlackGateway(deps.slack.client(slack.botToken)) },
      { workspaceId: team.id, adminId: config.admins[0] },
    ).catch((error: unknown) =>
      log.warn("could not learn the first admin's timezone; UTC until an admin sets one", {
        error: String(error),
      }),
    );
  }
  if (config.appToken) {
    log.info(
      team
        ? `Connected to Slack over Socket Mode: workspace ${team.name} (${team.id})`
        : "Connected to Slack over Socket Mode: every workspace the app is installed in",
    );
  }
  log.info(`Leadfit is running: http://127.0.0.1:${port}/healthz`, {
    transport: config.appToken ? "socket mode" : `HTTP at /slack/events`,
    workspaces: config.slack.kind,
  });

  // Stopped while the jobs' code loaded: they never start.
  if (stopping) return;
  const outbox = new CardOutbox(deps);
  const webhooks = new WebhookSender(deps);
  const scheduler = new DigestScheduler(deps);
  const loops = [
    every(1_000, "card outbox", log, () => outbox.drain()),
    // A claim is stale only after two minutes, so looking for stale ones now and then is enough;
    // old Slack request keys go in the same round.
    every(15_000, "card outbox recovery and old request keys", log, async () => {
      await outbox.recover();
      await forgetOldSlackRequests(deps);
    }),
    every(5_000, "webhook deliveries", log, () => webhooks.drain()),
    every(5_000, "verdicts to the CRM", log, () => writeQueuedVerdictsToCrm(deps)),
    // A lead HubSpot's webhook named arrives within seconds: a look for due changes is one query.
    every(2_000, "HubSpot changes", log, () => fetchMarkedHubSpotChanges(deps)),
    every(15 * 60_000, "overdue reminders", log, () => sendOverdueReminders(deps)),
    // Schedule changes made on any replica reach this one within half a minute.
    every(30_000, "digest schedules", log, () => scheduler.sync()),
    // An import whose importer stopped is finished (or, still staging, discarded) once its lease
    // has run out; a look now and then is enough.
    every(60_000, "abandoned imports", log, () => finishAbandonedImports(deps)),
    every(CRM_SYNC_INTERVAL_MS, "CRM sync", log, () => syncConnectedCrms(deps)),
    every(NOT_YET_REVISIT_INTERVAL_MS, "not-yet revisits", log, () =>
      bringBackDueNotYetLeads(deps),
    ),
  ];

  running.push(...loops, scheduler);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `leadfit: ${isAppError(error) ? error.userMessage : error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});
