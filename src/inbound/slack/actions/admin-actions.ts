import type { Deps } from "../../../deps.ts";
import type { Workspace } from "../../../domain/workspace.ts";
import { apiKeyModal, webhookModal } from "../../../presentation/slack/admin-modals.ts";
import { noticeModal } from "../../../presentation/slack/notice.ts";
import { revokeApiKey } from "../../../services/api-keys.ts";
import { publishAppHome } from "../../../services/publish-app-home.ts";
import { requireAdmin } from "../../../services/require-admin.ts";
import type { ButtonArgs } from "../listener-args.ts";
import { apiKeyIdValue } from "../parse/values.ts";
import { reportError, userMessageOf } from "../report-error.ts";
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
        .openView(args.body.trigger_id, noticeModal("Leadfit", userMessageOf(error)))
        .catch(() => {});
    }
  };
}

export const createApiKeyButton = (deps: Deps) =>
  adminOnly(deps, "open the API key modal", ({ body, gateway }) =>
    gateway.openView(body.trigger_id, apiKeyModal()),
  );

export const configureWebhookButton = (deps: Deps) =>
  adminOnly(deps, "open the webhook modal", ({ body, gateway }, workspace) =>
    gateway.openView(body.trigger_id, webhookModal(workspace.webhook?.url ?? null)),
  );

export const revokeApiKeyButton = (deps: Deps) =>
  adminOnly(deps, "revoke an API key", async ({ body, action, gateway }, workspace) => {
    await revokeApiKey(deps, {
      workspaceId: workspace.id,
      id: apiKeyIdValue.parse(action.value),
      revokedBy: body.user.id,
    });
    await publishAppHome(
      { ...deps, gateway },
      { workspaceId: workspace.id, viewerId: body.user.id },
    );
  });
