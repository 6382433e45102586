// Child for the kill -9 test: appends one result line through the filesystem logger and
// prints "acked" only after logResult() resolved; then idles until it is killed.
import { FilesystemLogger } from '@osq/core/logger/filesystem';
import { StatusLogger } from '@osq/core/logger/status';

const [dir, line] = process.argv.slice(2);
const logger = new FilesystemLogger({
  path: dir,
  mode: 0o640,
  rotate: false,
  rotateSize: 0,
  rotateMaxFiles: 25,
  statusLog: new StatusLogger({ stderr: () => {} }),
});
await logger.init('osqueryd');
await logger.logResult(line);
process.stdout.write('acked\n');
setInterval(() => {}, 1000);
