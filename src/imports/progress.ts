// How far an import is, for a progress bar; reported often enough to move, rarely enough to be
// cheap.

export interface ImportProgress {
  /** Validating checks the file (dry run); writing checks and stages it; applying makes it take effect. */
  phase: "validating" | "writing" | "applying";
  /** Data rows read (or applied) so far in this phase. */
  rows: number;
  /** Bytes of the file read so far in this phase (applying: in proportion to the rows). */
  bytes: number;
  totalBytes: number;
}

/** Reports a streaming phase: rows and bytes read so far; `final` once at its end. */
export type Progress = (rows: number, bytes: number, final: boolean) => void;

export const PROGRESS_INTERVAL_MS = 100;

/** Reports a streaming phase's progress, at most every PROGRESS_INTERVAL_MS; never awaited. */
export function throttleProgress(
  onProgress: ((progress: ImportProgress) => unknown) | undefined,
  phase: ImportProgress["phase"],
  totalBytes: number,
): Progress {
  let last = Number.NEGATIVE_INFINITY;
  return (rows, bytes, final) => {
    if (!onProgress) return;
    const now = performance.now();
    if (!final && now - last < PROGRESS_INTERVAL_MS) return;
    last = now;
    onProgress({
      phase,
      rows,
      bytes: final ? totalBytes : Math.min(bytes, totalBytes),
      totalBytes,
    });
  };
}
