import { z } from "zod";

// What PostgreSQL cannot store must be refused at the edge with a message, not found out by the
// database as a 500: a NUL character, half of a UTF-16 surrogate pair, a year outside 1–9999.

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const UNSTORABLE_TEXT = "Text cannot contain NUL characters or broken Unicode";

export function isStorableText(text: string): boolean {
  return !text.includes("\u0000") && !LONE_SURROGATE.test(text);
}

/** A string schema that refuses text PostgreSQL cannot store. */
export function storableString() {
  return z.string().refine(isStorableText, UNSTORABLE_TEXT);
}

/** Text from a person (Slack) made storable: NULs dropped, broken surrogates replaced. */
export function toStorableText(text: string): string {
  return text.replaceAll("\u0000", "").replace(new RegExp(LONE_SURROGATE, "g"), "\uFFFD");
}

export const UNSTORABLE_YEAR = "Years run from 0001 to 9999";

/** Whether a date's year is one PostgreSQL and JavaScript agree on. */
export function isStorableYear(date: Date): boolean {
  const year = date.getUTCFullYear();
  return year >= 1 && year <= 9999;
}
