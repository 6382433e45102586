// The SHA-1 digests the config keeps: of each source's text (config_hash) and of
// the host name (the shard).
import { createHash } from 'node:crypto';

/** Lower-case hex SHA-1 of the UTF-8 text. */
export function sha1Hex(text: string): string {
  return createHash('sha1').update(text, 'utf8').digest('hex');
}
