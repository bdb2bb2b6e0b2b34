import type {
  AllMiddlewareArgs,
  BlockAction,
  ButtonAction,
  MessageShortcut,
  SlackActionMiddlewareArgs,
  SlackCommandMiddlewareArgs,
  SlackEventMiddlewareArgs,
  SlackOptionsMiddlewareArgs,
  SlackShortcutMiddlewareArgs,
  SlackViewMiddlewareArgs,
  ViewSubmitAction,
} from "@slack/bolt";
import { SlackGateway } from "../../outbound/slack/gateway.ts";

/** What every listener gets besides Bolt's arguments: the request's Slack, as Leadfit calls it. */
export interface GatewayArgs {
  gateway: SlackGateway;
}

/** What Bolt hands a button's listener. */
export type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> &
  AllMiddlewareArgs &
  GatewayArgs;

/** What Bolt hands a modal submission's listener. */
export type ViewSubmitArgs = SlackViewMiddlewareArgs<ViewSubmitAction> &
  AllMiddlewareArgs &
  GatewayArgs;

/** What Bolt hands the slash command's listener. */
export type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs & GatewayArgs;

/** What Bolt hands a message shortcut's listener. */
export type MessageShortcutArgs = SlackShortcutMiddlewareArgs<MessageShortcut> &
  AllMiddlewareArgs &
  GatewayArgs;

/** What Bolt hands an options (external select) listener. */
export type OptionsArgs = SlackOptionsMiddlewareArgs<"block_suggestion"> & AllMiddlewareArgs;

/** What Bolt hands an event's listener. */
export type EventArgs<Event extends string> = SlackEventMiddlewareArgs<Event> &
  AllMiddlewareArgs &
  GatewayArgs;

/**
 * A listener given the gateway over the client Bolt made for the request's workspace: built here,
 * once per request, where the listener is registered.
 */
export function withGateway<Args extends AllMiddlewareArgs>(
  listener: (args: Args & GatewayArgs) => Promise<void>,
): (args: Args) => Promise<void> {
  return (args) => listener(Object.assign(args, { gateway: new SlackGateway(args.client) }));
}
