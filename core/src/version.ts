// Versions: the osquery release whose behaviour osq matches (reported by
// osquery_info.version so packs and servers that gate on it keep working), and osq's own.
export const OSQUERY_COMPAT_VERSION = '5.23.0';
export const OSQ_VERSION = '0.1.0';
