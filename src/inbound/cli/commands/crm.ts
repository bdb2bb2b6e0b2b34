import { AppError } from "../../../domain/app-error.ts";
import { CRM_LABELS, type CrmCredentials } from "../../../domain/crm-connection.ts";
import type { CrmStatus } from "../../../domain/crm-verdict-write.ts";
import { connectCrm } from "../../../services/connect-crm.ts";
import { crmStatus } from "../../../services/crm-status.ts";
import { disconnectCrm } from "../../../services/disconnect-crm.ts";
import { syncCrmNow } from "../../../services/sync-crm-now.ts";
import { type CliContext, type CommandArgs, withWorkspace } from "../context.ts";

const USAGE = [
  "leadfit crm connect hubspot --token <private app token> [--backfill-days <n>]",
  "leadfit crm connect salesforce --instance-url <url> --token <access token> [--refresh-token <token>] [--backfill-days <n>]",
  "leadfit crm status",
  "leadfit crm sync [--full]",
  "leadfit crm disconnect",
].join("\n       ");

function usage(message: string): AppError {
  return new AppError("usage", message, `${message}\nUsage: ${USAGE}`);
}

/** The credentials named on the command line; never echoed back. */
function credentialsFrom(kind: string | undefined, args: CommandArgs): CrmCredentials {
  const { token, instanceUrl, refreshToken } = args.options;
  if (kind === "hubspot") {
    if (!token) throw usage("Give the private app's access token: --token <token>.");
    return { kind, accessToken: token };
  }
  if (kind === "salesforce") {
    if (!instanceUrl || !token) {
      throw usage(
        "Give the org's instance URL and an access token: --instance-url <url> --token <token>.",
      );
    }
    return {
      kind,
      instanceUrl,
      accessToken: token,
      ...(refreshToken ? { refreshToken } : {}),
    };
  }
  throw usage(`Unknown CRM "${kind ?? ""}": hubspot or salesforce.`);
}

function backfillDaysFrom(args: CommandArgs): number | undefined {
  const text = args.options.backfillDays;
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw usage(`--backfill-days takes a number of days, not "${text}".`);
  return Number(text);
}

function describe({ connection, writes, failedWrites }: CrmStatus): string[] {
  const when = (d: Date | null) =>
    d ? `${d.toISOString().slice(0, 16).replace("T", " ")} UTC` : "never";
  const c = connection.counts;
  return [
    `${CRM_LABELS[connection.kind]} (${connection.account}), connected by ${connection.connectedBy} on ${when(connection.connectedAt)}; backfill ${connection.backfillDays} days.`,
    `Last sync: ${when(connection.lastSyncAt)}.`,
    `Leads: ${c.leadsCreated} created, ${c.leadsUpdated} updated, ${c.leadsRemoved} removed; outcomes: ${c.outcomes}; verdicts written back: ${c.verdictsWritten}.`,
    ...Object.entries(connection.cursors).map(
      ([object, cursor]) => `Cursor ${object}: changes since ${cursor.modifiedSince}.`,
    ),
    connection.lastError
      ? `Last error (${when(connection.lastErrorAt)}): ${connection.lastError}`
      : "No error.",
    `Verdicts to write back: ${writes.pending} queued, ${writes.failed} failed.`,
    ...failedWrites.map(
      (f) =>
        `Failed: ${f.email}, ${f.verdict} given ${when(f.givenAt)}: ${f.lastError ?? "unknown"}`,
    ),
  ];
}

/** `crm connect|status|sync|disconnect`: a workspace's link to HubSpot or Salesforce. */
export async function crmCommand(ctx: CliContext, args: CommandArgs): Promise<void> {
  const [action, kind] = args.positionals;
  if (action !== "connect" && action !== "status" && action !== "sync" && action !== "disconnect") {
    throw usage(`Unknown crm action "${action ?? ""}".`);
  }
  const credentials = action === "connect" ? credentialsFrom(kind, args) : undefined;
  const backfillDays = backfillDaysFrom(args);
  await withWorkspace(ctx, args.workspace, async (session) => {
    const { repos, workspace } = session;
    const deps = { crmConnections: repos.crmConnections, config: ctx.config, now: ctx.now };
    if (credentials) {
      const connection = await connectCrm(deps, {
        workspaceId: workspace.id,
        credentials,
        backfillDays,
        connectedBy: "cli",
      });
      ctx.out(
        `Connected ${workspace.name} to ${CRM_LABELS[connection.kind]} (${connection.account}). The credentials are stored encrypted and will not be shown again.`,
      );
    } else if (action === "status") {
      const status = await crmStatus(repos, { workspaceId: workspace.id });
      ctx.out(
        status
          ? describe(status).join("\n")
          : `${workspace.name} has no CRM connection: leadfit crm connect hubspot|salesforce …`,
      );
    } else if (action === "sync") {
      const { report, summary } = await syncCrmNow(session, {
        workspaceId: workspace.id,
        full: args.options.full ?? false,
      });
      ctx.out(summary);
      if (report.error) {
        throw new AppError("crm_sync_failed", report.error, `The sync stopped: ${report.error}`);
      }
    } else {
      const gone = await disconnectCrm(deps, { workspaceId: workspace.id, actor: "cli" });
      ctx.out(
        `Disconnected ${workspace.name} from ${CRM_LABELS[gone]}; its credentials are deleted. Leads and verdicts stay.`,
      );
    }
  });
}
