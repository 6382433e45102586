// JSON values as JSON.parse returns them, and the few ways every area looks at one.
// (The config reader with line/column errors and the typed reader of stored results
// are in json-reader.ts.)

/** A parsed JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** True for a JSON object (not null, not an array). */
export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** JSON.parse, or undefined when `text` is not JSON. */
export function tryParseJson(text: string): Json | undefined {
  try {
    return JSON.parse(text) as Json;
  } catch {
    return undefined;
  }
}

/** The child values of a node as a property tree sees them: an array's items, an object's values, else none. */
export function childValues(v: Json | undefined): Json[] {
  if (Array.isArray(v)) return v;
  if (isObject(v)) return Object.values(v);
  return [];
}
