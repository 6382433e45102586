// Flags read by single tables: service tables (Docker, LXD, cloud instance metadata) and
// forensics tables (augeas, yara_file/yara_process, carves), in core/src/tables.
import type { FlagDeclaration } from '../types.js';

export const tableFlags = [
  {
    name: 'docker_socket',
    type: 'string',
    default: '/var/run/docker.sock',
    kind: 'flag',
    description: 'Docker UNIX domain socket path',
  },
  {
    name: 'lxd_socket',
    type: 'string',
    default: '/var/lib/lxd/unix.socket',
    kind: 'flag',
    description: 'LXD UNIX domain socket path',
  },
  {
    name: 'aws_disable_imdsv1_fallback',
    type: 'bool',
    default: false,
    kind: 'flag',
    description: 'Whether to disable support for IMDSv1 and fail if an IMDSv2 token could not be retrieved',
  },
  {
    name: 'ec2_metadata_endpoint',
    type: 'string',
    default: 'http://169.254.169.254',
    kind: 'flag',
    hidden: true,
    description:
      'osq: base URL of the EC2 instance metadata service (for tests; default the link-local address)',
  },
  {
    name: 'ec2_api_endpoint',
    type: 'string',
    default: '',
    kind: 'flag',
    hidden: true,
    description:
      'osq: base URL of the EC2 API for ec2_instance_tags (for tests; default https://ec2.<region>.amazonaws.com)',
  },
  {
    name: 'azure_metadata_endpoint',
    type: 'string',
    default: 'http://169.254.169.254',
    kind: 'flag',
    hidden: true,
    description:
      'osq: base URL of the Azure instance metadata service (for tests; default the link-local address)',
  },
  {
    name: 'ycloud_metadata_endpoint',
    type: 'string',
    default: 'http://169.254.169.254',
    kind: 'flag',
    hidden: true,
    description:
      'osq: default endpoint of ycloud_instance_metadata (for tests; default the link-local address)',
  },
  {
    name: 'augeas_lenses',
    type: 'string',
    default: '/opt/osquery/share/osquery/lenses',
    kind: 'flag',
    description: 'Directory that contains augeas lenses files',
  },
  {
    name: 'yara_delay',
    type: 'uint64',
    default: 50,
    kind: 'flag',
    description: 'Time in ms to sleep after scan of each file (default 50) to reduce memory spikes',
  },
  {
    name: 'enable_yara_string',
    type: 'bool',
    default: false,
    kind: 'flag',
    hidden: true,
    description:
      'Enable returning matched YARA strings. The strings are set to private if rules are passed with sigrule',
  },
  {
    name: 'disable_carver',
    type: 'bool',
    default: true,
    kind: 'flag',
    description: 'Disable the osquery file carver (default true)',
  },
] as const satisfies readonly FlagDeclaration[];
