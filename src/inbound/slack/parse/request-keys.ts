import { z } from "zod";

// Slack's own key for each request it sends, so a retry or a replay of one is recognised: the same
// request carries the same key, and no two requests share one.

const slackId = z.string().min(1).max(255);

const blockAction = z.object({
  user: z.object({ id: slackId }),
  container: z.object({ message_ts: slackId.optional(), view_id: slackId.optional() }).optional(),
});
const clickedAction = z.object({ action_id: slackId, action_ts: slackId });

/** A click: when Slack saw it, who clicked which action, on which message or view. */
export function actionRequestKey(body: unknown, action: unknown): string {
  const { user, container } = blockAction.parse(body);
  const { action_id, action_ts } = clickedAction.parse(action);
  const place = container?.message_ts ?? container?.view_id ?? "";
  return `action:${action_ts}:${user.id}:${action_id}:${place}`;
}

const submittedView = z.object({ id: slackId, hash: slackId });

/** A modal's submission: the view and its version. */
export function viewRequestKey(view: unknown): string {
  const { id, hash } = submittedView.parse(view);
  return `view:${id}:${hash}`;
}

/**
 * A request that can open a modal (a slash command, a click): its trigger id, which Slack makes
 * for each invocation and a byte-for-byte replay repeats.
 */
export function triggerRequestKey(triggerId: unknown): string {
  return `trigger:${slackId.parse(triggerId)}`;
}

/** An Events API event: its event id, the same in each of Slack's retries. */
export function eventRequestKey(body: unknown): string {
  return `event:${z.object({ event_id: slackId }).parse(body).event_id}`;
}
