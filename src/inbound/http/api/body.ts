import type { IncomingMessage } from "node:http";
import { AppError } from "../../../domain/app-error.ts";

/** The largest request body the API reads: a batch of 1,000 leads fits with room to spare. */
export const MAX_BODY_BYTES = 5 * 1024 * 1024;

/** Reads a JSON body: 415 unless it is JSON, 413 past the size limit, 400 when it does not parse. */
export async function readJson(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<unknown> {
  const type = (req.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase();
  if (type !== "application/json") {
    throw new AppError(
      "unsupported_media_type",
      `content-type ${type}`,
      "Send the body as JSON with Content-Type: application/json.",
    );
  }
  return parseJson(await readBody(req, limit));
}

/** A body read whole, as JSON: 400 when it does not parse. */
export function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString("utf8"));
  } catch (error) {
    throw new AppError(
      "invalid_json",
      `bad JSON: ${String(error)}`,
      "The body is not valid JSON.",
      { cause: error },
    );
  }
}

/** Reads a body as it came: 413 past the size limit. */
export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > limit) {
    req.resume();
    throw new AppError(
      "payload_too_large",
      `declared ${declared} bytes`,
      `The body is larger than ${limit} bytes; send smaller batches.`,
    );
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      req.resume();
      throw new AppError(
        "payload_too_large",
        `more than ${limit} bytes`,
        `The body is larger than ${limit} bytes; send smaller batches.`,
      );
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
