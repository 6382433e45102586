// interface_details: one row per network interface (link), with what osquery
// gathers from getifaddrs' AF_PACKET entries and a few ioctls, read here from
// /sys/class/net/<if>.
import { basename } from 'node:path';
import { readLink } from '../../lib/fs.js';
import { bigint, defineTable, integer, type Row, text } from '../framework.js';
import { IFF, type LinkInfo, linkFlags, listLinks, sysNetAttr, sysNetNumber } from './util.js';

// Flags osquery takes from sysfs rather than from netlink.
const SYSFS_FLAGS =
  IFF.UP |
  IFF.DEBUG |
  IFF.NOTRAILERS |
  IFF.NOARP |
  IFF.PROMISC |
  IFF.ALLMULTI |
  IFF.MULTICAST |
  IFF.PORTSEL |
  IFF.AUTOMEDIA |
  IFF.DYNAMIC;

const UINT32 = 2 ** 32;

/**
 * The first 6 bytes of the hardware address, zero-padded, as SIOCGIFHWADDR
 * returns them (interfaces without one read 00:00:00:00:00:00).
 */
function macOf(name: string): string {
  const raw = sysNetAttr(name, 'address') ?? '';
  const bytes = raw === '' ? [] : raw.split(':').map((b) => Number.parseInt(b, 16) || 0);
  const six: string[] = [];
  for (let i = 0; i < 6; i++) six.push((bytes[i] ?? 0).toString(16).padStart(2, '0'));
  return six.join(':');
}

/** A counter as the 32-bit rtnl_link_stats that getifaddrs hands over. */
function counter(name: string, stat: string): number {
  const v = sysNetAttr(name, `statistics/${stat}`);
  if (v === null || v === '') return 0;
  try {
    return Number(BigInt(v) % BigInt(UINT32));
  } catch {
    return 0;
  }
}

/** Link speed in Mb/s, 0 when the driver does not know it (ethtool's SPEED_UNKNOWN). */
function linkSpeed(name: string): number {
  const v = sysNetNumber(name, 'speed');
  if (v === null || v < 0 || v >= 0xffffffff) return 0;
  return v;
}

/**
 * The bus_info of ETHTOOL_GDRVINFO: the parent device's name for real hardware,
 * the driver's own text for some virtual drivers, -1 when unsupported (loopback).
 */
function pciSlot(name: string, type: number): string {
  const device = readLink(`/sys/class/net/${name}/device`);
  if (device !== null) return basename(device);
  if (type === 772) return '-1';
  const uevent = sysNetAttr(name, 'uevent') ?? '';
  if (/^DEVTYPE=bridge$/m.test(uevent)) return 'N/A';
  const tunFlags = sysNetNumber(name, 'tun_flags');
  if (tunFlags !== null) return tunFlags & 0x2 ? 'tap' : 'tun';
  return '';
}

function detailsRow(link: LinkInfo, wantSpeed: boolean): Row {
  const name = link.name;
  const arpType = sysNetNumber(name, 'type') ?? 0;
  const sysfsFlags = sysNetNumber(name, 'flags') ?? 0;
  const flags = ((linkFlags(name) & ~SYSFS_FLAGS) | (sysfsFlags & SYSFS_FLAGS)) >>> 0;
  return {
    interface: name,
    mac: macOf(name),
    // osquery passes the 16-bit ARPHRD type through an unsigned char.
    type: arpType & 0xff,
    mtu: sysNetNumber(name, 'mtu') ?? 0,
    // SIOCGIFMETRIC always answers 0 on Linux.
    metric: 0,
    flags,
    ipackets: counter(name, 'rx_packets'),
    opackets: counter(name, 'tx_packets'),
    ibytes: counter(name, 'rx_bytes'),
    obytes: counter(name, 'tx_bytes'),
    ierrors: counter(name, 'rx_errors'),
    oerrors: counter(name, 'tx_errors'),
    idrops: counter(name, 'rx_dropped'),
    odrops: counter(name, 'tx_dropped'),
    collisions: counter(name, 'collisions'),
    last_change: -1,
    link_speed: wantSpeed ? linkSpeed(name) : 0,
    pci_slot: pciSlot(name, arpType),
  };
}

export const interfaceDetails = defineTable({
  name: 'interface_details',
  columns: {
    interface: text(),
    mac: text({ collate: 'nocase' }),
    type: integer(),
    mtu: integer(),
    metric: integer(),
    flags: integer(),
    ipackets: bigint(),
    opackets: bigint(),
    ibytes: bigint(),
    obytes: bigint(),
    ierrors: bigint(),
    oerrors: bigint(),
    idrops: bigint(),
    odrops: bigint(),
    collisions: bigint(),
    last_change: bigint(),
    link_speed: bigint({ platforms: ['linux', 'darwin'] }),
    pci_slot: text({ platforms: ['linux'] }),
    friendly_name: text({ platforms: ['windows'] }),
    description: text({ platforms: ['windows'] }),
    manufacturer: text({ platforms: ['windows'] }),
    connection_id: text({ platforms: ['windows'] }),
    connection_status: text({ platforms: ['windows'] }),
    enabled: integer({ platforms: ['windows'] }),
    physical_adapter: integer({ platforms: ['windows'] }),
    speed: integer({ platforms: ['windows'] }),
    service: text({ platforms: ['windows'] }),
    dhcp_enabled: integer({ platforms: ['windows'] }),
    dhcp_lease_expires: text({ platforms: ['windows'] }),
    dhcp_lease_obtained: text({ platforms: ['windows'] }),
    dhcp_server: text({ platforms: ['windows'] }),
    dns_domain: text({ platforms: ['windows'] }),
    dns_domain_suffix_search_order: text({ platforms: ['windows'] }),
    dns_host_name: text({ platforms: ['windows'] }),
    dns_server_search_order: text({ platforms: ['windows'] }),
  },
  attributes: { cacheable: true },
  generate(ctx) {
    // Only the interface name is cheap to filter on; the engine re-checks anyway.
    const wanted = ctx.equals('interface');
    const wantSpeed = ctx.isColumnUsed('link_speed');
    return listLinks()
      .filter((l) => wanted.length === 0 || wanted.includes(l.name))
      .map((l) => detailsRow(l, wantSpeed));
  },
});
