// IP address parsing with the strictness osquery gets from inet_pton (glibc) and
// boost::asio::ip::make_address: dotted quads without leading zeros, IPv6 with at
// most one `::`, an optional embedded IPv4 tail, and an optional `%scope` suffix.

export type IpAddress = { v: 4; bytes: Buffer } | { v: 6; bytes: Buffer };

/** inet_pton(AF_INET): exactly four decimal octets, no leading zeros, nothing else. */
export function parseIPv4(s: string): Buffer | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  const out = Buffer.alloc(4);
  for (let i = 0; i < 4; i++) {
    const p = parts[i] ?? '';
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p)) return null;
    const n = Number(p);
    if (n > 255) return null;
    out[i] = n;
  }
  return out;
}

/** inet_pton(AF_INET6) without a scope suffix. */
function parseIPv6Plain(s: string): Buffer | null {
  if (s === '') return null;
  const gap = s.indexOf('::');
  if (gap >= 0 && s.indexOf('::', gap + 1) >= 0) return null;
  const head = gap >= 0 ? s.slice(0, gap) : s;
  const tail = gap >= 0 ? s.slice(gap + 2) : '';
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === '' ? [] : tail.split(':');
  // Without `::` an empty head means the text was empty or began with a lone ':'.
  if (gap < 0 && head === '') return null;

  const bytes: number[] = [];
  const headBytes = groupsToBytes(headGroups, gap < 0);
  if (!headBytes) return null;
  const tailBytes = groupsToBytes(tailGroups, true);
  if (!tailBytes) return null;
  if (gap < 0) {
    if (headBytes.length !== 16) return null;
    bytes.push(...headBytes);
  } else {
    // `::` must stand for at least one group of zeros.
    const fill = 16 - headBytes.length - tailBytes.length;
    if (fill < 2) return null;
    bytes.push(...headBytes, ...new Array<number>(fill).fill(0), ...tailBytes);
  }
  return Buffer.from(bytes);
}

/** Hex groups of up to 4 digits; the last group of a run may be a dotted IPv4 tail. */
function groupsToBytes(groups: string[], ipv4TailAllowed: boolean): number[] | null {
  const out: number[] = [];
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i] ?? '';
    if (i === groups.length - 1 && ipv4TailAllowed && g.includes('.')) {
      const v4 = parseIPv4(g);
      if (!v4) return null;
      out.push(...v4);
      continue;
    }
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
    const n = Number.parseInt(g, 16);
    out.push(n >> 8, n & 0xff);
  }
  return out.length > 16 ? null : out;
}

/** boost make_address_v6: inet_pton after cutting an optional `%scope`. */
export function parseIPv6(s: string): Buffer | null {
  const pct = s.indexOf('%');
  return parseIPv6Plain(pct >= 0 ? s.slice(0, pct) : s);
}

/** boost make_address: IPv6 first, then IPv4. */
export function parseIp(s: string): IpAddress | null {
  const v6 = parseIPv6(s);
  if (v6) return { v: 6, bytes: v6 };
  const v4 = parseIPv4(s);
  if (v4) return { v: 4, bytes: v4 };
  return null;
}

/** Unsigned big-endian value of an address. */
export function ipToBigInt(bytes: Buffer): bigint {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  return n;
}
