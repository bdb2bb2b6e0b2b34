// Checks a Block Kit payload against Slack's documented limits (Slack's Block Kit reference):
// every payload the app sends goes through it in tests. Lengths are counted in UTF-16 code units
// (JavaScript's `length`), which is never less than Slack's count.

import type { HomeView, ModalView } from "@slack/types";
import { expect } from "vitest";

export type BlockKitPayload = { blocks?: unknown[]; text?: string } | ModalView | HomeView;

/** Message blocks serialised past this many characters have been rejected (msg_blocks_too_long). */
export const MESSAGE_JSON_BUDGET = 12_000;

const LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  messageText: 40_000,
  headerText: 150,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  contextElements: 10,
  contextText: 3000,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  buttonUrl: 3000,
  actionId: 255,
  blockId: 255,
  options: 100,
  optionGroups: 100,
  optionText: 75,
  optionValue: 150,
  optionDescription: 75,
  choiceOptions: 10,
  overflowOptions: 5,
  placeholder: 150,
  imageAltText: 2000,
  modalTitle: 24,
  privateMetadata: 3000,
  callbackId: 255,
  inputLabel: 2000,
  inputHint: 2000,
  textInputMaxLength: 3000,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
} as const;

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

// A "<" in mrkdwn must open one of Slack's own tokens: a mention, a date, or a link.
const SLACK_TOKEN =
  /^<(?:[@#][A-Z0-9]+(?:\|[^<>]*)?|!(?:date\^-?\d+\^[^|<>]*(?:\^[^|<>]*)?\|[^<>]*|here|channel|everyone|subteam\^[A-Z0-9]+(?:\|[^<>]*)?)|(?:https?|mailto|tel|slack):[^<>|\s]*(?:\|[^<>]*)?)>/i;
const ENTITY = /^&(?:amp|lt|gt);/;

/** Problems with escaping in mrkdwn: a raw "<", "&" or ">" that is not Slack syntax. */
export function mrkdwnEscapingProblems(text: string): string[] {
  const found = new Set<string>();
  let lineStart = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "\n") {
      lineStart = i + 1;
    } else if (ch === "<") {
      const token = SLACK_TOKEN.exec(text.slice(i));
      if (token) i += token[0].length - 1;
      else found.add('unescaped "<" (write &lt;)');
    } else if (ch === "&") {
      if (!ENTITY.test(text.slice(i))) found.add('unescaped "&" (write &amp;)');
    } else if (ch === ">") {
      // Only a block quote marker at the start of a line may be a raw ">".
      if (!/^[ >]*$/.test(text.slice(lineStart, i))) found.add('unescaped ">" (write &gt;)');
    }
  }
  return [...found];
}

class Checker {
  readonly problems: string[] = [];
  private readonly blockIds = new Set<string>();

  report(path: string, message: string): void {
    this.problems.push(`${path}: ${message}`);
  }

  maxLength(path: string, value: unknown, max: number, what: string): void {
    if (typeof value === "string" && value.length > max) {
      this.report(path, `${what} has ${value.length} characters (max ${max})`);
    }
  }

  /** A text object; `plainOnly` where Slack accepts only plain_text. */
  text(path: string, value: unknown, max: number, plainOnly = false): void {
    if (!isObj(value)) {
      this.report(path, "expected a text object");
      return;
    }
    if (value.type !== "plain_text" && value.type !== "mrkdwn") {
      this.report(
        path,
        `text object type ${JSON.stringify(value.type)} is not plain_text or mrkdwn`,
      );
      return;
    }
    if (plainOnly && value.type !== "plain_text") this.report(path, "must be plain_text");
    if (typeof value.text !== "string" || value.text.length === 0) {
      this.report(path, "text is empty");
      return;
    }
    this.maxLength(path, value.text, max, "text");
    if (value.type === "mrkdwn") {
      for (const problem of mrkdwnEscapingProblems(value.text)) this.report(path, problem);
    }
  }

  optionalText(path: string, value: unknown, max: number, plainOnly = false): void {
    if (value !== undefined) this.text(path, value, max, plainOnly);
  }

