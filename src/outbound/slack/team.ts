import type { WebClient } from "@slack/web-api";
import { AppError } from "../../domain/app-error.ts";

/** The Slack team a bot token belongs to, from auth.test. */
export async function slackTeam(client: WebClient): Promise<{ id: string; name: string }> {
  try {
    const auth = await client.auth.test();
    if (!auth.team_id) throw new Error("auth.test gave no team_id");
    return { id: auth.team_id, name: auth.team ?? auth.team_id };
  } catch (error) {
    throw new AppError(
      "slack_auth_failed",
      `auth.test failed: ${String(error)}`,
      "Slack did not accept SLACK_BOT_TOKEN (auth.test failed). Check the token and SLACK_API_URL.",
      { cause: error },
    );
  }
}
