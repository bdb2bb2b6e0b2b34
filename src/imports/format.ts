import type { z } from "zod";
import type { InputProblem } from "../domain/app-error.ts";

// What a file format is: its columns and how one row becomes the HTTP API's JSON shape. A row is
// then parsed with the API's own zod schema, so a file row and an API item mean the same.

export interface ImportFormat<T> {
  /** Documented columns, as written in the docs. */
  columns: readonly string[];
  required: readonly string[];
  schema: z.ZodType<T>;
  /** Problems with the columns that are not documented (empty when they are welcome). */
  extraColumns: (extra: readonly { name: string }[], line: number) => InputProblem[];
  /** Cells (empty = absent) → the API's JSON shape. */
  toInput: (cells: ReadonlyMap<string, string>) => unknown;
  /** The column a schema issue is about. */
  column: (path: readonly PropertyKey[]) => string;
  /** What must not repeat in one file. */
  identity: (value: T) => { value: string; field: string; repeated: (line: number) => string };
}