  blocks(blocks: unknown, max: number): void {
    if (!Array.isArray(blocks)) {
      this.report("blocks", "expected an array");
      return;
    }
    if (blocks.length > max) this.report("blocks", `${blocks.length} blocks (max ${max})`);
    blocks.forEach((block, i) => {
      this.block(`blocks[${i}]`, block);
    });
  }

  block(path: string, block: unknown): void {
    if (!isObj(block) || typeof block.type !== "string") {
      this.report(path, "a block needs a type");
      return;
    }
    if (block.block_id !== undefined) {
      if (typeof block.block_id !== "string" || block.block_id === "") {
        this.report(`${path}.block_id`, "must be a non-empty string");
      } else {
        this.maxLength(`${path}.block_id`, block.block_id, LIMITS.blockId, "block_id");
        if (this.blockIds.has(block.block_id)) {
          this.report(`${path}.block_id`, `duplicate block_id ${JSON.stringify(block.block_id)}`);
        }
        this.blockIds.add(block.block_id);
      }
    }
    switch (block.type) {
      case "section":
        this.section(path, block);
        break;
      case "header":
        this.text(`${path}.text`, block.text, LIMITS.headerText, true);
        break;
      case "context":
        this.context(path, block);
        break;
      case "actions":
        this.actions(path, block);
        break;
      case "input":
        this.input(path, block);
        break;
      case "image":
        this.image(path, block);
        this.optionalText(`${path}.title`, block.title, LIMITS.imageAltText, true);
        break;
      case "divider":
        break;
      default:
        break;
    }
  }

  section(path: string, block: Obj): void {
    if (block.text === undefined && block.fields === undefined) {
      this.report(path, "a section needs text or fields");
    }
    this.optionalText(`${path}.text`, block.text, LIMITS.sectionText);
    if (block.fields !== undefined) {
      if (!Array.isArray(block.fields) || block.fields.length === 0) {
        this.report(`${path}.fields`, "must be a non-empty array");
      } else {
        if (block.fields.length > LIMITS.sectionFields) {
          this.report(
            `${path}.fields`,
            `${block.fields.length} fields (max ${LIMITS.sectionFields})`,
          );
        }
        block.fields.forEach((field, i) => {
          this.text(`${path}.fields[${i}]`, field, LIMITS.fieldText);
        });
      }
    }
    if (block.accessory !== undefined) this.element(`${path}.accessory`, block.accessory);
  }

  context(path: string, block: Obj): void {
    const elements = block.elements;
    if (!Array.isArray(elements) || elements.length === 0) {
      this.report(`${path}.elements`, "a context needs at least one element");
      return;
    }
    if (elements.length > LIMITS.contextElements) {
      this.report(
        `${path}.elements`,
        `${elements.length} elements (max ${LIMITS.contextElements})`,
      );
    }
    elements.forEach((element, i) => {
      const at = `${path}.elements[${i}]`;
      if (isObj(element) && element.type === "image") this.image(at, element);
      else this.text(at, element, LIMITS.contextText);
    });
  }

  actions(path: string, block: Obj): void {
    const elements = block.elements;
    if (!Array.isArray(elements) || elements.length === 0) {
      this.report(`${path}.elements`, "an actions block needs at least one element");
      return;
    }
    if (elements.length > LIMITS.actionsElements) {
      this.report(
        `${path}.elements`,
        `${elements.length} elements (max ${LIMITS.actionsElements})`,
      );
    }
    const actionIds = new Set<string>();
    elements.forEach((element, i) => {
      const at = `${path}.elements[${i}]`;
      this.element(at, element);
      if (isObj(element) && typeof element.action_id === "string") {
        if (actionIds.has(element.action_id)) {
          this.report(`${at}.action_id`, `duplicate action_id ${element.action_id} in one block`);
        }
        actionIds.add(element.action_id);
      }
    });
  }

