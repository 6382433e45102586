// One config source's text read as osquery's updateSource reads it: comments
// stripped, size checked, parsed strictly, and nesting depth validated.

import { isObject, type Json, type JsonObject } from '../lib/json.js';
import { JsonParseError, parseStrictJson } from '../lib/json-reader.js';
import { locate, stripConfigComments } from './comments.js';

/** Largest config text accepted after comment stripping (osquery: 4 MiB). */
export const MAX_CONFIG_SIZE = 4 * 1024 * 1024;
/** Deepest nesting osquery accepts (the root object is level 0; a value at level 32 is too deep). */
export const MAX_CONFIG_DEPTH = 32;

/** Deepest level of any value (root = 0), as osquery's breadth-first validateConfig counts it. */
export function jsonDepth(v: Json, level = 0): number {
  let max = level;
  if (Array.isArray(v)) for (const x of v) max = Math.max(max, jsonDepth(x, level + 1));
  else if (isObject(v)) for (const x of Object.values(v)) max = Math.max(max, jsonDepth(x, level + 1));
  return max;
}

/**
 * Strip comments, check size, parse, and validate one config text the way osquery's
 * updateSource does. Throws an Error whose message names `label` and the line/column.
 */
export function parseConfigText(label: string, raw: string): JsonObject {
  const stripped = stripConfigComments(raw);
  const size = Buffer.byteLength(stripped.text, 'utf8');
  if (size > MAX_CONFIG_SIZE) {
    throw new Error(
      `Error parsing the config JSON: ${label}: the config size exceeds the limit of ${MAX_CONFIG_SIZE} bytes`,
    );
  }
  let doc: Json;
  try {
    doc = parseStrictJson(stripped.text);
  } catch (e) {
    if (!(e instanceof JsonParseError)) throw e;
    throw new Error(`Error parsing the config JSON: ${label}: ${locate(stripped, e.offset)}: ${e.message}`);
  }
  if (!isObject(doc)) {
    throw new Error(
      `Error parsing the config JSON: ${label}: the root of the document must be a JSON object`,
    );
  }
  if (jsonDepth(doc) >= MAX_CONFIG_DEPTH) {
    throw new Error(
      `Error validating the config JSON: ${label}: Configuration has too many nesting levels! (max ${MAX_CONFIG_DEPTH})`,
    );
  }
  return doc;
}
