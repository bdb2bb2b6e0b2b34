import { z } from "zod";
import { VERDICTS } from "../../../domain/verdict.ts";

// Button values and private_metadata come back from Slack's clients: parse them, never trust them.

export const leadIdValue = z.uuid({ error: "not a lead id" });
/** A digest schedule's or run's id on an App Home button, or a schedule modal's metadata. */
export const scheduleIdValue = z.uuid({ error: "not a schedule id" });
export const runIdValue = z.uuid({ error: "not a digest run id" });
export const apiKeyIdValue = z.uuid({ error: "not an API key id" });
/** A campaign alias's name on its App Home Remove button. */
export const aliasNameValue = z.string().trim().min(1, "no alias name").max(200);
export const versionValue = z.coerce.number().int().positive();
export const offsetValue = z.coerce.number().int().min(0).max(1_000_000);

/** What a modal carries in private_metadata between opening and submission. */
export const feedbackModalMetadata = z.object({
  leadId: leadIdValue.optional(),
  /** Where the modal was opened from, so a message there can be updated. */
  channelId: z.string().optional(),
});
export type FeedbackModalMetadata = z.infer<typeof feedbackModalMetadata>;

export const contextNoteMetadata = z.object({
  /** The message the note was made from (message shortcut): linked from the note. */
  source: z.object({ channelId: z.string(), ts: z.string() }).optional(),
  /** The digest whose thread the note is posted in ("Add context"). */
  thread: z.object({ channelId: z.string(), ts: z.string() }).optional(),
});
export type ContextNoteMetadata = z.infer<typeof contextNoteMetadata>;

export function parseMetadata<T>(schema: z.ZodType<T>, text: string | undefined): T | undefined {
  if (!text) return undefined;
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export const verdictValue = z.enum(VERDICTS);

/** The campaign report buttons carry { campaign, week }. */
export const reportValue = z.object({
  campaign: z.string().nullable(),
  week: z.string().regex(/^\d{4}-W\d{2}$/),
});

/** The hindsight "Post to channel" button carries { campaign }. */
export const hindsightValue = z.object({ campaign: z.string().nullable() });

export const weekValue = z.string().regex(/^\d{4}-W\d{2}$/);

export function parseJsonValue<T>(schema: z.ZodType<T>, text: string | undefined): T | undefined {
  return parseMetadata(schema, text);
}
