import type { Deps } from "../../../deps.ts";
import type { Workspace } from "../../../domain/workspace.ts";
import { apiKeyForm, revokeApiKey } from "../../../services/api-keys.ts";
import { campaignAliasForm } from "../../../services/campaign-alias-form.ts";
import { removeCampaignAlias } from "../../../services/campaign-aliases.ts";
import { webhookForm } from "../../../services/configure-webhook.ts";
import { errorNotice } from "../../../services/error-notice.ts";
import { publishAppHome } from "../../../services/publish-app-home.ts";
import { requireAdmin } from "../../../services/require-admin.ts";
import type { ButtonArgs } from "../listener-args.ts";
import { aliasNameValue, apiKeyIdValue } from "../parse/values.ts";
import { reportError } from "../report-error.ts";
import { interactionWorkspace } from "../workspace-of-request.ts";

/** An App Home button only admins may use: checked here, whatever the button's presence says. */
export function adminOnly(
  deps: Deps,
  what: string,
  run: (args: ButtonArgs, workspace: Workspace) => Promise<unknown>,
) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const { gateway } = args;
    try {
      const workspace = await interactionWorkspace(deps, args.body);
      await requireAdmin(deps, { workspace, userId: args.body.user.id });
      await run(args, workspace);
    } catch (error) {
      await reportError(deps, error, what);
      await gateway
        .openView(args.body.trigger_id, errorNotice({ title: "Leadfit", error }))
        .catch(() => {});
    }
  };
}

export const createApiKeyButton = (deps: Deps) =>
  adminOnly(deps, "open the API key modal", ({ body, gateway }) =>
    gateway.openView(body.trigger_id, apiKeyForm()),
  );

export const configureWebhookButton = (deps: Deps) =>
  adminOnly(deps, "open the webhook modal", ({ body, gateway }, workspace) =>
    gateway.openView(body.trigger_id, webhookForm({ workspace })),
  );

/** An admin's change from App Home, after which the home is published again to show it. */
function adminChange(
  deps: Deps,
  what: string,
  change: (args: ButtonArgs, workspace: Workspace) => Promise<unknown>,
) {
  return adminOnly(deps, what, async (args, workspace) => {
    await change(args, workspace);
    await publishAppHome(
      { ...deps, gateway: args.gateway },
      { workspaceId: workspace.id, viewerId: args.body.user.id },
    );
  });
}

export const revokeApiKeyButton = (deps: Deps) =>
  adminChange(deps, "revoke an API key", ({ body, action }, workspace) =>
    revokeApiKey(deps, {
      workspaceId: workspace.id,
      id: apiKeyIdValue.parse(action.value),
      revokedBy: body.user.id,
    }),
  );

export const addCampaignAliasButton = (deps: Deps) =>
  adminOnly(deps, "open the campaign alias modal", async ({ body, gateway }, workspace) =>
    gateway.openView(body.trigger_id, await campaignAliasForm(deps, { workspaceId: workspace.id })),
  );

export const removeCampaignAliasButton = (deps: Deps) =>
  adminChange(deps, "remove a campaign alias", ({ body, action }, workspace) =>
    removeCampaignAlias(deps, {
      workspaceId: workspace.id,
      name: aliasNameValue.parse(action.value),
      actor: body.user.id,
    }),
  );
