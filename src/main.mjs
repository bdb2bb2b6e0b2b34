// `npm start`: the app from the compiled build when it is up to date, else from the sources (see
// inbound/launch.mjs).
import { launch } from "./inbound/launch.mjs";

await launch("main");