  input(path: string, block: Obj): void {
    this.text(`${path}.label`, block.label, LIMITS.inputLabel, true);
    this.optionalText(`${path}.hint`, block.hint, LIMITS.inputHint, true);
    if (block.element === undefined) this.report(`${path}.element`, "an input needs an element");
    else this.element(`${path}.element`, block.element);
  }

  image(path: string, image: Obj): void {
    if (typeof image.alt_text !== "string" || image.alt_text === "") {
      this.report(`${path}.alt_text`, "an image needs alt_text");
    }
    this.maxLength(`${path}.alt_text`, image.alt_text, LIMITS.imageAltText, "alt_text");
    if (image.image_url === undefined && image.slack_file === undefined) {
      this.report(path, "an image needs image_url or slack_file");
    }
  }

  element(path: string, element: unknown): void {
    if (!isObj(element) || typeof element.type !== "string") {
      this.report(path, "an element needs a type");
      return;
    }
    if (element.action_id !== undefined) {
      if (typeof element.action_id !== "string" || element.action_id === "") {
        this.report(`${path}.action_id`, "must be a non-empty string");
      }
      this.maxLength(`${path}.action_id`, element.action_id, LIMITS.actionId, "action_id");
    }
    this.optionalText(`${path}.placeholder`, element.placeholder, LIMITS.placeholder, true);
    if (element.confirm !== undefined) this.confirm(`${path}.confirm`, element.confirm);
    switch (element.type) {
      case "button":
        this.text(`${path}.text`, element.text, LIMITS.buttonText, true);
        this.maxLength(`${path}.value`, element.value, LIMITS.buttonValue, "value");
        this.maxLength(`${path}.url`, element.url, LIMITS.buttonUrl, "url");
        if (
          element.style !== undefined &&
          element.style !== "primary" &&
          element.style !== "danger"
        ) {
          this.report(`${path}.style`, "style is primary or danger");
        }
        break;
      case "static_select":
      case "multi_static_select":
        this.staticSelect(path, element);
        break;
      case "external_select":
      case "multi_external_select":
        if (typeof element.min_query_length === "number" && element.min_query_length < 0) {
          this.report(`${path}.min_query_length`, "must not be negative");
        }
        this.initialOptions(path, element, undefined);
        this.maxSelected(path, element);
        break;
      case "multi_users_select":
      case "multi_conversations_select":
      case "multi_channels_select":
        this.maxSelected(path, element);
        break;
      case "radio_buttons":
      case "checkboxes":
        this.choices(path, element);
        break;
      case "overflow":
        this.optionList(`${path}.options`, element.options, LIMITS.overflowOptions, true);
        break;
      case "plain_text_input":
        this.plainTextInput(path, element);
        break;
      case "number_input":
        this.numberInput(path, element);
        break;
      case "image":
        this.image(path, element);
        break;
      default:
        break;
    }
  }

  confirm(path: string, confirm: unknown): void {
    if (!isObj(confirm)) {
      this.report(path, "expected a confirmation dialog");
      return;
    }
    this.text(`${path}.title`, confirm.title, LIMITS.confirmTitle, true);
    this.text(`${path}.text`, confirm.text, LIMITS.confirmText);
    this.text(`${path}.confirm`, confirm.confirm, LIMITS.confirmButton, true);
    this.text(`${path}.deny`, confirm.deny, LIMITS.confirmButton, true);
  }

  option(path: string, option: unknown, plainOnly: boolean): string | undefined {
    if (!isObj(option)) {
      this.report(path, "expected an option");
      return undefined;
    }
    this.text(`${path}.text`, option.text, LIMITS.optionText, plainOnly);
    if (typeof option.value !== "string" || option.value === "") {
      this.report(`${path}.value`, "an option needs a value");
      return undefined;
    }
    this.maxLength(`${path}.value`, option.value, LIMITS.optionValue, "value");
    this.optionalText(`${path}.description`, option.description, LIMITS.optionDescription, true);
    return option.value;
  }

