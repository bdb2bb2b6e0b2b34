// The embedded database's thread when the app runs from its sources: a worker does not inherit the
// TypeScript loader of the thread that started it, so it registers its own. The compiled build
// starts embedded-thread.js instead.
import { register } from "tsx/esm/api";

register();
await import("./embedded-thread.ts");
