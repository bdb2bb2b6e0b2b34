import { helpMessage } from "../presentation/slack/help.ts";
import type { Message } from "../presentation/slack/message.ts";

/** `/leadfit help`, and the answer to input `/leadfit` does not understand. */
export function leadfitHelp(): Message {
  return helpMessage();
}
