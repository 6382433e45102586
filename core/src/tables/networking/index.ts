// Tables of the networking area. Each table lives in its own file; list it here.
import type { Table } from '../framework.js';
import { arpCache } from './arp_cache.js';
import { dnsResolvers } from './dns_resolvers.js';
import { etcHosts } from './etc_hosts.js';
import { etcProtocols } from './etc_protocols.js';
import { etcServices } from './etc_services.js';
import { interfaceAddresses } from './interface_addresses.js';
import { interfaceDetails } from './interface_details.js';
import { interfaceIpv6 } from './interface_ipv6.js';
import { iptables } from './iptables.js';
import { listeningPorts } from './listening_ports.js';
import { processOpenSockets } from './process_open_sockets.js';
import { routes } from './routes.js';

export const networkingTables: Table[] = [
  arpCache,
  dnsResolvers,
  etcHosts,
  etcProtocols,
  etcServices,
  interfaceAddresses,
  interfaceDetails,
  interfaceIpv6,
  iptables,
  listeningPorts,
  processOpenSockets,
  routes,
];
