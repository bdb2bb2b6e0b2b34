import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/**
 * The dependency rule (README, "Architecture"), checked over the import graph of src/:
 * inbound → services → domain, repositories (db/), presentation, outbound. A new import the wrong
 * way fails this test with "file → import (rule)".
 */

const LAYERS = [
  "main",
  "app",
  "deps",
  "config",
  "log",
  "inbound",
  "services",
  "domain",
  "db",
  "presentation",
  "outbound",
  "imports",
] as const;
type Layer = (typeof LAYERS)[number];

/** The layers each layer may import (besides itself and libraries). */
const MAY_IMPORT: Record<Layer, readonly Layer[]> = {
  // main.ts starts things; app.ts wires Bolt and the HTTP server: the two may use every layer.
  main: ["app", "deps", "config", "log", "inbound", "services", "domain", "db", "outbound"],
  app: ["deps", "config", "log", "inbound", "services", "domain", "outbound"],
  // The composition root builds repositories and gateways; inbound and services import only its
  // types (Deps, Repositories), since only main.ts builds things.
  deps: ["config", "log", "domain", "db", "outbound"],
  config: ["domain"],
  log: ["config"],
  // Listeners, routes, commands and jobs parse, call a service and send what it returned. Their
  // only use of presentation is the ids of actions and views they listen for (INBOUND_PRESENTATION).
  inbound: ["deps", "config", "log", "services", "domain", "outbound"],
  services: ["deps", "config", "log", "domain", "db", "presentation", "outbound", "imports"],
  imports: ["domain"],
  domain: [],
  presentation: ["domain"],
  outbound: ["config", "log", "domain"],
  db: ["config", "log", "domain"],
};

const INBOUND_PRESENTATION = "presentation/slack/ids.ts";

const isPrismaOrSql = (pkg: string) =>
  /^(@prisma\/|prisma$|pg$|pg-|@electric-sql\/)/.test(pkg) || pkg.startsWith("db/generated/");

/** Why a library may not be imported from a layer, or undefined when it may. */
function libraryRule(layer: Layer, pkg: string): string | undefined {
  if (isPrismaOrSql(pkg) && layer !== "db") return "nothing outside db/ touches Prisma or SQL";
  const slack = pkg.startsWith("@slack/");
  if (layer === "domain" && (slack || /^node:(fs|net|http|https|dns|child_process)/.test(pkg))) {
    return "domain is pure: no Slack, no I/O";
  }
  if ((layer === "presentation" || layer === "services") && slack && pkg !== "@slack/types") {
    return `${layer} builds typed Block Kit (@slack/types) and talks to Slack through outbound`;
  }
  return undefined;
}

/** The layer of a path relative to src/: its first folder, or the root file's name. */
function layerOf(file: string): Layer | undefined {
  const [first = "", ...rest] = file.split("/");
  const name = rest.length > 0 ? first : first.replace(/\.(ts|mjs)$/, "");
  return LAYERS.find((layer) => layer === name);
}

interface ImportRef {
  specifier: string;
  /** `import type`, or every name imported marked `type`: no value of the module is used. */
  typeOnly: boolean;
}

interface Violation {
  file: string;
  target: string;
  rule: string;
}

/** The wrong-way imports in a graph of files (relative to src/) and what each imports. */
function findViolations(graph: ReadonlyMap<string, readonly ImportRef[]>): Violation[] {
  const found: Violation[] = [];
  for (const [file, imports] of graph) {
    const from = layerOf(file);
    for (const { specifier, typeOnly } of imports) {
      const relative = specifier.startsWith(".");
      const target = relative
        ? path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier))
        : specifier;
      const rule =
        from === undefined
          ? `${file} is in no layer`
          : ruleBroken(from, target, { relative, typeOnly });
      if (rule) found.push({ file, target, rule });
    }
  }
  return found;
}

