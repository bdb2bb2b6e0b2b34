#!/usr/bin/env node
// The leadfit command: runs the TypeScript sources directly, so it works right after `npm ci`.
import { register } from "tsx/esm/api";

register();
await import("./main.ts");
