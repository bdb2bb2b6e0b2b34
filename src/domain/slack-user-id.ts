const SLACK_USER = /^[UW][A-Z0-9]{6,}$/;

/** Whether an owner is written as a Slack user id (U…, or W… on Enterprise Grid). */
export function isSlackUserId(owner: string): boolean {
  return SLACK_USER.test(owner);
}
