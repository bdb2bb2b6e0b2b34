import type { Repositories } from "../db/repositories/index.ts";
import type { ContextNote } from "../domain/context-note.ts";
import type { SlackGateway } from "../outbound/slack/gateway.ts";
import { contextNoteSaved } from "../presentation/slack/context-note.ts";

interface SlackMessageRef {
  channelId: string;
  ts: string;
}

/**
 * After a note from the modal is stored (and acknowledged): from a digest's "Add context", it is
 * posted in the digest's thread for the discussion; from a message (shortcut), it is linked to that
 * message and its author told, just them.
 */
export async function confirmContextNote(
  deps: { repos: Pick<Repositories, "contextNotes">; gateway: SlackGateway },
  input: {
    workspaceId: string;
    note: ContextNote;
    userId: string;
    thread: SlackMessageRef | undefined;
    source: SlackMessageRef | undefined;
  },
): Promise<void> {
  const { gateway } = deps;
  const { note, thread, source } = input;
  const message = { text: contextNoteSaved({ note }), blocks: [] };
  if (thread) await gateway.postMessage(thread.channelId, message, { threadTs: thread.ts });
  if (source) {
    const permalink = await gateway.permalink(source.channelId, source.ts);
    if (permalink)
      await deps.repos.contextNotes.setPermalink(input.workspaceId, note.id, permalink);
    await gateway.postEphemeral(source.channelId, input.userId, message);
  }
}
