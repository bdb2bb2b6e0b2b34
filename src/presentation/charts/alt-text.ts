// Alt texts state a chart's numbers in words, for screen readers and for people reading Slack
// without images.

/** Slack's limit for an image's alt text. */
export const MAX_ALT_TEXT = 2000;

/** "$120k, $98k, no data, …" — every week's figure, in order. */
export function seriesText(
  values: readonly (number | null)[],
  show: (v: number) => string,
): string {
  return values.map((v) => (v === null ? "no data" : show(v))).join(", ");
}

/** "a", "a and b", "a, b and c". */
export function listText(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/** Cut to Slack's limit with "…", never inside a surrogate pair. */
export function limitAltText(text: string, max = MAX_ALT_TEXT): string {
  if (text.length <= max) return text;
  let cut = max - 1;
  const last = text.charCodeAt(cut - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut -= 1;
  return `${text.slice(0, cut).trimEnd()}…`;
}
