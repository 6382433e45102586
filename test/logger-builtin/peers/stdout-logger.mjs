// Child for the stdout logger test: status lines before and after init, three result lines,
// one snapshot and a relayed status batch, all through StdoutLogger on the real stdout.

import { relayStatusLogs, StatusLogger } from '@osq/core/logger/status';
import { StdoutLogger } from '@osq/core/logger/stdout';

const log = new StatusLogger({ now: () => Date.UTC(2026, 7, 6, 21, 46, 12) + 0.5, threadId: 77 });
log.configure({ verbose: false, minStatus: 0, minStderr: 0, stderr: true, processName: 'osqueryd' });
const logger = new StdoutLogger({ statusLog: log });
log.warning('before init', { file: 'a.cpp', line: 1 });
await logger.init('osqueryd');
log.error('after init', { file: 'b.cpp', line: 2 });
await logger.logResult('{"name":"q1","n":1}');
await logger.logResult('{"name":"q1","n":"é✓"}');
await logger.logSnapshot('{"snapshot":[],"action":"snapshot"}');
await relayStatusLogs([logger], log);
await logger.close();
