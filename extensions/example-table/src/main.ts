// The example extension program. osquery starts it with
// `--socket PATH --timeout N --interval N`; the SDK reads those itself.
import { ExtensionServer, runExtension } from '@osq/sdk';
import tables from './tables.js';

const server = new ExtensionServer({ name: 'example_table', version: '0.1.0' });
server.add(...tables(server.client));
await runExtension(server);
