import type { ModalView } from "@slack/types";
import { mrkdwn, plain, truncate } from "./text.ts";

/** A modal that only says something: a refusal, or what happened. */
export function noticeModal(title: string, text: string): ModalView {
  return {
    type: "modal",
    title: plain(truncate(title, 24)),
    close: plain("Close"),
    blocks: [{ type: "section", text: mrkdwn(truncate(text, 3000)) }],
  };
}

/** A new API key, shown once in the modal that replaces the form. */
export function apiKeyCreatedNotice(key: string): ModalView {
  return noticeModal(
    "API key created",
    `Copy it now — it is not shown again:\n\`\`\`${key}\`\`\`\nSend it to the ingestion API in the header \`Authorization: Bearer\` followed by the key.`,
  );
}

/** A new webhook URL's signing secret, shown once. */
export function webhookSavedNotice(url: string, secret: string): ModalView {
  return noticeModal(
    "Webhook saved",
    `Verdicts now go to ${url}.\nSigning secret — give it to the receiver; it is not shown again:\n\`\`\`${secret}\`\`\``,
  );
}
