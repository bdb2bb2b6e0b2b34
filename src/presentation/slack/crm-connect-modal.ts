import type { InputBlock, ModalView } from "@slack/types";
import { BACKFILL_DAYS, CRM_LABELS, type CrmKind } from "../../domain/crm-connection.ts";
import { INPUTS, VIEWS } from "./ids.ts";
import { mrkdwn, plain } from "./text.ts";

const HELP: Record<CrmKind, string> = {
  hubspot:
    "In HubSpot: Settings → Integrations → Private Apps → Create a private app, with the scopes `crm.objects.contacts.read`, `crm.objects.owners.read`, `crm.objects.deals.read`, `crm.objects.contacts.write` and `crm.schemas.contacts.write`; paste its access token here. Leadfit tries it, stores it encrypted and never shows it again.",
  salesforce:
    "Tokens of an integration user from your connected app's web server flow (scopes `api`, `refresh_token, offline_access`). Leadfit tries them, stores them encrypted and never shows them again.",
};

function tokenInput(id: string, label: string, optional = false): InputBlock {
  return {
    type: "input",
    block_id: id,
    label: plain(label),
    optional,
    element: { type: "plain_text_input", action_id: id, max_length: 3000 },
  };
}

/**
 * The form connecting a CRM with a token, as `leadfit crm connect` takes it: HubSpot's private app
 * token; Salesforce's instance URL, access token and refresh token. The CRM's kind rides in
 * `private_metadata`.
 */
export function crmConnectModal(kind: CrmKind): ModalView {
  const credentials: InputBlock[] =
    kind === "hubspot"
      ? [tokenInput(INPUTS.crmToken, "Private app access token")]
      : [
          {
            type: "input",
            block_id: INPUTS.crmInstanceUrl,
            label: plain("Instance URL"),
            hint: plain("https://<your domain>.my.salesforce.com"),
            element: { type: "url_text_input", action_id: INPUTS.crmInstanceUrl },
          },
          tokenInput(INPUTS.crmToken, "Access token"),
          {
            ...tokenInput(INPUTS.crmRefreshToken, "Refresh token", true),
            hint: plain(
              "Lets Leadfit renew the access token (SALESFORCE_CLIENT_ID and _SECRET set).",
            ),
          },
        ];
  return {
    type: "modal",
    callback_id: VIEWS.crmConnect,
    private_metadata: kind,
    title: plain(`Connect ${CRM_LABELS[kind]}`),
    submit: plain("Connect"),
    close: plain("Cancel"),
    blocks: [
      { type: "section", text: mrkdwn(HELP[kind]) },
      ...credentials,
      {
        type: "input",
        block_id: INPUTS.crmBackfillDays,
        label: plain("Days the first sync reads back"),
        element: {
          type: "number_input",
          action_id: INPUTS.crmBackfillDays,
          is_decimal_allowed: false,
          min_value: String(BACKFILL_DAYS.min),
          max_value: String(BACKFILL_DAYS.max),
          initial_value: String(BACKFILL_DAYS.default),
        },
      },
    ],
  };
}
