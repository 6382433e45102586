// osqi, osqueryi's twin: output modes and one-shot queries (core/src/shell, core/src/cli/osqi.ts).
import type { FlagDeclaration } from '../types.js';

export const shellFlags = [
  { name: 'json', type: 'bool', default: false, kind: 'shell', description: 'Print JSON-formatted results' },
  {
    name: 'json_pretty',
    type: 'bool',
    default: false,
    kind: 'shell',
    description: 'Print pretty JSON-formatted results',
  },
  { name: 'csv', type: 'bool', default: false, kind: 'shell', description: "Set output mode to 'csv'" },
  { name: 'line', type: 'bool', default: false, kind: 'shell', description: "Set output mode to 'line'" },
  { name: 'list', type: 'bool', default: false, kind: 'shell', description: "Set output mode to 'list'" },
  {
    name: 'separator',
    type: 'string',
    default: '|',
    kind: 'shell',
    description: "Set output field separator, default '|'",
  },
  {
    name: 'header',
    type: 'bool',
    default: true,
    kind: 'shell',
    description: 'Toggle column headers true/false',
  },
  { name: 'A', type: 'string', default: '', kind: 'shell', description: 'Select all from a table' },
  { name: 'L', type: 'bool', default: false, kind: 'shell', description: 'List all table names' },
  { name: 'query', type: 'string', default: '', kind: 'shell', description: 'Run a query and exit' },
  {
    name: 'query_file',
    type: 'string',
    default: '',
    kind: 'shell',
    description: 'Run queries from a file and exit',
  },
  {
    name: 'output',
    type: 'string',
    default: '',
    kind: 'shell',
    description: 'Write query results to a file instead of stdout',
  },
  {
    name: 'pack',
    type: 'string',
    default: '',
    kind: 'shell',
    description: 'Run all queries in a pack',
  },
  {
    name: 'connect',
    type: 'string',
    default: '',
    kind: 'shell',
    description: 'Connect to an extension socket',
  },
] as const satisfies readonly FlagDeclaration[];
