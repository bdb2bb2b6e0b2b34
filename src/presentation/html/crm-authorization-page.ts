import { escapeHtml } from "./escape.ts";

/** What the admin's browser shows at the end of a CRM's OAuth flow: done, or what went wrong. */
export interface CrmAuthorizationPage {
  status: number;
  html: string;
}

/** A small page in the style of the digest preview: a title and a sentence or two. */
export function crmAuthorizationPage(input: {
  status: number;
  title: string;
  lines: readonly string[];
}): CrmAuthorizationPage {
  return {
    status: input.status,
    html: `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(input.title)}</title>
<style>
body { font: 15px/1.5 system-ui, sans-serif; max-width: 760px; margin: 2rem auto; padding: 0 1rem; color: #1d1c1d; }
h1 { font-size: 1.4rem; }
</style></head><body>
<h1>${escapeHtml(input.title)}</h1>
${input.lines.map((line) => `<p>${escapeHtml(line)}</p>`).join("\n")}
</body></html>
`,
  };
}
