import { basename } from "node:path";
import { AppError, isAppError } from "../../../domain/app-error.ts";
import {
  csvFileSize,
  IMPORT_KINDS,
  type ImportKind,
  type ImportPreview,
  InvalidCsvError,
  importCsv,
} from "../../../services/import-csv.ts";
import { type CliContext, type CommandArgs, withWorkspace } from "../context.ts";
import { formatNumber, progressBar } from "../progress.ts";

export const IMPORT_USAGE =
  "Usage: leadfit import metrics|leads|outcomes <file.csv|file.xlsx> [--format <name>] [--mapping <file.json>] [--timezone <IANA zone>] [--create-campaigns] [--dry-run] [--workspace <team id>]";

/** Problems printed before "and N more". */
const SHOWN_PROBLEMS = 50;

/** `leadfit import metrics|leads|outcomes <file> [--dry-run] …`: validates the whole file, then stores it. */
export async function importCommand(
  ctx: CliContext,
  args: CommandArgs,
  stderr: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Promise<void> {
  const [kind, path] = args.positionals;
  if (!isImportKind(kind) || !path) {
    const what = !isImportKind(kind)
      ? `Unknown import "${kind ?? ""}": metrics, leads or outcomes.`
      : "Name the CSV file to import.";
    throw new AppError("usage", `${what} ${IMPORT_USAGE}`, `${what}\n${IMPORT_USAGE}`);
  }
  const { dryRun = false, format, timezone, createCampaigns } = args.options;
  await csvFileSize({ path }); // a missing file is reported before the database is opened
  const bar = progressBar();
  try {
    const result = await withWorkspace(ctx, args.workspace, ({ db, repos, slack, workspace }) =>
      importCsv(
        { db, repos, slack },
        {
          workspace,
          kind,
          path,
          dryRun,
          format,
          mappingFile: args.options.mapping,
          timeZone: timezone,
          createCampaigns,
          onProgress: (p) =>
            bar.update(
              p.totalBytes > 0 ? p.bytes / p.totalBytes : 1,
              `${p.phase} ${formatNumber(p.rows)} rows`,
            ),
        },
      ),
    );
    bar.done();
    const file = basename(path);
    const values = `${formatNumber(result.preview.values)} ${noun(kind, result.preview.values)}`;
    if (result.dryRun) {
      for (const line of previewLines(file, kind, result.preview)) ctx.out(line);
      ctx.out(`${file} is valid: ${values} (dry run, nothing written).`);
    } else {
      ctx.out(
        `Imported ${values} from ${file}${formatNote(result.preview)}: ${formatNumber(result.created)} created, ${formatNumber(result.updated)} updated, ${formatNumber(result.unchanged)} unchanged.`,
      );
      if (result.preview.unmatchedOwners.length > 0) ctx.out(unmatchedOwnersLine(result.preview));
    }
  } catch (error) {
    bar.done();
    if (error instanceof InvalidCsvError && error.preview && dryRun)
      for (const line of previewLines(basename(path), kind, error.preview)) ctx.out(line);
    if (isAppError(error) && error.code === "invalid_csv") printProblems(error, stderr);
    throw error;
  }
}

/** " (HubSpot contacts export)": the format, when it is not Leadfit's own. */
function formatNote(preview: ImportPreview): string {
  return preview.format.name === "leadfit" ? "" : ` (${preview.format.label})`;
}

/** The dry run: what a person reads before trusting an import, on one screen. */
export function previewLines(file: string, kind: ImportKind, preview: ImportPreview): string[] {
  const lines: string[] = [];
  const { format } = preview;
  lines.push(
    `${file}: ${format.label} (${format.recognised ? "recognised from the header" : `--format ${format.name}`}); times without a zone in ${preview.timeZone}`,
  );
  lines.push(`Columns: ${preview.columns.map((c) => `${c.column} ← ${c.header}`).join(", ")}`);
  if (preview.notImported.length > 0)
    lines.push(`Known, not imported: ${preview.notImported.join(", ")}`);
  if (preview.unused.length > 0) lines.push(`Unused columns: ${preview.unused.join(", ")}`);
  const skipped = preview.skipped
    .map((s) => `${s.reason} ${s.rows} (line ${s.firstLine}: "${clip(s.example, 40)}")`)
    .join("; ");
  lines.push(`Rows: ${formatNumber(preview.rows)} read${skipped ? `; skipped: ${skipped}` : ""}`);
  const weeks = preview.weeks.map((w) => `${w.week} (${formatNumber(w.values)})`).join(", ");
  lines.push(
    `Would store ${formatNumber(preview.values)} ${noun(kind, preview.values)}${weeks ? ` in ${weeks}` : ""}`,
  );
  for (const { line, value } of preview.sample) lines.push(`  line ${line}: ${sampleText(value)}`);
  if (preview.defines.length > 0)
    lines.push(`Metrics defined on import: ${preview.defines.join(", ")}`);
  if (preview.unmappedCampaigns.length > 0)
    lines.push(
      `${preview.createCampaigns ? "Campaigns created as named (no alias)" : "Campaigns not mapped"}: ${preview.unmappedCampaigns
        .slice(0, 8)
        .map((c) => `"${c.name}" (${formatNumber(c.rows)})`)
        .join(", ")}${preview.unmappedCampaigns.length > 8 ? ", …" : ""}`,
    );
  if (preview.unmatchedOwners.length > 0) lines.push(unmatchedOwnersLine(preview));
  const definition = preview.definition;
  if (definition)
    lines.push(
      `Agreed definition v${definition.version}: ${formatNumber(definition.met)} of ${formatNumber(definition.total)} would meet it${
        definition.failed.length > 0
          ? `; failed most: ${definition.failed.map((f) => `${f.rule} (${formatNumber(f.leads)} of ${formatNumber(definition.total)})`).join(", ")}`
          : ""
      }`,
    );
  return lines;
}

/** The owners kept as the file writes them, with how many rows each owns. */
function unmatchedOwnersLine(preview: ImportPreview): string {
  return `Owners not matched to a Slack user: ${preview.unmatchedOwners
    .slice(0, 8)
    .map((o) => `${o.name} (${formatNumber(o.rows)})`)
    .join(", ")}${preview.unmatchedOwners.length > 8 ? ", …" : ""}`;
}

function sampleText(value: ImportPreview["sample"][number]["value"]): string {
  if ("lead" in value)
    return [
      value.externalId,
      `lead ${value.lead}`,
      value.type,
      value.at.toISOString(),
      value.amount !== null && `amount ${value.amount}`,
    ]
      .filter(Boolean)
      .join(" · ");
  if ("email" in value) {
    const fields = Object.entries(value.fields)
      .map(([k, v]) => `${k}=${v}`)
      .join(" ");
    return [
      value.externalId,
      value.email,
      value.name,
      value.company,
      value.campaign && `campaign ${value.campaign}`,
      value.owner && `owner ${value.owner}`,
      value.createdAt && `created ${value.createdAt.toISOString()}`,
      fields,
    ]
      .filter(Boolean)
      .join(" · ");
  }
  const period =
    value.period.granularity === "week"
      ? `week of ${value.period.periodStart}`
      : value.period.periodStart;
  return `${value.metric} = ${value.value} · ${value.campaign ?? "company-wide"} · ${period} · ${value.source}`;
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function isImportKind(kind: string | undefined): kind is ImportKind {
  return (IMPORT_KINDS as readonly (string | undefined)[]).includes(kind);
}

function noun(kind: ImportKind, n: number): string {
  if (kind === "leads") return n === 1 ? "lead" : "leads";
  if (kind === "outcomes") return n === 1 ? "outcome" : "outcomes";
  return n === 1 ? "metric value" : "metric values";
}

/** `line 12, column email: A valid email address`, the first few, then how many more. */
function printProblems(error: AppError, stderr: (line: string) => void): void {
  const total = error instanceof InvalidCsvError ? error.problemCount : error.issues.length;
  for (const issue of error.issues.slice(0, SHOWN_PROBLEMS))
    stderr(
      // "(row)" and "(header)" are about a whole line, not one of its columns.
      issue.field.startsWith("(")
        ? `line ${issue.index}: ${issue.message}`
        : `line ${issue.index}, column ${issue.field}: ${issue.message}`,
    );
  const more = total - Math.min(error.issues.length, SHOWN_PROBLEMS);
  if (more > 0) stderr(`and ${formatNumber(more)} more`);
}
