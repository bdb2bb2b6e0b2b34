#!/usr/bin/env node
// The leadfit command: the compiled build when it is up to date, else the sources (see launch.mjs).
import { launch } from "../launch.mjs";

await launch("inbound/cli/main");
