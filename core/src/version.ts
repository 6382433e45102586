// Versions: the osquery release whose behaviour osq matches (reported by
// osquery_info.version so packs and servers that gate on it keep working), and osq's own.
export const OSQUERY_COMPAT_VERSION = '5.23.0';
export const OSQ_VERSION = '0.1.0';

/**
 * osquery's versionAtLeast(required, build): compare dot-separated chunks numerically
 * (leading digits, like std::stoi); a build chunk without digits falls back to a string
 * comparison that can only fail. Extra build chunks pass.
 */
export function versionAtLeast(required: string, build: string): boolean {
  if (required === '0.0.0' || build === '0.0.0') return true;
  const req = required.split('.').filter((s) => s !== '');
  const have = build.split('.').filter((s) => s !== '');
  const leadingInt = (s: string): number | undefined => {
    const m = /^\s*([+-]?\d+)/.exec(s);
    return m ? Number(m[1]) : undefined;
  };
  for (let i = 0; i < have.length; i++) {
    if (req.length <= i) return true;
    const a = leadingInt(have[i] as string);
    const b = leadingInt(req[i] as string);
    if (a === undefined || b === undefined) {
      if ((have[i] as string) < (req[i] as string)) return false;
      continue;
    }
    if (a < b) return false;
    if (a > b) return true;
  }
  return true;
}
