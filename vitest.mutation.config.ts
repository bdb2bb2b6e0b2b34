import { defineConfig, mergeConfig } from "vitest/config";
import suite from "./vitest.config.ts";

// The suite's own config, for `npm run mutation`. Stryker's Vitest runner asks for worker threads,
// and canvas (the chart renderer) crashes the whole process when a thread that drew a chart ends;
// so the test files run in child processes, as they do in `npm test`.
export default mergeConfig(
  suite,
  defineConfig({
    plugins: [
      {
        name: "test-files-in-child-processes",
        configureVitest({ vitest, project }) {
          vitest.config.pool = "forks";
          project.config.pool = "forks";
        },
      },
    ],
  }),
);
