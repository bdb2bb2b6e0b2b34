/** Where a progress bar is drawn: a terminal stream (process.stderr) or a fake one in tests. */
export interface ProgressStream {
  isTTY?: boolean | undefined;
  columns?: number | undefined;
  write(text: string): unknown;
}

export interface ProgressBar {
  /** Redraws the line: `fraction` of the work done (0 to 1), and what is being done. */
  update(fraction: number, text: string): void;
  /** Ends the line, so what comes next starts on a fresh one. */
  done(): void;
}

const WIDTH = 20;
const countFormat = new Intl.NumberFormat("en-US");

/** "45,000": counts in progress and summaries. */
export function formatNumber(n: number): string {
  return countFormat.format(n);
}

/**
 * A one-line progress bar, `[#########-----------] 45% validating 45,000 rows`, redrawn in place on
 * a terminal; nothing at all when the stream is not a terminal (pipes, CI logs, tests).
 */
export function progressBar(stream: ProgressStream = process.stderr): ProgressBar {
  if (!stream.isTTY) return { update: () => {}, done: () => {} };
  let drawn = false;
  return {
    update(fraction, text) {
      const share = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
      const filled = Math.round(share * WIDTH);
      let line = `[${"#".repeat(filled)}${"-".repeat(WIDTH - filled)}] ${Math.floor(share * 100)}% ${text}`;
      if (stream.columns && line.length >= stream.columns) line = line.slice(0, stream.columns - 1);
      // \x1b[K clears what a longer previous line left behind.
      stream.write(`\r${line}\x1b[K`);
      drawn = true;
    },
    done() {
      if (drawn) stream.write("\n");
      drawn = false;
    },
  };
}
