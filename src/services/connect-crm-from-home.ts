import type { ModalView } from "@slack/types";
import { type AppError, isAppError } from "../domain/app-error.ts";
import { CRM_LABELS, type CrmCredentials, type CrmKind } from "../domain/crm-connection.ts";
import type { Workspace } from "../domain/workspace.ts";
import type { Logger } from "../log.ts";
import type { AdminDirectory } from "../outbound/slack/admins.ts";
import { noticeModal } from "../presentation/slack/notice.ts";
import { escapeMrkdwn } from "../presentation/slack/text.ts";
import type { ConnectCrmDeps } from "./connect-crm.ts";
import { errorNotice, logUnexpected, userMessageOf } from "./error-notice.ts";
import { requireAdmin } from "./require-admin.ts";

/** The fields of the connect form a problem can be shown beside. */
export type CrmFormField = "token" | "instanceUrl" | "refreshToken" | "backfillDays";

/**
 * How connecting ended: connected (a notice saying so), or refused — with the field the problem is
 * about when the form can still show it, and a notice for when it cannot.
 */
export type CrmConnectOutcome =
  | { connected: true; view: ModalView }
  | { connected: false; field: CrmFormField | undefined; message: string; view: ModalView };

/** The form field an error is about: what the CRM refused, or what the check found malformed. */
function fieldOf(error: AppError, kind: CrmKind): CrmFormField | undefined {
  const named = error.issues[0]?.field;
  if (named === "instanceUrl" || named === "refreshToken" || named === "backfillDays") return named;
  if (named === "accessToken" || error.code === "encryption_key_missing") return "token";
  if (error.code === "crm_unauthorized") return "token";
  // A Salesforce org that does not answer, or not as Salesforce, is most often a mistyped URL.
  if (error.code.startsWith("crm_")) return kind === "salesforce" ? "instanceUrl" : "token";
  return undefined;
}

/**
 * An admin connects the workspace's CRM from App Home with the form's token(s). Checking them
 * against the CRM can outlast Slack's 3 seconds, so this answers at once with `pending` (the
 * notice to show while the check runs) and `outcome`, which settles when it is done: the caller
 * answers Slack with whichever comes first. Audited as on the command line (crm.connected).
 */
export function connectCrmFromHome(
  deps: ConnectCrmDeps & { admins: Pick<AdminDirectory, "isAdmin">; log: Logger },
  input: {
    workspace: Workspace;
    userId: string;
    credentials: CrmCredentials;
    backfillDays: number;
  },
): { pending: ModalView; outcome: Promise<CrmConnectOutcome> } {
  const label = CRM_LABELS[input.credentials.kind];
  const title = `Connect ${label}`;
  return {
    pending: noticeModal(title, `Checking the credentials with ${label}… this takes a moment.`),
    outcome: (async (): Promise<CrmConnectOutcome> => {
      try {
        await requireAdmin(deps, input);
        // The vendors' clients load when first used, as for the sync (sync-connected-crms.ts).
        const { connectCrm } = await import("./connect-crm.ts");
        const connection = await connectCrm(deps, {
          workspaceId: input.workspace.id,
          credentials: input.credentials,
          backfillDays: input.backfillDays,
          connectedBy: input.userId,
        });
        return {
          connected: true,
          view: noticeModal(
            `${label} connected`,
            `Connected to ${label} (${escapeMrkdwn(connection.account)}). The credentials are stored encrypted and will not be shown again.\nThe first sync reads the last ${connection.backfillDays} days; it starts within five minutes, or press *Sync now* on App Home.`,
          ),
        };
      } catch (error) {
        if (!isAppError(error)) {
          logUnexpected(deps, { error, where: "connect a CRM" });
          return {
            connected: false,
            field: undefined,
            message: userMessageOf({ error }),
            view: errorNotice({ title, error }),
          };
        }
        return {
          connected: false,
          field: fieldOf(error, input.credentials.kind),
          message: error.userMessage,
          view: noticeModal(
            title,
            `${escapeMrkdwn(error.userMessage)}\nNothing was saved: press *${title}* on App Home to try again.`,
          ),
        };
      }
    })(),
  };
}
