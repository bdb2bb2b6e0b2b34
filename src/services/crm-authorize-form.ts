import type { ModalView } from "@slack/types";
import type { CrmKind } from "../domain/crm-connection.ts";
import { crmAuthorizeModal } from "../presentation/slack/crm-authorize-modal.ts";
import { type CrmAuthorizeDeps, publicUrlOf } from "./authorize-crm.ts";

/**
 * The form asking Leadfit's public address for a CRM's authorize link, opened from admins' App
 * Home, filled in with the address the next link would use.
 */
export async function crmAuthorizeForm(
  deps: Pick<CrmAuthorizeDeps, "repos" | "config">,
  input: { workspaceId: string; kind: CrmKind },
): Promise<ModalView> {
  return crmAuthorizeModal(input.kind, await publicUrlOf(deps, input));
}
