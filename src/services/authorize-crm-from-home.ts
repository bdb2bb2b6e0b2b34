import type { ModalView } from "@slack/types";
import type { CrmKind } from "../domain/crm-connection.ts";
import type { Workspace } from "../domain/workspace.ts";
import type { Logger } from "../log.ts";
import type { AdminDirectory } from "../outbound/slack/admins.ts";
import { crmAuthorizeLinkModal } from "../presentation/slack/crm-authorize-modal.ts";
import { type CrmAuthorizeDeps, crmAuthorizeLink } from "./authorize-crm.ts";
import { logUnexpected, userMessageOf } from "./error-notice.ts";
import { requireAdmin } from "./require-admin.ts";

/** The authorize form's answer: the link in the modal's place, or why not, beside the address. */
export type CrmAuthorizeOutcome =
  | { made: true; view: ModalView }
  | { made: false; message: string };

/**
 * An admin asks, from App Home, for the link connecting the workspace to HubSpot or Salesforce
 * with OAuth: the address given is checked and kept for the next link, the link made and audited
 * (crm.authorize_link_made) as `leadfit crm connect` does.
 */
export async function authorizeCrmFromHome(
  deps: CrmAuthorizeDeps & { admins: Pick<AdminDirectory, "isAdmin">; log: Logger },
  input: { workspace: Workspace; userId: string; kind: CrmKind; publicUrl: string },
): Promise<CrmAuthorizeOutcome> {
  try {
    await requireAdmin(deps, input);
    const link = await crmAuthorizeLink(deps, {
      kind: input.kind,
      workspaceId: input.workspace.id,
      userId: input.userId,
      publicUrl: input.publicUrl,
    });
    return { made: true, view: crmAuthorizeLinkModal({ kind: input.kind, ...link }) };
  } catch (error) {
    logUnexpected(deps, { error, where: "make a CRM authorize link" });
    return { made: false, message: userMessageOf({ error }) };
  }
}
