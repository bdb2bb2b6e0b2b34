import type { ModalView } from "@slack/types";
import type { Repositories } from "../db/repositories/index.ts";
import type { Workspace } from "../domain/workspace.ts";
import type { AdminDirectory } from "../outbound/slack/admins.ts";
import type { SlackGateway } from "../outbound/slack/gateway.ts";
import { settingsModal } from "../presentation/slack/settings-modal.ts";
import { requireAdmin } from "./require-admin.ts";

/**
 * "Settings" on App Home, for admins only (checked here, whatever the button's presence says): the
 * form, suggesting the admin's own timezone while the workspace has none.
 */
export async function settingsForm(
  deps: { repos: Pick<Repositories, "metrics">; admins: AdminDirectory; gateway: SlackGateway },
  input: { workspace: Workspace; userId: string },
): Promise<ModalView> {
  const { workspace, userId } = input;
  await requireAdmin(deps, { workspace, userId });
  const [metrics, viewer] = await Promise.all([
    deps.repos.metrics.catalogue(workspace.id),
    workspace.timezone ? undefined : deps.gateway.userInfo(userId),
  ]);
  return settingsModal({ workspace, metrics, timezoneSuggestion: viewer?.timezone ?? null });
}