function ruleBroken(
  from: Layer,
  target: string,
  { relative, typeOnly }: { relative: boolean; typeOnly: boolean },
): string | undefined {
  if (!relative || (from !== "db" && target.startsWith("db/generated/"))) {
    return libraryRule(from, target);
  }
  if (target.startsWith("../")) return "src imports nothing outside src/";
  const to = layerOf(target);
  if (to === undefined) return `${target} is in no layer`;
  if (to === "deps" && (from === "inbound" || from === "services") && !typeOnly) {
    return "the composition root's types only: only main.ts builds the dependencies";
  }
  if (to === from || MAY_IMPORT[from].includes(to)) return undefined;
  if (from === "inbound" && target === INBOUND_PRESENTATION) return undefined;
  if (from === "inbound" && to === "presentation") {
    return "only services decide what is shown; inbound imports just the ids it listens for";
  }
  return `${from} may import ${[from, ...MAY_IMPORT[from]].join(", ")}, not ${to}`;
}

const key = (v: Pick<Violation, "file" | "target">) => `${v.file} → ${v.target}`;

/**
 * Today's wrong-way imports, each "file → import" under src/. This list only shrinks: an entry
 * that no longer occurs fails the test, so fixing an import means deleting its line here.
 */
const KNOWN_VIOLATIONS: readonly string[] = [
  // The command line is a second entry point: it opens the database and builds the dependencies
  // as main.ts does, and `leadfit migrate` runs the migrations runner itself.
  "inbound/cli/context.ts → deps.ts",
  "inbound/cli/context.ts → db/database.ts",
  "inbound/cli/commands/migrate.ts → db/migrations/migrate.ts",
  // The API tells database errors apart itself (to answer 503 with Retry-After).
  "inbound/http/api/errors.ts → db/database.ts",
  "inbound/http/api/errors.ts → db/retry.ts",
  // The Slack gateway: reads installations itself, and sends the Message presentation builds.
  "outbound/slack/gateway.ts → db/repositories/installation-repository.ts",
  "outbound/slack/gateway.ts → presentation/slack/message.ts",
];

const SRC = path.resolve(import.meta.dirname, "../src");

/** The source files of src/ (relative to it), without Prisma's generated client. */
function filesOfSrc(): string[] {
  return readdirSync(SRC, { recursive: true, encoding: "utf8" })
    .map((file) => file.split(path.sep).join("/"))
    .filter((file) => /\.(ts|mjs)$/.test(file) && !file.startsWith("db/generated/"))
    .sort();
}

const readSrc = (file: string) => readFileSync(path.join(SRC, file), "utf8");

function importGraphOfSrc(): Map<string, ImportRef[]> {
  return new Map(filesOfSrc().map((file) => [file, importsOf(file, readSrc(file))]));
}

/**
 * Where an inbound file reaches a repository itself instead of through a service, each as
 * "file → code": a repository picked from the repositories (`repos.leads`, `deps.repos.leads`,
 * `const { leads } = deps.repos`), or repositories built (`new LeadRepository(…)`, `createRepositories(…)`). Handing the whole
 * `repos` to a service, and the `Repositories` type, are fine.
 */
function repositoryReaches(file: string, source: string): string[] {
  const sourceFile = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);
  const isRepos = (node: ts.Expression) =>
    (ts.isIdentifier(node) && node.text === "repos") ||
    (ts.isPropertyAccessExpression(node) && node.name.text === "repos");
  const builds = (node: ts.Expression) =>
    ts.isIdentifier(node) && /Repository$|^create\w*Repositories$/.test(node.text);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (
      (ts.isPropertyAccessExpression(node) && isRepos(node.expression)) ||
      (ts.isVariableDeclaration(node) &&
        ts.isObjectBindingPattern(node.name) &&
        node.initializer !== undefined &&
        isRepos(node.initializer)) ||
      ((ts.isNewExpression(node) || ts.isCallExpression(node)) && builds(node.expression))
    ) {
      found.push(`${file} → ${node.getText(sourceFile)}`);
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}

/**
 * The names a service's dependencies go by: the composition root's fields (`Deps`) and the Slack
 * gateway, built for each request from `slack`.
 */
