import type { ModalView } from "@slack/types";
import { INPUTS, VIEWS } from "./ids.ts";
import { mrkdwn, plain, truncate } from "./text.ts";

/** Names a new ingestion API key. */
export function apiKeyModal(): ModalView {
  return {
    type: "modal",
    callback_id: VIEWS.apiKey,
    title: plain("New API key"),
    submit: plain("Create"),
    close: plain("Cancel"),
    blocks: [
      {
        type: "input",
        block_id: INPUTS.apiKeyLabel,
        label: plain("What is it for?"),
        hint: plain(
          "E.g. HubSpot sync or Google Ads export. The key is shown once, right after this.",
        ),
        element: { type: "plain_text_input", action_id: INPUTS.apiKeyLabel, max_length: 100 },
      },
    ],
  };
}

/** Where verdicts are sent. */
export function webhookModal(currentUrl: string | null): ModalView {
  return {
    type: "modal",
    callback_id: VIEWS.webhook,
    title: plain("Verdicts webhook"),
    submit: plain("Save"),
    close: plain("Cancel"),
    blocks: [
      {
        type: "section",
        text: mrkdwn(
          "Every verdict is POSTed to this URL as JSON, signed with HMAC-SHA256 (header `Leadfit-Signature`), and retried for up to 24 hours. Leave it empty to stop sending.",
        ),
      },
      {
        type: "input",
        block_id: INPUTS.webhookUrl,
        optional: true,
        label: plain("URL"),
        element: {
          type: "url_text_input",
          action_id: INPUTS.webhookUrl,
          ...(currentUrl ? { initial_value: truncate(currentUrl, 3000) } : {}),
        },
      },
    ],
  };
}
