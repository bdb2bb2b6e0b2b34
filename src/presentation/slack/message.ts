import type { KnownBlock } from "@slack/types";

/** A message to post or answer with: blocks, and the notification / fallback text. */
export interface Message {
  text: string;
  blocks: KnownBlock[];
}
