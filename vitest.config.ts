import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The slow ones (app processes killed and restarted) run with vitest.slow.config.ts.
    exclude: ["test/slow/**", "node_modules/**"],
    globalSetup: ["test/support/global-setup.ts"],
    // Database tests share one PostgreSQL (embedded, or TEST_DATABASE_URL's server).
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
