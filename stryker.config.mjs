// Mutation testing of the domain and the services: `npm run mutation` (slow, run by hand, not in
// CI). Narrow it with `npm run mutation -- --mutate src/domain/week.ts`.
/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
export default {
  testRunner: "vitest",
  vitest: { configFile: "vitest.mutation.config.ts" },
  mutate: ["src/domain/**/*.ts", "src/services/**/*.ts"],
  // The tests that call the domain and the services in-process. Left out: end-to-end tests (the
  // app over HTTP), command-line and database-process tests and the property tests that drive the
  // whole app; each would make every mutant cost minutes. What they alone catch is not counted.
  testFiles: [
    "test/domain/**/*.test.ts",
    "test/services/**/*.test.ts",
    "test/presentation/**/*.test.ts",
    "test/inbound/slack/**/*.test.ts",
    "test/inbound/http/**/*.test.ts",
    "test/inbound/jobs/**/*.test.ts",
    "test/imports/**/*.test.ts",
    "test/outbound/**/*.test.ts",
    "test/property/rules.property.test.ts",
    "test/property/csv-import.property.test.ts",
    "test/property/webhook-targets.property.test.ts",
    "test/property/slack-workspace.property.test.ts",
  ],
  coverageAnalysis: "perTest",
  // Module-level constants (labels, schemas, catalogues) would each need the whole suite run again.
  ignoreStatic: true,
  // Each worker runs its own Vitest and its own embedded database; the machine is small.
  concurrency: 2,
  // Reruns only the mutants whose code or covering tests changed since the last run.
  incremental: true,
  incrementalFile: "reports/mutation/incremental.json",
  // The suite starts databases and HTTP servers: give a slow machine room before calling it a hang.
  timeoutMS: 15_000,
  dryRunTimeoutMinutes: 60,
  reporters: ["clear-text", "progress", "html", "json"],
  htmlReporter: { fileName: "reports/mutation/index.html" },
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  tempDirName: ".stryker-tmp",
};
