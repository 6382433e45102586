// Distinguished names as OpenSSL prints them, from the DER of a Name: osquery's
// `subject`/`issuer` use X509_NAME_oneline ("/C=US/O=Org/CN=Name") and
// `subject2`/`issuer2` use X509_NAME_print_ex with XN_FLAG_ONELINE
// ("C = US, O = Org, CN = Name").
import { bytes, children, type Node, oid } from './der.js';

// OpenSSL's short names for the attribute types found in certificate names.
const SHORT_NAMES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.4': 'SN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'street',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.12': 'title',
  '2.5.4.13': 'description',
  '2.5.4.15': 'businessCategory',
  '2.5.4.16': 'postalAddress',
  '2.5.4.17': 'postalCode',
  '2.5.4.41': 'name',
  '2.5.4.42': 'GN',
  '2.5.4.43': 'initials',
  '2.5.4.44': 'generationQualifier',
  '2.5.4.46': 'dnQualifier',
  '2.5.4.65': 'pseudonym',
  '2.5.4.97': 'organizationIdentifier',
  '1.2.840.113549.1.9.1': 'emailAddress',
  '0.9.2342.19200300.100.1.1': 'UID',
  '0.9.2342.19200300.100.1.25': 'DC',
  '1.3.6.1.4.1.311.60.2.1.1': 'jurisdictionL',
  '1.3.6.1.4.1.311.60.2.1.2': 'jurisdictionST',
  '1.3.6.1.4.1.311.60.2.1.3': 'jurisdictionC',
};

const BMP_STRING = 0x1e;
const UNIVERSAL_STRING = 0x1c;
const UTF8_STRING = 0x0c;

interface Attribute {
  /** Short name, or the dotted OID when OpenSSL has none. */
  name: string;
  tag: number;
  raw: Buffer;
  /** True for the second and later attributes of a multi-valued RDN. */
  joined: boolean;
}

function attributes(name: Node): Attribute[] {
  const out: Attribute[] = [];
  for (const rdn of children(name)) {
    children(rdn).forEach((atv, i) => {
      const [type, value] = children(atv);
      if (!type || !value) return;
      const dotted = oid(type);
      out.push({ name: SHORT_NAMES[dotted] ?? dotted, tag: value.tag, raw: bytes(value), joined: i > 0 });
    });
  }
  return out;
}

/** The Unicode text of a string value, by its ASN.1 string type. */
function decode(tag: number, raw: Buffer): string {
  if (tag === UTF8_STRING) return raw.toString('utf8');
  if (tag === BMP_STRING && raw.length % 2 === 0) return Buffer.from(raw).swap16().toString('utf16le');
  if (tag === UNIVERSAL_STRING) {
    let s = '';
    for (let i = 0; i + 3 < raw.length; i += 4) s += String.fromCodePoint(raw.readUInt32BE(i));
    return s;
  }
  return raw.toString('latin1'); // Printable, IA5, T61 (as Latin-1)
}

const hex2 = (b: number): string => b.toString(16).toUpperCase().padStart(2, '0');

/** X509_NAME_oneline: "/SN=value" per attribute, bytes outside ' '..'~' as \xHH, '/' as \/. */
export function onelineName(name: Node): string {
  let out = '';
  for (const a of attributes(name)) {
    let raw = a.raw;
    // Wide strings whose high bytes are all zero print as their low bytes.
    const width = a.tag === BMP_STRING ? 2 : a.tag === UNIVERSAL_STRING ? 4 : 1;
    if (width > 1 && raw.length % width === 0) {
      const low: number[] = [];
      let narrow = true;
      for (let i = 0; i < raw.length; i += width) {
        for (let j = 0; j < width - 1; j++) if (raw[i + j] !== 0) narrow = false;
        low.push(raw[i + width - 1] as number);
      }
      if (narrow) raw = Buffer.from(low);
    }
    let value = '';
    for (const b of raw) {
      if (b < 0x20 || b > 0x7e) value += `\\x${hex2(b)}`;
      else value += b === 0x2f ? '\\/' : String.fromCharCode(b); // OpenSSL 3 escapes '/'
    }
    out += `/${a.name}=${value}`;
  }
  return out;
}

// RFC 2253 special characters; with XN_FLAG_ONELINE they make OpenSSL quote the value.
const SPECIAL = new Set([',', '+', '"', '\\', '<', '>', ';']);

/** One value as X509_NAME_print_ex(XN_FLAG_ONELINE) writes it. */
function onelineValue(tag: number, raw: Buffer): string {
  const text = decode(tag, raw);
  const utf8 = Buffer.from(text, 'utf8');
  let quote = false;
  let out = '';
  utf8.forEach((b, i) => {
    const c = String.fromCharCode(b);
    if (b > 0x7f || b < 0x20 || b === 0x7f) {
      out += `\\${hex2(b)}`;
    } else if (
      SPECIAL.has(c) ||
      (i === 0 && (c === ' ' || c === '#')) ||
      (i === utf8.length - 1 && c === ' ')
    ) {
      quote = true;
      out += c;
    } else {
      out += c;
    }
  });
  return quote ? `"${out}"` : out;
}

/** X509_NAME_print_ex with XN_FLAG_ONELINE: "SN = value, SN = value" (" + " inside an RDN). */
export function printName(name: Node): string {
  let out = '';
  attributes(name).forEach((a, i) => {
    if (i > 0) out += a.joined ? ' + ' : ', ';
    out += `${a.name} = ${onelineValue(a.tag, a.raw)}`;
  });
  return out;
}

/** The first CN value as its raw text. */
export function commonName(name: Node): string {
  const cn = attributes(name).find((a) => a.name === 'CN');
  return cn ? decode(cn.tag, cn.raw) : '';
}
