import { randomBytes } from "node:crypto";
import type { ModalView } from "@slack/types";
import type { Repositories } from "../db/repositories/index.ts";
import type { Workspace } from "../domain/workspace.ts";
import type { AdminDirectory } from "../outbound/slack/admins.ts";
import { checkWebhookTarget } from "../outbound/webhook-client.ts";
import { webhookModal } from "../presentation/slack/admin-modals.ts";
import { webhookSavedNotice } from "../presentation/slack/notice.ts";
import { requireAdmin } from "./require-admin.ts";

/** "Webhook" on App Home: the form, with the URL verdicts go to now. */
export function webhookForm(input: { workspace: Workspace }): ModalView {
  return webhookModal(input.workspace.webhook?.url ?? null);
}

/**
 * Sets (or clears) where verdicts are sent. A new URL gets a new signing secret, shown once in
 * the notice returned for the admin to give the receiver; otherwise there is nothing to show.
 */
export async function configureWebhook(
  deps: { repos: Repositories; admins: AdminDirectory; config: { webhookAllowPrivate: boolean } },
  input: { workspace: Workspace; userId: string; url: string | null },
): Promise<ModalView | undefined> {
  await requireAdmin(deps, input);
  if (!input.url) {
    await deps.repos.workspaces.setWebhook(input.workspace.id, null, input.userId);
    return undefined;
  }
  await checkWebhookTarget(input.url, deps.config.webhookAllowPrivate);
  if (input.workspace.webhook?.url === input.url) return undefined;
  const secret = `whsec_${randomBytes(24).toString("base64url")}`;
  await deps.repos.workspaces.setWebhook(
    input.workspace.id,
    { url: input.url, secret },
    input.userId,
  );
  return webhookSavedNotice(input.url, secret);
}
