// interface_ipv6: per-interface IPv6 settings from /proc/sys/net/ipv6/conf/<if>/,
// combined with the "all" settings the way osquery (and the kernel) does:
// redirects are accepted when both (forwarding) or either (host) allow them, and
// router advertisements when accept_ra is 2, or 1 on a non-forwarding interface.
// Unreadable values are -1, and -1 counts as true in those combinations (C ints).

import { readText } from '../../lib/fs.js';
import { defineTable, integer, type Row, text } from '../framework.js';
import { listLinks, toInteger } from './util.js';

function confValue(root: string, iface: string, entry: string): number {
  const v = readText(`${root}/${iface}/${entry}`);
  if (v === null) return -1;
  return toInteger(v.trim()) ?? -1;
}

export function interfaceIpv6Row(root: string, iface: string): Row {
  const forwarding = confValue(root, iface, 'forwarding');
  const redirect = confValue(root, 'all', 'accept_redirects');
  const ifaceRedirect = confValue(root, iface, 'accept_redirects');
  const rtadv = confValue(root, iface, 'accept_ra');
  const t = (n: number) => n !== 0;
  return {
    interface: iface,
    hop_limit: confValue(root, iface, 'hop_limit'),
    forwarding_enabled: forwarding,
    redirect_accept: Number(
      t(forwarding) ? t(redirect) && t(ifaceRedirect) : t(redirect) || t(ifaceRedirect),
    ),
    rtadv_accept: rtadv === 2 ? 1 : Number(t(rtadv) && !t(forwarding)),
  };
}

export const interfaceIpv6 = defineTable({
  name: 'interface_ipv6',
  columns: {
    interface: text(),
    hop_limit: integer(),
    forwarding_enabled: integer(),
    redirect_accept: integer(),
    rtadv_accept: integer(),
  },
  generate() {
    const root = '/proc/sys/net/ipv6/conf';
    return listLinks().map((l) => interfaceIpv6Row(root, l.name));
  },
});
