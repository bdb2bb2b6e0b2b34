import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from "@slack/bolt";
import type { Deps } from "../../../deps.ts";

/**
 * app_uninstalled and tokens_revoked: the workspace is deactivated (its schedules stop with it) and
 * its installation, holding the tokens, is deleted, in one transaction.
 */
export function workspaceUninstalled(deps: Deps) {
  return async ({
    body,
  }: SlackEventMiddlewareArgs<"app_uninstalled" | "tokens_revoked"> &
    AllMiddlewareArgs): Promise<void> => {
    const teamId = body.team_id;
    await deps.repos.installations.uninstall(
      { teamId, enterpriseId: body.enterprise_id },
      deps.now(),
    );
    deps.log.info("workspace deactivated", { teamId, event: body.event.type });
  };
}
