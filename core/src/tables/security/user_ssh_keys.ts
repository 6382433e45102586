// user_ssh_keys: the private keys among the files of each user's ~/.ssh.
// A file counts when OpenSSL can read it as a PEM private key (Node's crypto is
// OpenSSL, so createPrivateKey accepts exactly what osquery's
// PEM_read_bio_PrivateKey does), or when it is an OpenSSH-format key, which
// OpenSSL cannot parse: those report only `encrypted` (from the cipher name at
// the start of the blob). Encrypted PEM keys cannot be opened without the
// passphrase, so they too report no type or size.
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { joinPath, listFilesInDirectory, readBytes } from '../../lib/fs.js';
import { usersForContext } from '../accounts/util.js';
import { bigint, defineTable, integer, type Row, text } from '../framework.js';

const OPENSSH_HEADER = '-----BEGIN OPENSSH PRIVATE KEY-----';
// base64 of "openssh-key-v1\0" + length 4 + "none": the start of an unencrypted key.
const OPENSSH_UNENCRYPTED_PREFIX = 'b3BlbnNzaC1rZXktdjEAAAAABG5vbmU';

export interface KeyFacts {
  encrypted: boolean;
  keyType: string;
  groupName: string;
  length?: number;
  securityBits?: number;
}

/** OpenSSL's strength estimate for RSA and finite-field moduli (SP 800-56B formula). */
function ifcSecurityBits(n: number): number {
  const canonical: Record<number, number> = {
    2048: 112,
    3072: 128,
    4096: 152,
    6144: 176,
    7680: 192,
    8192: 200,
    15360: 256,
  };
  if (canonical[n] !== undefined) return canonical[n] as number;
  if (n >= 687737) return 1200;
  if (n < 8) return 0;
  const cap = n <= 7680 ? 192 : n <= 15360 ? 256 : 1200;
  const x = n * Math.LN2;
  const lx = Math.log(x);
  const y = Math.trunc((1.923 * Math.cbrt(x * lx * lx) - 4.69) / Math.LN2);
  return Math.min((y + 4) & ~7, cap);
}

/** BN_security_bits(L, N) for DSA. */
function dsaSecurityBits(l: number, n: number): number {
  let secbits: number;
  if (l >= 15360) secbits = 256;
  else if (l >= 7680) secbits = 192;
  else if (l >= 3072) secbits = 128;
  else if (l >= 2048) secbits = 112;
  else if (l >= 1024) secbits = 80;
  else return 0;
  const bits = Math.floor(n / 2);
  if (bits < 80) return 0;
  return Math.min(bits, secbits);
}

function ecSecurityBits(orderBits: number): number {
  if (orderBits >= 512) return 256;
  if (orderBits >= 384) return 192;
  if (orderBits >= 256) return 128;
  if (orderBits >= 224) return 112;
  if (orderBits >= 160) return 80;
  return Math.floor(orderBits / 2);
}

/** Type, group, size and strength of a key OpenSSL could open. */
function describeKey(key: KeyObject): KeyFacts {
  const d = key.asymmetricKeyDetails ?? {};
  switch (key.asymmetricKeyType as string | undefined) {
    case 'rsa': {
      const bits = d.modulusLength ?? 0;
      return {
        encrypted: false,
        keyType: 'rsa',
        groupName: '',
        length: bits,
        securityBits: ifcSecurityBits(bits),
      };
    }
    case 'dsa': {
      const bits = d.modulusLength ?? 0;
      const q = d.divisorLength ?? 0;
      return {
        encrypted: false,
        keyType: 'dsa',
        groupName: '',
        length: bits,
        securityBits: dsaSecurityBits(bits, q),
      };
    }
    case 'ec': {
      const curve = d.namedCurve ?? '';
      const bits = Number(/\d+/.exec(curve)?.[0] ?? 0);
      return {
        encrypted: false,
        keyType: 'ec',
        groupName: curve,
        length: bits,
        securityBits: ecSecurityBits(bits),
      };
    }
    case 'ed25519':
    case 'x25519':
      return { encrypted: false, keyType: '', groupName: '', length: 253, securityBits: 128 };
    case 'ed448':
      return { encrypted: false, keyType: '', groupName: '', length: 456, securityBits: 224 };
    case 'x448':
      return { encrypted: false, keyType: '', groupName: '', length: 448, securityBits: 224 };
    case 'dh':
      return { encrypted: false, keyType: 'dh', groupName: '' };
    default:
      // Types osquery has no name for (rsa-pss, ...).
      return { encrypted: false, keyType: '', groupName: '' };
  }
}

/** What osquery reports for a file's content, or null when it is not a private key. */
export function inspectPrivateKey(content: Buffer): KeyFacts | null {
  try {
    return describeKey(createPrivateKey({ key: content, format: 'pem' }));
  } catch (e) {
    // An encrypted PEM key asks for a passphrase we do not have (PKCS#8 and
    // legacy "Proc-Type: 4,ENCRYPTED" keys fail with different codes).
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ERR_MISSING_PASSPHRASE' || code === 'ERR_OSSL_CRYPTO_INTERRUPTED_OR_CANCELLED') {
      return { encrypted: true, keyType: '', groupName: '' };
    }
  }
  const text = content.toString('latin1');
  if (!text.startsWith(OPENSSH_HEADER)) return null;
  const start = OPENSSH_HEADER.length + 1;
  const prefix = text.slice(start, start + OPENSSH_UNENCRYPTED_PREFIX.length);
  return { encrypted: prefix !== OPENSSH_UNENCRYPTED_PREFIX, keyType: '', groupName: '' };
}

export function keyRow(uid: number, path: string, facts: KeyFacts): Row {
  const row: Row = {
    uid,
    path,
    encrypted: facts.encrypted ? 1 : 0,
    key_type: facts.keyType,
    key_group_name: facts.groupName,
    pid_with_namespace: 0,
  };
  // Unknown sizes are empty in osquery, which reads as NULL.
  if (facts.length !== undefined) row.key_length = facts.length;
  if (facts.securityBits !== undefined) row.key_security_bits = facts.securityBits;
  return row;
}

export const userSshKeys = defineTable({
  name: 'user_ssh_keys',
  attributes: { user_data: true, no_pkey: true },
  columns: {
    uid: bigint({ additional: true, optimized: true }),
    path: text({ index: true }),
    encrypted: integer(),
    key_type: text(),
    key_group_name: text(),
    key_length: integer(),
    key_security_bits: integer(),
    pid_with_namespace: integer({ hidden: true, additional: true, platforms: ['linux'] }),
  },
  generate(ctx) {
    const uids = ctx.integerEquals('uid');
    const rows: Row[] = [];
    for (const user of usersForContext(uids.length > 0 ? uids : null)) {
      for (const file of listFilesInDirectory(joinPath(user.dir, '.ssh')) ?? []) {
        const content = readBytes(file);
        if (content === null) continue;
        const facts = inspectPrivateKey(content);
        if (facts) rows.push(keyRow(user.uid, file, facts));
      }
    }
    return rows;
  },
});
