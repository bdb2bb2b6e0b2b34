import type { ModalView } from "@slack/types";
import { CRM_LABELS, type CrmKind } from "../../domain/crm-connection.ts";
import { MAX_PUBLIC_URL, OAUTH_STATE_TTL_MS } from "../../domain/crm-oauth-state.ts";
import { ACTIONS, INPUTS, VIEWS } from "./ids.ts";
import { button, escapeMrkdwn, mrkdwn, plain, slackDate } from "./text.ts";

/** Where the CRM's app lists the addresses it may send the admin back to. */
const REGISTER_IN: Record<CrmKind, string> = {
  hubspot: "your HubSpot app's *Auth* settings (Redirect URLs)",
  salesforce: "your connected app's *Callback URL* (Setup → App Manager → Edit)",
};

/** Who grants access on the CRM's page. */
const WHO_GRANTS: Record<CrmKind, string> = {
  hubspot: "a super admin of the portal picks the account and grants access",
  salesforce: "log in as the integration user and allow access",
};

const title = (kind: CrmKind) => plain(`Authorize ${CRM_LABELS[kind]}`);

/**
 * The form asking Leadfit's public address before making a CRM's authorize link: the CRM sends
 * the admin's browser back there. Starts from the address last given in the workspace.
 */
export function crmAuthorizeModal(kind: CrmKind, publicUrl: string): ModalView {
  const label = CRM_LABELS[kind];
  return {
    type: "modal",
    callback_id: VIEWS.crmAuthorize,
    private_metadata: kind,
    title: title(kind),
    submit: plain("Make the link"),
    close: plain("Cancel"),
    blocks: [
      {
        type: "section",
        text: mrkdwn(
          `Leadfit makes a link to ${label}'s authorize page. Once you grant access there, ${label} sends your browser back to Leadfit at its public address.`,
        ),
      },
      {
        type: "input",
        block_id: INPUTS.crmPublicUrl,
        label: plain("Leadfit's public address"),
        hint: plain(
          `The http(s) address your browser and ${label} reach Leadfit at, such as https://leadfit.example.com (http://localhost:<PORT> when your browser runs on Leadfit's machine).`,
        ),
        element: {
          type: "plain_text_input",
          action_id: INPUTS.crmPublicUrl,
          initial_value: publicUrl.slice(0, MAX_PUBLIC_URL),
          max_length: MAX_PUBLIC_URL,
        },
      },
    ],
  };
}

/**
 * The authorize link made: the redirect URL to register in the CRM's app, a button opening the
 * CRM's authorize page, and when the link stops working.
 */
export function crmAuthorizeLinkModal(link: {
  kind: CrmKind;
  url: string;
  redirectUri: string;
  publicUrl: string;
  expiresAt: Date;
}): ModalView {
  const label = CRM_LABELS[link.kind];
  return {
    type: "modal",
    title: title(link.kind),
    close: plain("Done"),
    blocks: [
      {
        type: "section",
        text: mrkdwn(
          `*1. Register the redirect URL* in ${REGISTER_IN[link.kind]}, if it is not there yet:\n\`${escapeMrkdwn(link.redirectUri)}\``,
        ),
      },
      {
        type: "section",
        text: mrkdwn(
          `*2. Open ${label}*: ${WHO_GRANTS[link.kind]}. The link works once and expires in ${OAUTH_STATE_TTL_MS / 60_000} minutes (${slackDate(link.expiresAt)}).`,
        ),
        accessory: button(ACTIONS.crmAuthorizeOpen, `Open ${label}`, {
          url: link.url,
          style: "primary",
        }),
      },
      {
        type: "context",
        elements: [
          mrkdwn(
            `${label} then sends your browser to Leadfit, whose page says whether the workspace is connected; App Home shows the connection. Leadfit's address ${escapeMrkdwn(link.publicUrl)} is kept for the next link.`,
          ),
        ],
      },
    ],
  };
}
