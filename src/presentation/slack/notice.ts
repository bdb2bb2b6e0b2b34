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
