// osquery's TLS client material; today read by the Kafka logger for ssl:// brokers.
import type { FlagDeclaration } from '../types.js';

export const tlsFlags = [
  {
    name: 'tls_server_certs',
    type: 'string',
    default: '/opt/osquery/share/osquery/certs/certs.pem',
    kind: 'flag',
    description: 'Optional path to a TLS server PEM certificate(s) bundle',
  },
  {
    name: 'tls_client_cert',
    type: 'string',
    default: '',
    kind: 'flag',
    description: 'Optional path to a TLS client-auth PEM certificate',
  },
  {
    name: 'tls_client_key',
    type: 'string',
    default: '',
    kind: 'flag',
    description: 'Optional path to a TLS client-auth PEM private key',
  },
] as const satisfies readonly FlagDeclaration[];
