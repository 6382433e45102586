// Shared helpers of the applications area: boost::property_tree's view of JSON
// (which osquery uses for browser files: every scalar is a string, keys may be
// looked up case-insensitively, and write_json, in @osq/idl, renders scalars as strings).
import { ptreeFromJson, writePtreeNode } from '@osq/idl';
import { isObject, type Json } from '../../lib/json.js';

/** A node's own value as property_tree holds it: scalars as text, containers as ''. */
export function ptreeValue(node: Json | undefined): string {
  if (node === undefined) return '';
  if (node === null) return 'null';
  if (typeof node === 'object') return '';
  return String(node);
}

/** The children of a node as property_tree sees them (array items have empty keys). */
function children(node: Json | undefined): [string, Json][] {
  if (Array.isArray(node)) return node.map((v) => ['', v]);
  if (isObject(node)) return Object.entries(node);
  return [];
}

/** get_child_optional on a dotted path; `nocase` for an iptree. */
export function getChild(node: Json | undefined, path: string, nocase = false): Json | undefined {
  let cur: Json | undefined = node;
  for (const part of path.split('.')) {
    const wanted = nocase ? part.toLowerCase() : part;
    const hit = children(cur).find(([k]) => (nocase ? k.toLowerCase() : k) === wanted);
    if (hit === undefined) return undefined;
    cur = hit[1];
  }
  return cur;
}

/** property_tree's write_json(stream, tree, pretty=false) of one node, trailing newline included. */
export function writePtreeJson(node: Json): string {
  return `${writePtreeNode(ptreeFromJson(node))}\n`;
}
