import type { Deps } from "../../../deps.ts";
import type { CrmKind } from "../../../domain/crm-connection.ts";
import { crmAuthorizeForm } from "../../../services/crm-authorize-form.ts";
import { crmConnectForm } from "../../../services/crm-connect-form.ts";
import { disconnectCrm } from "../../../services/disconnect-crm.ts";
import { publishAppHome } from "../../../services/publish-app-home.ts";
import { retryCrmWrites } from "../../../services/retry-crm-writes.ts";
import { syncCrmFromHome } from "../../../services/sync-crm-now.ts";
import { workInModal } from "../../../services/work-in-modal.ts";
import type { ButtonArgs } from "../listener-args.ts";
import { adminOnly } from "./admin-actions.ts";
import { changeFromHome } from "./schedule-actions.ts";

/** App Home's "Retry" on verdicts the CRM did not take: they are queued again. */
export const retryCrmWritesButton = (deps: Deps) =>
  changeFromHome(deps, "retry the CRM's failed writes", ({ value: _value, ...input }) =>
    retryCrmWrites(deps, input),
  );

/** Connect HubSpot / Connect Salesforce: the form taking the token(s). */
export const connectCrmButton = (deps: Deps, kind: CrmKind) =>
  adminOnly(deps, `open the connect ${kind} modal`, ({ body, gateway }) =>
    gateway.openView(body.trigger_id, crmConnectForm({ kind })),
  );

/** Authorize with HubSpot / Salesforce: the form asking Leadfit's public address (OAuth). */
export const authorizeCrmButton = (deps: Deps, kind: CrmKind) =>
  adminOnly(deps, `open the authorize ${kind} modal`, async ({ body, gateway }, workspace) =>
    gateway.openView(
      body.trigger_id,
      await crmAuthorizeForm(deps, { workspaceId: workspace.id, kind }),
    ),
  );

/** The link to the CRM's authorize page: the browser opens it; Slack still wants an answer. */
export const crmAuthorizePageButton = async ({ ack }: ButtonArgs): Promise<void> => {
  await ack();
};

/** Disconnect (behind Slack's confirm dialog): the credentials deleted, audited. */
export const disconnectCrmButton = (deps: Deps) =>
  changeFromHome(deps, "disconnect the CRM", ({ workspace, userId }) =>
    disconnectCrm(deps, { workspaceId: workspace.id, actor: userId }),
  );

/** Sync now: the sync runs after the acknowledgement, its summary in a modal, then the home again. */
export const syncCrmNowButton = (deps: Deps) =>
  adminOnly(deps, "sync the CRM now", async ({ body, gateway }, workspace) => {
    await workInModal(
      { gateway, log: deps.log },
      {
        triggerId: body.trigger_id,
        title: "CRM sync",
        work: () => syncCrmFromHome(deps, { workspaceId: workspace.id }),
      },
    );
    await publishAppHome(
      { ...deps, gateway },
      { workspaceId: workspace.id, viewerId: body.user.id },
    );
  });
