export function buildIsFresh(srcDir?: string, distDir?: string): boolean;
export function launchTarget(entry: string, srcDir?: string, distDir?: string): string;
export function launch(entry: string): Promise<void>;
