import type { ModalView } from "@slack/types";
import type { CrmKind } from "../domain/crm-connection.ts";
import { crmConnectModal } from "../presentation/slack/crm-connect-modal.ts";

/** The form connecting HubSpot or Salesforce with a token, opened from admins' App Home. */
export function crmConnectForm(input: { kind: CrmKind }): ModalView {
  return crmConnectModal(input.kind);
}
