import type { Repositories } from "../db/repositories/index.ts";
import { pendingLeadsNote } from "../presentation/slack/app-home.ts";
import type { Message } from "../presentation/slack/message.ts";

/** A digest's "Review pending leads": how many leads wait for a verdict, and where they wait. */
export async function pendingLeads(
  deps: { repos: Pick<Repositories, "leads"> },
  input: { workspaceId: string; viewerId: string },
): Promise<Message> {
  const { total } = await deps.repos.leads.unreviewed(input.workspaceId, {
    viewerId: input.viewerId,
    limit: 1,
  });
  return { text: pendingLeadsNote(total), blocks: [] };
}