function dependencyNames(): ReadonlySet<string> {
  const deps = ts.createSourceFile("deps.ts", readSrc("deps.ts"), ts.ScriptTarget.Latest, true);
  const names = new Set(["gateway"]);
  for (const statement of deps.statements) {
    if (ts.isInterfaceDeclaration(statement) && statement.name.text === "Deps") {
      for (const member of statement.members) if (member.name) names.add(member.name.getText(deps));
    }
  }
  return names;
}

/**
 * Exported functions of a services file whose parameters are not `(deps, input)`, each as
 * "file → name(parameters)". One service shape (README, "Architecture"): the dependencies it uses,
 * then one input object; either may be absent. The dependencies are a parameter named `deps` or
 * one destructuring only dependencies (`{ repos, gateway }`); the input is a parameter named
 * `input` or one destructuring an object (`{ workspaceId, leadId }`). So a plain value (a key, a
 * date), a gateway or repository of its own, or a third parameter is another shape: a pure rule
 * belongs in domain/ (or presentation/), a collaborator in the deps, a value in the input.
 */
function servicesOfOtherShapes(
  file: string,
  source: string,
  dependencies: ReadonlySet<string>,
): string[] {
  const sourceFile = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);
  const exported = (node: ts.Node) =>
    ts.canHaveModifiers(node) &&
    (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  const functions: { name: string; parameters: ts.NodeArray<ts.ParameterDeclaration> }[] = [];
  for (const statement of sourceFile.statements) {
    if (!exported(statement)) continue;
    if (ts.isFunctionDeclaration(statement)) {
      functions.push({ name: statement.name?.text ?? "default", parameters: statement.parameters });
    } else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        const value = declaration.initializer;
        if (value && (ts.isArrowFunction(value) || ts.isFunctionExpression(value)))
          functions.push({
            name: declaration.name.getText(sourceFile),
            parameters: value.parameters,
          });
      }
    }
  }
  const destructuresDependencies = ({ name }: ts.ParameterDeclaration) =>
    ts.isObjectBindingPattern(name) &&
    name.elements.every((element) =>
      dependencies.has((element.propertyName ?? element.name).getText(sourceFile)),
    );
  const isDeps = (parameter: ts.ParameterDeclaration) =>
    parameter.dotDotDotToken === undefined &&
    ((ts.isIdentifier(parameter.name) && parameter.name.text === "deps") ||
      destructuresDependencies(parameter));
  const isInput = (parameter: ts.ParameterDeclaration) =>
    parameter.dotDotDotToken === undefined &&
    ((ts.isIdentifier(parameter.name) && parameter.name.text === "input") ||
      (ts.isObjectBindingPattern(parameter.name) && !destructuresDependencies(parameter)));
  const serviceShaped = ([first, second, ...rest]: readonly ts.ParameterDeclaration[]) =>
    rest.length === 0 &&
    (first === undefined ||
      (second === undefined ? isDeps(first) || isInput(first) : isDeps(first) && isInput(second)));
  return functions
    .filter(({ parameters }) => !serviceShaped(parameters))
    .map(
      ({ name, parameters }) =>
        `${file} → ${name}(${parameters.map((p) => p.name.getText(sourceFile)).join(", ")})`,
    );
}

/** Imports, re-exports, import() calls and import("…") types, as TypeScript itself parses them. */
function importsOf(file: string, source: string): ImportRef[] {
  const found: ImportRef[] = [];
  const visit = (node: ts.Node): void => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      found.push({ specifier: node.moduleSpecifier.text, typeOnly: declaresTypesOnly(node) });
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      found.push({ specifier: node.arguments[0].text, typeOnly: false });
    } else if (
      ts.isImportTypeNode(node) &&
      ts.isLiteralTypeNode(node.argument) &&
      ts.isStringLiteral(node.argument.literal)
    ) {
      found.push({ specifier: node.argument.literal.text, typeOnly: true });
    }
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile(file, source, ts.ScriptTarget.Latest));
  return found;
}

