// Slack's Block Kit limits (see SLACK-LIMITS.md) and the small helpers that keep builders within them.

import type { PlainTextOption } from "@slack/types";
import { AppError } from "../../domain/app-error.ts";
import type { MetricDefinition } from "../../domain/metrics.ts";
import { oneLine, plain, truncate } from "./text.ts";

export const MAX_MESSAGE_BLOCKS = 50;
export const MAX_VIEW_BLOCKS = 100;
export const MAX_SECTION_TEXT = 3000;
export const MAX_SECTION_FIELDS = 10;
export const MAX_FIELD_TEXT = 2000;
export const MAX_CONTEXT_ELEMENTS = 10;
export const MAX_HEADER_TEXT = 150;
export const MAX_BUTTON_TEXT = 75;
export const MAX_OPTIONS = 100;
export const MAX_OPTION_TEXT = 75;
export const MAX_OPTION_VALUE = 150;
export const MAX_MODAL_TITLE = 24;
export const MAX_PRIVATE_METADATA = 3000;
export const MAX_TEXT_INPUT = 3000;
/** Not a documented limit: messages this large have been rejected while under every other one. */
export const MESSAGE_JSON_BUDGET = 12_000;

/** A select option; its text made one line and cut to 75 characters. The value is never cut. */
export function option(text: string, value: string): PlainTextOption {
  return { text: plain(truncate(oneLine(text), MAX_OPTION_TEXT) || truncate(value, 75)), value };
}

/** "Leads (lead)": the metric's label and stage; the value is the metric key. */
export function metricOption(metric: Pick<MetricDefinition, "key" | "label" | "stage">) {
  return option(`${oneLine(metric.label)} (${metric.stage})`, metric.key);
}

/**
 * Up to 100 options from items whose value fits (a cut value could not be parsed back); items in
 * `first` (already selected ones) are kept ahead of the rest, then the input order holds.
 */
export function pickOptions<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  first: readonly string[] = [],
  max = MAX_OPTIONS,
): T[] {
  const seen = new Set<string>();
  const usable = items.filter((item) => {
    const value = keyOf(item);
    if (value === "" || value.length > MAX_OPTION_VALUE || seen.has(value)) return false;
    seen.add(value);
    return true;
  });
  const keep = new Set([...usable.filter((i) => first.includes(keyOf(i))), ...usable]);
  const kept = new Set([...keep].slice(0, max));
  return usable.filter((item) => kept.has(item));
}

/** private_metadata is written by the app, never by a user: too long is a bug, not user input. */
export function checkPrivateMetadata(privateMetadata: string): string {
  if (privateMetadata.length > MAX_PRIVATE_METADATA) {
    throw new AppError(
      "private_metadata_too_long",
      `private_metadata has ${privateMetadata.length} characters; Slack allows ${MAX_PRIVATE_METADATA}`,
      "Leadfit could not open that form. Please try again.",
    );
  }
  return privateMetadata;
}
