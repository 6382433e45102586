// A minimal DER reader for X.509 certificates: the pieces node:crypto's
// X509Certificate does not expose (signature and key algorithms, key usage bits,
// key identifiers, raw distinguished names) are read from the certificate bytes.

export interface Node {
  tag: number;
  /** Offset of the value inside the buffer. */
  start: number;
  end: number;
  buf: Buffer;
}

/** The element at `offset`, or undefined when the bytes are not DER. */
export function readNode(buf: Buffer, offset = 0): Node | undefined {
  if (offset + 2 > buf.length) return undefined;
  const tag = buf[offset] as number;
  let len = buf[offset + 1] as number;
  let start = offset + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || start + n > buf.length) return undefined;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + (buf[start + i] as number);
    start += n;
  }
  if (start + len > buf.length) return undefined;
  return { tag, start, end: start + len, buf };
}

/** The children of a constructed element. */
export function children(node: Node): Node[] {
  const out: Node[] = [];
  let at = node.start;
  while (at < node.end) {
    const child = readNode(node.buf, at);
    if (!child || child.end > node.end) break;
    out.push(child);
    at = child.end;
  }
  return out;
}

export function bytes(node: Node): Buffer {
  return node.buf.subarray(node.start, node.end);
}

/** Dotted text of an OBJECT IDENTIFIER. */
export function oid(node: Node): string {
  const b = bytes(node);
  if (b.length === 0) return '';
  const first = b[0] as number;
  const parts = [Math.min(2, Math.floor(first / 40)), first - Math.min(2, Math.floor(first / 40)) * 40];
  let value = 0;
  for (let i = 1; i < b.length; i++) {
    const c = b[i] as number;
    value = value * 128 + (c & 0x7f);
    if (!(c & 0x80)) {
      parts.push(value);
      value = 0;
    }
  }
  return parts.join('.');
}

/** Length of the whole DER element at the start of `buf` (to cut trailing data). */
export function elementLength(buf: Buffer): number | undefined {
  const node = readNode(buf, 0);
  return node?.end;
}
