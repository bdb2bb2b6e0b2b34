import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/support/global-setup.ts"],
    // Database tests share one PostgreSQL (embedded, or TEST_DATABASE_URL's server).
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
