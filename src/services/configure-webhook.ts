import { randomBytes } from "node:crypto";
import type { Repositories } from "../db/repositories/index.ts";
import type { Workspace } from "../domain/workspace.ts";
import type { AdminDirectory } from "../outbound/slack/admins.ts";
import { checkWebhookTarget } from "../outbound/webhook-client.ts";
import { requireAdmin } from "./require-admin.ts";

/**
 * Sets (or clears) where verdicts are sent. A new URL gets a new signing secret, returned once
 * for the admin to give the receiver.
 */
export async function configureWebhook(
  deps: { repos: Repositories; admins: AdminDirectory; config: { webhookAllowPrivate: boolean } },
  input: { workspace: Workspace; userId: string; url: string | null },
): Promise<{ secret: string | null }> {
  await requireAdmin(deps, input);
  if (!input.url) {
    await deps.repos.workspaces.setWebhook(input.workspace.id, null, input.userId);
    return { secret: null };
  }
  await checkWebhookTarget(input.url, deps.config.webhookAllowPrivate);
  if (input.workspace.webhook?.url === input.url) return { secret: null };
  const secret = `whsec_${randomBytes(24).toString("base64url")}`;
  await deps.repos.workspaces.setWebhook(
    input.workspace.id,
    { url: input.url, secret },
    input.userId,
  );
  return { secret };
}
