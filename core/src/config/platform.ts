// Which platforms a pack or query is for, as osquery's checkPlatform decides on Linux.

/**
 * osquery's checkPlatform on a Linux build: substring rules, so "linux,darwin" and
 * "posix" match here, "darwin" or "windows" alone do not; "" and "null" match everything.
 */
export function checkPlatform(platform: string): boolean {
  if (platform === '' || platform === 'null') return true;
  if (platform.includes('any') || platform.includes('all')) return true;
  if (platform.includes('linux') || platform.includes('ubuntu') || platform.includes('centos')) return true;
  if (platform.includes('posix')) return true;
  return false;
}
