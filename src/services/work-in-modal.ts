import type { View } from "@slack/types";
import type { Logger } from "../log.ts";
import type { SlackGateway } from "../outbound/slack/gateway.ts";
import { noticeModal } from "../presentation/slack/notice.ts";
import { errorNotice, logUnexpected } from "./error-notice.ts";

/**
 * Work that may outlast a trigger's 3 seconds: a modal says it is under way at once, then shows
 * the view the work returns, or what went wrong.
 */
export async function workInModal(
  deps: { gateway: SlackGateway; log: Logger },
  input: { triggerId: string; title: string; work: () => Promise<View> },
): Promise<void> {
  const viewId = await deps.gateway.openView(
    input.triggerId,
    noticeModal(input.title, "Working on it…"),
  );
  const view = await input.work().catch((error: unknown) => {
    logUnexpected(deps, { error, where: input.title });
    return errorNotice({ title: input.title, error });
  });
  await deps.gateway.updateView(viewId, view);
}