function declaresTypesOnly(node: ts.ImportDeclaration | ts.ExportDeclaration): boolean {
  if (ts.isExportDeclaration(node)) {
    const names = node.exportClause;
    return (
      node.isTypeOnly ||
      (names !== undefined &&
        ts.isNamedExports(names) &&
        names.elements.length > 0 &&
        names.elements.every((name) => name.isTypeOnly))
    );
  }
  const clause = node.importClause;
  if (!clause) return false;
  const names = clause.namedBindings;
  return (
    clause.isTypeOnly ||
    (!clause.name &&
      names !== undefined &&
      ts.isNamedImports(names) &&
      names.elements.length > 0 &&
      names.elements.every((name) => name.isTypeOnly))
  );
}

describe("the dependency rule", () => {
  const graph = importGraphOfSrc();
  const violations = findViolations(graph);
  const found = new Set(violations.map(key));
  const known = new Set(KNOWN_VIOLATIONS);

  it("holds for every import in src/, apart from the known violations", () => {
    const unexpected = violations
      .filter((v) => !known.has(key(v)))
      .map((v) => `${key(v)} (${v.rule})`);
    expect(unexpected, "imports that go the wrong way").toEqual([]);
  });

  it("lists only violations that still occur, so the list only shrinks", () => {
    const fixed = KNOWN_VIOLATIONS.filter((entry) => !found.has(entry));
    expect(fixed, "fixed: delete these from KNOWN_VIOLATIONS").toEqual([]);
  });

  it("reads the imports of the whole of src/", () => {
    expect(graph.get("inbound/slack/actions/one-click-verdict.ts")).toEqual(
      expect.arrayContaining([
        { specifier: "../../../services/record-verdict.ts", typeOnly: false },
        { specifier: "../../../deps.ts", typeOnly: true },
      ]),
    );
  });
});

describe("one service shape", () => {
  const dependencies = dependencyNames();

  it("every function a service file exports takes its dependencies and one input", () => {
    const others = filesOfSrc()
      .filter((file) => layerOf(file) === "services")
      .flatMap((file) => servicesOfOtherShapes(file, readSrc(file), dependencies));
    expect(
      others,
      "services taking other than (deps, input): a pure rule goes to domain/, a collaborator into deps, values into the input",
    ).toEqual([]);
  });

  it("reads the dependencies' names from the composition root", () => {
    expect([...dependencies]).toEqual(expect.arrayContaining(["repos", "now", "gateway"]));
  });

  it("finds exported functions taking plain values, a third parameter, or deps and input out of place", () => {
    expect(
      servicesOfOtherShapes(
        "services/planted.ts",
        `
        export function hashApiKey(key: string) {}
        export const nextCrmWriteAt = (now: Date, attempts: number) => now;
        export async function storePage(run: CrmSyncRun, { page }: { page: Page }) {}
        export async function discardImport(deps: Deps, importId: string) {}
        export async function saveSettings(deps: Deps, gateway: SlackGateway, input: Input) {}
        export async function openModal(input: Input, deps: Deps) {}
        export async function postCard({ repos }: Deps, { gateway }: { gateway: SlackGateway }) {}
        export function joinAll(...parts: string[]) {}
        export async function recordVerdict(deps: Deps, input: Input) {}
        export const refreshCard = async ({ repos, gateway }: Deps, { leadId }: { leadId: string }) => {};
        export async function sendReminders(deps: Deps) {}
        export function errorNotice({ title, error }: { title: string; error: unknown }) {}
        export function webhookForm(input: { workspace: Workspace }) {}
        export function leadfitHelp() {}
        function notExported(a: number, b: number, c: number) {}
        export class Sender { constructor(a: number, b: number, c: number) {} }`,
        new Set(["repos", "gateway"]),
      ),
    ).toEqual([
      "services/planted.ts → hashApiKey(key)",
      "services/planted.ts → nextCrmWriteAt(now, attempts)",
      "services/planted.ts → storePage(run, { page })",
      "services/planted.ts → discardImport(deps, importId)",
      "services/planted.ts → saveSettings(deps, gateway, input)",
      "services/planted.ts → openModal(input, deps)",
      "services/planted.ts → postCard({ repos }, { gateway })",
      "services/planted.ts → joinAll(parts)",
    ]);
  });
});

