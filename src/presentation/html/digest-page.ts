import type { KnownBlock } from "@slack/types";
import type { Message } from "../slack/message.ts";
import { escapeHtml } from "./escape.ts";

// A readable HTML page of a Block Kit message, for previews outside Slack. It shows what the
// message says (text, fields, images, buttons), not Slack's exact look.

/** Slack mrkdwn (already escaped for Slack) to HTML: bold, italics, code, quotes, links, mentions. */
export function mrkdwnToHtml(text: string): string {
  const unescaped = text
    .replaceAll("&lt;", "\u0001")
    .replaceAll("&gt;", "\u0002")
    .replaceAll("&amp;", "\u0003");
  let html = escapeHtml(unescaped)
    .replace(/```([\s\S]*?)```/g, (_m, code: string) => `<pre>${code}</pre>`)
    .replace(/`([^`]+)`/g, "<code>$1</code>")
    .replace(/&lt;(https?:[^|&]+)\|([^&]+)&gt;/g, '<a href="$1">$2</a>')
    .replace(/&lt;(https?:[^&]+)&gt;/g, '<a href="$1">$1</a>')
    .replace(/&lt;@([A-Z0-9]+)&gt;/g, '<span class="mention">@$1</span>')
    .replace(/&lt;#([A-Z0-9]+)(\|[^&]*)?&gt;/g, '<span class="mention">#$1</span>')
    .replace(/&lt;!date\^\d+\^[^|]*\|([^&]+)&gt;/g, "$1")
    .replace(/(^|[\s(])\*([^*\n]+)\*/g, "$1<strong>$2</strong>")
    .replace(/(^|[\s(])_([^_\n]+)_/g, "$1<em>$2</em>")
    .replace(/^&gt; ?(.*)$/gm, "<blockquote>$1</blockquote>");
  html = html
    .replaceAll("\u0001", "&lt;")
    .replaceAll("\u0002", "&gt;")
    .replaceAll("\u0003", "&amp;");
  return html.replaceAll("\n", "<br>");
}

function textOf(t: { type: string; text: string } | undefined): string {
  if (!t) return "";
  return t.type === "mrkdwn" ? mrkdwnToHtml(t.text) : escapeHtml(t.text);
}

function block(b: KnownBlock): string {
  switch (b.type) {
    case "header":
      return `<h1>${textOf(b.text)}</h1>`;
    case "section": {
      const fields = (b.fields ?? []).map((f) => `<div class="field">${textOf(f)}</div>`).join("");
      return `<section><div>${textOf(b.text)}</div>${fields ? `<div class="fields">${fields}</div>` : ""}</section>`;
    }
    case "context":
      return `<p class="context">${b.elements.map((e) => ("text" in e ? textOf(e) : "")).join(" · ")}</p>`;
    case "divider":
      return "<hr>";
    case "image":
      return `<figure><img src="${escapeHtml("image_url" in b && b.image_url ? b.image_url : "")}" alt="${escapeHtml(b.alt_text)}"><figcaption>${escapeHtml(b.alt_text)}</figcaption></figure>`;
    case "actions":
      return `<p class="actions">${b.elements.map((e) => ("text" in e && e.text ? `<button>${textOf(e.text)}</button>` : "")).join(" ")}</p>`;
    default:
      return "";
  }
}

export function messageToHtml(
  title: string,
  message: Message,
  extraImages: readonly { src: string; alt: string }[] = [],
): string {
  const figures = extraImages
    .map(
      (i) =>
        `<figure><img src="${escapeHtml(i.src)}" alt="${escapeHtml(i.alt)}"><figcaption>${escapeHtml(i.alt)}</figcaption></figure>`,
    )
    .join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>
body { font: 15px/1.5 system-ui, sans-serif; max-width: 760px; margin: 2rem auto; padding: 0 1rem; color: #1d1c1d; }
h1 { font-size: 1.4rem; } section { margin: .8rem 0; } .fields { display: grid; grid-template-columns: 1fr 1fr; gap: .3rem 1rem; margin-top: .4rem; }
.context { color: #616061; font-size: 13px; } .mention { color: #1264a3; background: #e8f5fa; border-radius: 3px; padding: 0 2px; }
pre, code { background: #f6f6f6; border-radius: 4px; } pre { padding: .6rem; white-space: pre-wrap; } img { max-width: 100%; border: 1px solid #ddd; }
figcaption { color: #616061; font-size: 12px; } button { font: inherit; padding: .3rem .8rem; margin-right: .3rem; } blockquote { border-left: 3px solid #ddd; margin: 0; padding-left: .6rem; }
</style></head><body>
${message.blocks.map(block).join("\n")}
<h2>In the thread</h2>
${figures}
</body></html>
`;
}
