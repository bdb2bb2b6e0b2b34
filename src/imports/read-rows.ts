import type { InputProblem } from "../domain/app-error.ts";
import type { LeadInput, MetricValueInput, OutcomeInput } from "../domain/ingest-schemas.ts";
import {
  bindHeader,
  displayName,
  HEADER_SEARCH_RECORDS,
  type Header,
  headerProblems,
  type MappedRow,
  type RowContext,
  RowMapper,
  requiredTargets,
} from "./mapped-rows.ts";
import type { ImportMapping } from "./mapping.ts";
import type { Progress } from "./progress.ts";
import { isWorkbook, readTable, type TableRecord } from "./table-reader.ts";

// A file's records → its format and header → its rows, each as the API's inputs, or skipped with
// its reason, or its problems. Streamed: only the lines before the header are held.

export type ImportValue = LeadInput | MetricValueInput | OutcomeInput;

export type ReadEvent =
  | { kind: "header"; mapping: ImportMapping; header: Header; mapper: RowMapper }
  | { kind: "fatal"; line: number; problems: InputProblem[] }
  | MappedRow<ImportValue>;

/**
 * The file's rows read with the first of `candidates` whose columns a line of its start names
 * (the most of them when several do); the lines before that header are skipped. When none is
 * found, the header problems are those of the first candidate, on the first line.
 */
export async function* readRows(
  path: string,
  candidates: readonly ImportMapping[],
  context: RowContext,
  progress: Progress,
  onSyntaxError: (problem: InputProblem) => void,
): AsyncGenerator<ReadEvent> {
  let syntaxErrors = 0;
  const records = readTable(path, (problem) => {
    syntaxErrors++;
    onSyntaxError(problem);
  });
  const before: TableRecord[] = [];
  let mapper: RowMapper | undefined;
  let rows = 0;
  let bytesRead = 0;
  for await (const record of records) {
    bytesRead = record.bytesRead;
    if (mapper) {
      rows++;
      yield mapper.read(record);
      progress(rows, bytesRead, false);
      continue;
    }
    const found = recognise(candidates, record);
    if (!found) {
      before.push(record);
      if (before.length < HEADER_SEARCH_RECORDS) continue;
      yield noHeader(candidates, before);
      return;
    }
    const { mapping, header } = found;
    const problems = headerProblems(mapping, record.cells, header, []);
    if (problems.length > 0) {
      yield { kind: "fatal", line: record.line, problems };
      return;
    }
    mapper = new RowMapper(mapping, header, context, record.cells, !isWorkbook(path));
    yield { kind: "header", mapping, header, mapper };
    const comment = mapping.rows.comment;
    for (const skipped of before) {
      const first = skipped.cells.find((c) => c.trim() !== "")?.trim() ?? "";
      const reason = comment && first.startsWith(comment) ? "comment" : "before the header";
      yield { kind: "skipped", line: skipped.line, reason, text: first };
    }
  }
  if (!mapper && (before.length > 0 || syntaxErrors === 0)) yield noHeader(candidates, before);
  progress(rows, bytesRead, true);
}

/** The mapping whose columns this line names, the most of them when several do. */
function recognise(
  candidates: readonly ImportMapping[],
  record: TableRecord,
): { mapping: ImportMapping; header: Header } | undefined {
  let best: { mapping: ImportMapping; header: Header; matched: number } | undefined;
  for (const mapping of candidates) {
    const { header, matched, missing } = bindHeader(mapping, record.cells, record.line);
    if (missing.length === 0 && matched > (best?.matched ?? 0)) best = { mapping, header, matched };
  }
  return best;
}

function noHeader(candidates: readonly ImportMapping[], before: readonly TableRecord[]): ReadEvent {
  const [mapping] = candidates;
  const [first] = before;
  if (!mapping) throw new Error("no format to read the file with");
  if (!first)
    return {
      kind: "fatal",
      line: 1,
      problems: [
        {
          index: 1,
          field: "(header)",
          message: `The file is empty: the first line names the columns (${requiredTargets(mapping)
            .map((alternatives) => alternatives.map((t) => displayName(mapping, t)).join(" or "))
            .join(", ")}, …)`,
        },
      ],
    };
  const { header, missing } = bindHeader(mapping, first.cells, first.line);
  return {
    kind: "fatal",
    line: first.line,
    problems: headerProblems(mapping, first.cells, header, missing),
  };
}
