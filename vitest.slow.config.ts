import { defineConfig } from "vitest/config";

// The slow tests: real app processes killed and restarted, faults held for seconds. `npm run
// test:slow`; CI runs them on both databases after `npm test`.
export default defineConfig({
  test: {
    include: ["test/slow/**/*.test.ts"],
    globalSetup: ["test/support/global-setup.ts"],
    testTimeout: 400_000,
    hookTimeout: 120_000,
    // One at a time: each starts app processes and measures what survives them.
    fileParallelism: false,
  },
});