  /** Checks a list of options; returns them for initial-option matching. */
  optionList(path: string, options: unknown, max: number, plainOnly: boolean): Obj[] {
    if (!Array.isArray(options) || options.length === 0) {
      this.report(path, "needs at least one option");
      return [];
    }
    if (options.length > max) this.report(path, `${options.length} options (max ${max})`);
    options.forEach((option, i) => {
      this.option(`${path}[${i}]`, option, plainOnly);
    });
    return options.filter(isObj);
  }

  staticSelect(path: string, select: Obj): void {
    let all: Obj[] = [];
    if ((select.options === undefined) === (select.option_groups === undefined)) {
      this.report(path, "a static select needs either options or option_groups");
    }
    if (select.options !== undefined) {
      all = this.optionList(`${path}.options`, select.options, LIMITS.options, true);
    }
    if (select.option_groups !== undefined) {
      const groups = select.option_groups;
      if (!Array.isArray(groups) || groups.length === 0) {
        this.report(`${path}.option_groups`, "needs at least one group");
      } else {
        if (groups.length > LIMITS.optionGroups) {
          this.report(
            `${path}.option_groups`,
            `${groups.length} groups (max ${LIMITS.optionGroups})`,
          );
        }
        groups.forEach((group, i) => {
          const at = `${path}.option_groups[${i}]`;
          if (!isObj(group)) {
            this.report(at, "expected an option group");
            return;
          }
          this.text(`${at}.label`, group.label, LIMITS.optionText, true);
          all.push(...this.optionList(`${at}.options`, group.options, LIMITS.options, true));
        });
        if (all.length > LIMITS.options) {
          this.report(
            `${path}.option_groups`,
            `${all.length} options in all (max ${LIMITS.options})`,
          );
        }
      }
    }
    this.uniqueValues(path, all);
    this.initialOptions(path, select, all);
    this.maxSelected(path, select);
  }

  choices(path: string, element: Obj): void {
    const options = this.optionList(
      `${path}.options`,
      element.options,
      LIMITS.choiceOptions,
      false,
    );
    this.uniqueValues(path, options);
    this.initialOptions(path, element, options);
  }

  uniqueValues(path: string, options: Obj[]): void {
    const values = options.map((o) => o.value);
    const duplicates = values.filter((v, i) => values.indexOf(v) !== i);
    if (duplicates.length > 0) {
      this.report(path, `duplicate option values ${JSON.stringify([...new Set(duplicates)])}`);
    }
  }

  maxSelected(path: string, element: Obj): void {
    const max = element.max_selected_items;
    if (max !== undefined && (typeof max !== "number" || !Number.isInteger(max) || max < 1)) {
      this.report(`${path}.max_selected_items`, "must be a whole number of at least 1");
    }
  }

  /** initial_option(s) must be options of the element, text and value alike. */
  initialOptions(path: string, element: Obj, options: Obj[] | undefined): void {
    const initial: [string, unknown][] = [];
    if (element.initial_option !== undefined) {
      initial.push([`${path}.initial_option`, element.initial_option]);
    }
    if (element.initial_options !== undefined) {
      if (!Array.isArray(element.initial_options)) {
        this.report(`${path}.initial_options`, "expected an array");
      } else {
        element.initial_options.forEach((o, i) => {
          initial.push([`${path}.initial_options[${i}]`, o]);
        });
      }
    }
    for (const [at, option] of initial) {
      const value = this.option(at, option, false);
      if (options === undefined || value === undefined || !isObj(option)) continue;
      const match = options.find((o) => o.value === value);
      const text = (o: unknown) => (isObj(o) ? o.text : undefined);
      if (!match) this.report(at, `initial option ${JSON.stringify(value)} is not an option`);
      else if (JSON.stringify(text(match)) !== JSON.stringify(text(option))) {
        this.report(at, `initial option ${JSON.stringify(value)} differs from the option's text`);
      }
    }
  }

