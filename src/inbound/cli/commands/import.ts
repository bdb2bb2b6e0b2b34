import { basename } from "node:path";
import { AppError, isAppError } from "../../../domain/app-error.ts";
import {
  csvFileSize,
  IMPORT_KINDS,
  type ImportKind,
  InvalidCsvError,
  importCsv,
} from "../../../services/import-csv.ts";
import { type CliContext, type CommandArgs, withWorkspace } from "../context.ts";
import { formatNumber, progressBar } from "../progress.ts";

export const IMPORT_USAGE =
  "Usage: leadfit import metrics|leads <file.csv> [--dry-run] [--workspace <team id>]";

/** Problems printed before "and N more". */
const SHOWN_PROBLEMS = 50;

/** `leadfit import metrics|leads <file.csv> [--dry-run]`: validates the whole file, then stores it. */
export async function importCommand(
  ctx: CliContext,
  args: CommandArgs,
  stderr: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Promise<void> {
  const [kind, path] = args.positionals;
  if (!isImportKind(kind) || !path) {
    const what = !isImportKind(kind)
      ? `Unknown import "${kind ?? ""}": metrics or leads.`
      : "Name the CSV file to import.";
    throw new AppError("usage", `${what} ${IMPORT_USAGE}`, `${what}\n${IMPORT_USAGE}`);
  }
  const dryRun = args.options.dryRun ?? false;
  await csvFileSize(path); // a missing file is reported before the database is opened
  const bar = progressBar();
  try {
    const result = await withWorkspace(ctx, args.workspace, ({ db, repos, workspace }) =>
      importCsv(
        { db, repos },
        {
          workspace,
          kind,
          path,
          dryRun,
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
    const rows = `${formatNumber(result.rows)} ${noun(kind, result.rows)}`;
    ctx.out(
      result.dryRun
        ? `${file} is valid: ${rows} (dry run, nothing written).`
        : `Imported ${rows} from ${file}: ${formatNumber(result.created)} created, ${formatNumber(result.updated)} updated, ${formatNumber(result.unchanged)} unchanged.`,
    );
  } catch (error) {
    bar.done();
    if (isAppError(error) && error.code === "invalid_csv") printProblems(error, stderr);
    throw error;
  }
}

function isImportKind(kind: string | undefined): kind is ImportKind {
  return (IMPORT_KINDS as readonly (string | undefined)[]).includes(kind);
}

function noun(kind: ImportKind, n: number): string {
  if (kind === "leads") return n === 1 ? "lead" : "leads";
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
