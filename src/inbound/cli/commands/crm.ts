import { readFile } from "node:fs/promises";
import { AppError } from "../../../domain/app-error.ts";
import { CRM_LABELS, type CrmCredentials, type CrmKind } from "../../../domain/crm-connection.ts";
import { OAUTH_STATE_TTL_MS } from "../../../domain/crm-oauth-state.ts";
import type { CrmStatus } from "../../../domain/crm-verdict-write.ts";
import { crmAuthorizeLink } from "../../../services/authorize-crm.ts";
import { connectCrm } from "../../../services/connect-crm.ts";
import { connectSalesforceWithJwt } from "../../../services/connect-salesforce-with-jwt.ts";
import { setCrmMapping, showCrmMapping } from "../../../services/crm-mapping.ts";
import { crmStatus } from "../../../services/crm-status.ts";
import { disconnectCrm } from "../../../services/disconnect-crm.ts";
import { syncCrmNow } from "../../../services/sync-crm-now.ts";
import { type CliContext, type CommandArgs, withWorkspace } from "../context.ts";

const USAGE = [
  "leadfit crm connect hubspot [--token <private app token>] [--public-url <url>] [--backfill-days <n>]",
  "leadfit crm connect salesforce [--public-url <url>] [--backfill-days <n>]",
  "leadfit crm connect salesforce --instance-url <url> --token <access token> [--refresh-token <token>]",
  "leadfit crm connect salesforce --jwt --username <user> --private-key <pem file>",
  "leadfit crm status",
  "leadfit crm sync [--full]",
  "leadfit crm disconnect",
  "leadfit crm mapping show",
  "leadfit crm mapping set <file>",
  "  (connect salesforce … --verdict-fields status --lead-status fit=<value>,not_yet=<value>,not_fit=<value> --reason-field <field>)",
].join("\n       ");

function usage(message: string): AppError {
  return new AppError("usage", message, `${message}\nUsage: ${USAGE}`);
}

/** How `crm connect` connects: credentials given, the JWT bearer flow, or a link to authorize. */
type ConnectPlan =
  | { how: "credentials"; credentials: CrmCredentials }
  | { how: "jwt"; username: string; privateKeyFile: string }
  | { how: "authorize"; kind: CrmKind };

/** What the command line asks for; the credentials it names are never echoed back. */
function connectPlan(kind: string | undefined, args: CommandArgs): ConnectPlan {
  const { token, instanceUrl, refreshToken, jwt, username, privateKey } = args.options;
  if (kind === "hubspot") {
    return token
      ? { how: "credentials", credentials: { kind, accessToken: token } }
      : { how: "authorize", kind };
  }
  if (kind === "salesforce") {
    if (jwt) {
      if (!username || !privateKey) {
        throw usage(
          "The JWT bearer flow needs the user and the key: --username <user> --private-key <pem file>.",
        );
      }
      return { how: "jwt", username, privateKeyFile: privateKey };
    }
    if (!instanceUrl && !token) return { how: "authorize", kind };
    if (!instanceUrl || !token) {
      throw usage(
        "Give the org's instance URL and an access token: --instance-url <url> --token <token>.",
      );
    }
    return {
      how: "credentials",
      credentials: {
        kind,
        instanceUrl,
        accessToken: token,
        ...(refreshToken ? { refreshToken } : {}),
      },
    };
  }
  throw usage(`Unknown CRM "${kind ?? ""}": hubspot or salesforce.`);
}

async function readPrivateKeyFile(file: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw usage(`Cannot read the private key file ${file} (${String(code ?? error)}).`);
  }
}

