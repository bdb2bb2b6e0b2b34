// The embedded database's thread starts here: a worker does not inherit the TypeScript loader of
// the thread that started it, so it registers its own, as src/inbound/cli/leadfit.mjs does.
import { register } from "tsx/esm/api";

register();
await import("./embedded-thread.ts");