describe("inbound code and repositories", () => {
  const reaches = filesOfSrc()
    .filter((file) => layerOf(file) === "inbound")
    .flatMap((file) => repositoryReaches(file, readSrc(file)));

  it("never reaches a repository itself: it calls a service", () => {
    expect(reaches, "inbound code reaching a repository: call a service instead").toEqual([]);
  });

  it("finds a repository picked, read through, or built, but not repos handed to a service", () => {
    expect(
      repositoryReaches(
        "inbound/slack/actions/planted.ts",
        `
        import type { Repositories } from "../../../db/repositories/index.ts";
        export async function planted(deps: Deps, repos: Repositories) {
          await deps.repos.leads.delete("T1", "L1");
          const { verdicts } = deps.repos;
          await repos.leads.get("T1", "L1");
          new LeadRepository(deps.db);
          createRepositories(deps.db);
          await recordVerdict({ repos: deps.repos, now: deps.now }, input);
          await listReasons(deps, { workspaceId: "T1" });
        }`,
      ),
    ).toEqual([
      "inbound/slack/actions/planted.ts → deps.repos.leads",
      "inbound/slack/actions/planted.ts → { verdicts } = deps.repos",
      "inbound/slack/actions/planted.ts → repos.leads",
      "inbound/slack/actions/planted.ts → new LeadRepository(deps.db)",
      "inbound/slack/actions/planted.ts → createRepositories(deps.db)",
    ]);
  });
});

describe("the dependency rule check", () => {
  const check = (sources: Record<string, string>) =>
    findViolations(
      new Map(Object.entries(sources).map(([file, source]) => [file, importsOf(file, source)])),
    ).map((v) => `${key(v)} (${v.rule})`);

  it("reports each import the wrong way with its file, its target and the rule", () => {
    expect(
      check({
        "domain/lead.ts": `
          import { z } from "zod";
          import type { Verdict } from "./verdict.ts";
          import { recordVerdict } from "../services/record-verdict.ts";
          import type { App } from "@slack/bolt";`,
        "services/record-verdict.ts": `
          import type { Deps } from "../deps.ts";
          import { retrying } from "../db/retry.ts";
          export { reportError } from "../inbound/slack/report-error.ts";`,
        "presentation/slack/lead-card.ts": `
          import { ACTIONS } from "./ids.ts";
          import type { KnownBlock } from "@slack/types";
          type Client = import("../../db/generated/client.ts").PrismaClient;`,
        "inbound/slack/actions/one-click-verdict.ts": `
          import { type Deps } from "../../../deps.ts";
          import { ACTIONS } from "../../../presentation/slack/ids.ts";
          import { recordVerdict } from "../../../services/record-verdict.ts";`,
        "inbound/cli/commands/lead.ts": `
          import { createRepositories } from "../../../deps.ts";
          const { LeadRepository } = await import("../../../db/repositories/lead-repository.ts");`,
        "inbound/slack/actions/approve.ts": `
          import { leadCardBlocks } from "../../../presentation/slack/lead-card.ts";`,
        "outbound/webhook-client.ts": `import pg from "pg";`,
      }),
    ).toEqual([
      "domain/lead.ts → services/record-verdict.ts (domain may import domain, not services)",
      "domain/lead.ts → @slack/bolt (domain is pure: no Slack, no I/O)",
      "services/record-verdict.ts → inbound/slack/report-error.ts (services may import services, deps, config, log, domain, db, presentation, outbound, imports, not inbound)",
      "presentation/slack/lead-card.ts → db/generated/client.ts (nothing outside db/ touches Prisma or SQL)",
      "inbound/cli/commands/lead.ts → deps.ts (the composition root's types only: only main.ts builds the dependencies)",
      "inbound/cli/commands/lead.ts → db/repositories/lead-repository.ts (inbound may import inbound, deps, config, log, services, domain, outbound, not db)",
      "inbound/slack/actions/approve.ts → presentation/slack/lead-card.ts (only services decide what is shown; inbound imports just the ids it listens for)",
      "outbound/webhook-client.ts → pg (nothing outside db/ touches Prisma or SQL)",
    ]);
  });
});