/** `--verdict-fields` and its companions, as the connection's `verdicts` (checked by the service). */
function verdictsFrom(args: CommandArgs): unknown {
  const { verdictFields, leadStatus, reasonField } = args.options;
  if (verdictFields === undefined) {
    if (leadStatus !== undefined || reasonField !== undefined)
      throw usage("--lead-status and --reason-field go with --verdict-fields status.");
    return undefined;
  }
  if (verdictFields === "custom") return { fields: "custom" };
  if (verdictFields !== "status")
    throw usage(`--verdict-fields is custom or status, not "${verdictFields}".`);
  if (!leadStatus || !reasonField)
    throw usage(
      "--verdict-fields status needs --lead-status fit=<value>,not_yet=<value>,not_fit=<value> and --reason-field <field>.",
    );
  const status = Object.fromEntries(
    leadStatus.split(",").map((pair) => {
      const at = pair.indexOf("=");
      if (at < 1) throw usage(`--lead-status takes verdict=<Lead Status> pairs, not "${pair}".`);
      return [pair.slice(0, at).trim(), pair.slice(at + 1).trim()];
    }),
  );
  return { fields: "status", status, reasonField };
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

/** `crm connect|status|sync|disconnect|mapping`: a workspace's link to HubSpot or Salesforce. */
export async function crmCommand(ctx: CliContext, args: CommandArgs): Promise<void> {
  const [action, kind] = args.positionals;
  if (!["connect", "status", "sync", "disconnect", "mapping"].includes(action ?? "")) {
    throw usage(`Unknown crm action "${action ?? ""}".`);
  }
  const plan = action === "connect" ? connectPlan(kind, args) : undefined;
  const backfillDays = backfillDaysFrom(args);
  const verdicts = verdictsFrom(args);
  if (verdicts !== undefined && plan?.how !== "credentials")
    throw usage(
      "--verdict-fields goes with --instance-url and --token; else set it in the mapping: leadfit crm mapping set <file>.",
    );
  if (action === "mapping") return crmMappingCommand(ctx, args);
  const privateKey = plan?.how === "jwt" ? await readPrivateKeyFile(plan.privateKeyFile) : "";
  await withWorkspace(ctx, args.workspace, async (session) => {
    const { workspace } = session;
    if (plan?.how === "authorize") {
      const link = await crmAuthorizeLink(session, {
        kind: plan.kind,
        workspaceId: workspace.id,
        userId: "cli",
        publicUrl: args.options.publicUrl,
      });
      const label = CRM_LABELS[plan.kind];
      ctx.out(
        [
          `Open this link to connect ${workspace.name} to ${label}; it works once, for ${OAUTH_STATE_TTL_MS / 60_000} minutes:`,
          link.url,
          `${label} then sends your browser to ${link.redirectUri}: register that redirect URL in the ${label} app, and have Leadfit running there (--public-url sets its address, kept for the next link).`,
        ].join("\n"),
      );
    } else if (plan) {
      const connection =
        plan.how === "jwt"
          ? await connectSalesforceWithJwt(session, {
              workspaceId: workspace.id,
              username: plan.username,
              privateKey,
              backfillDays,
              connectedBy: "cli",
            })
          : await connectCrm(session, {
              workspaceId: workspace.id,
              credentials: plan.credentials,
              backfillDays,
              connectedBy: "cli",
              verdicts,
            });
      ctx.out(
        `Connected ${workspace.name} to ${CRM_LABELS[connection.kind]} (${connection.account}). The credentials are stored encrypted and will not be shown again.`,
      );
    } else if (action === "status") {
      const status = await crmStatus(session, { workspaceId: workspace.id });
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
      const gone = await disconnectCrm(session, { workspaceId: workspace.id, actor: "cli" });
      ctx.out(
        `Disconnected ${workspace.name} from ${CRM_LABELS[gone]}; its credentials are deleted. Leads and verdicts stay.`,
      );
    }
  });
}

/** `crm mapping show` prints the mapping in the file form; `crm mapping set <file>` replaces it. */
async function crmMappingCommand(ctx: CliContext, args: CommandArgs): Promise<void> {
  const [, what, file] = args.positionals;
  if (what !== "show" && what !== "set")
    throw usage(`crm mapping takes show or set, not "${what ?? ""}".`);
  if (what === "set" && !file)
    throw usage("Name the mapping file: leadfit crm mapping set <file>.");
  await withWorkspace(ctx, args.workspace, async (session) => {
    const { workspace } = session;
    if (what === "show") {
      ctx.out(
        JSON.stringify(await showCrmMapping(session, { workspaceId: workspace.id }), null, 2),
      );
      return;
    }
    const path = file ?? "";
    const mapping = await setCrmMapping(session, {
      workspaceId: workspace.id,
      file: path,
      actor: "cli",
    });
    ctx.out(
      `The CRM mapping of ${workspace.name} is now ${path} (${mapping.label}): the next sync reads it. leadfit crm sync --full reads the backfill period again with it.`,
    );
  });
}