  plainTextInput(path: string, element: Obj): void {
    const { min_length: min, max_length: max, initial_value: initial } = element;
    if (max !== undefined) {
      if (typeof max !== "number" || max < 1 || max > LIMITS.textInputMaxLength) {
        this.report(`${path}.max_length`, `must be 1–${LIMITS.textInputMaxLength}`);
      }
    }
    if (min !== undefined) {
      if (typeof min !== "number" || min < 0 || min > LIMITS.textInputMaxLength) {
        this.report(`${path}.min_length`, `must be 0–${LIMITS.textInputMaxLength}`);
      }
      if (typeof max === "number" && typeof min === "number" && min > max) {
        this.report(`${path}.min_length`, "is more than max_length");
      }
    }
    const limit = typeof max === "number" ? max : LIMITS.textInputMaxLength;
    this.maxLength(`${path}.initial_value`, initial, limit, "initial_value");
  }

  numberInput(path: string, element: Obj): void {
    if (typeof element.is_decimal_allowed !== "boolean") {
      this.report(`${path}.is_decimal_allowed`, "is required");
    }
    const numbers: Record<string, number> = {};
    for (const key of ["initial_value", "min_value", "max_value"] as const) {
      const raw = element[key];
      if (raw === undefined) continue;
      const n = typeof raw === "string" && raw.trim() !== "" ? Number(raw) : Number.NaN;
      if (!Number.isFinite(n)) {
        this.report(`${path}.${key}`, `${JSON.stringify(raw)} is not a number string`);
        continue;
      }
      if (element.is_decimal_allowed === false && !Number.isInteger(n)) {
        this.report(`${path}.${key}`, `${raw} is not a whole number`);
      }
      numbers[key] = n;
    }
    const { initial_value: initial, min_value: min, max_value: max } = numbers;
    if (min !== undefined && max !== undefined && min > max) {
      this.report(path, `min_value ${min} is more than max_value ${max}`);
    }
    if (initial !== undefined) {
      if (min !== undefined && initial < min) {
        this.report(`${path}.initial_value`, `${initial} is below min_value ${min}`);
      }
      if (max !== undefined && initial > max) {
        this.report(`${path}.initial_value`, `${initial} is above max_value ${max}`);
      }
    }
  }
}

function hasInputBlock(blocks: unknown): boolean {
  return Array.isArray(blocks) && blocks.some((b) => isObj(b) && b.type === "input");
}

/** Every way the payload breaks Slack's limits; an empty array means Slack should accept it. */
export function blockKitProblems(payload: BlockKitPayload): string[] {
  const checker = new Checker();
  const p = payload as Obj;
  if (p.type === "modal" || p.type === "home") {
    checker.blocks(p.blocks, LIMITS.viewBlocks);
    checker.maxLength("callback_id", p.callback_id, LIMITS.callbackId, "callback_id");
    checker.maxLength(
      "private_metadata",
      p.private_metadata,
      LIMITS.privateMetadata,
      "private_metadata",
    );
    if (p.type === "modal") {
      checker.text("title", p.title, LIMITS.modalTitle, true);
      checker.optionalText("submit", p.submit, LIMITS.modalTitle, true);
      checker.optionalText("close", p.close, LIMITS.modalTitle, true);
      if (p.submit === undefined && hasInputBlock(p.blocks)) {
        checker.report("submit", "a modal with input blocks needs a submit button");
      }
    }
    return checker.problems;
  }
  if (typeof p.text !== "string" || p.text.trim() === "") {
    checker.report("text", "a message needs a text fallback for notifications");
  } else {
    checker.maxLength("text", p.text, LIMITS.messageText, "text");
    for (const problem of mrkdwnEscapingProblems(p.text)) checker.report("text", problem);
  }
  if (p.blocks !== undefined) {
    checker.blocks(p.blocks, LIMITS.messageBlocks);
    const size = JSON.stringify(p.blocks).length;
    if (size > MESSAGE_JSON_BUDGET) {
      checker.report("blocks", `${size} characters of JSON (budget ${MESSAGE_JSON_BUDGET})`);
    }
  }
  return checker.problems;
}

/** Fails the test with every problem listed when the payload breaks a limit. */
export function expectWithinSlackLimits(payload: BlockKitPayload): void {
  const problems = blockKitProblems(payload);
  expect(problems, `Block Kit limits broken:\n${problems.join("\n")}`).toEqual([]);
}
