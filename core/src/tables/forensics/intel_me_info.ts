// intel_me_info: the Intel Management Engine firmware version, asked of the
// MEI driver's /dev/mei0. osquery connects to the ME's update client (an ioctl
// with its GUID), writes the 4-byte GetFirmwareVersion command (all zeros) and
// reads a 56-byte answer: 28 bytes of header/status, then little-endian u16
// major, minor, hotfix, build (then the recovery version and codes).
//
// Node has no ioctl, so on a host with /dev/mei0 osq cannot ask yet and returns no
// rows; the answer's parser is here (and tested on a fixture) for when a native
// helper does the exchange. Without /dev/mei0 (no ME, or the mei module not
// loaded) there are no rows either, as in osquery.
import { defineTable, type Row, text } from '../framework.js';

export const MEI_VERSION_SIZE = 56;
const VERSION_OFFSET = 28;

/** "major.minor.hotfix.build" from a GetFirmwareVersion answer, or undefined if it is short. */
export function parseMeiVersion(answer: Buffer): string | undefined {
  if (answer.length !== MEI_VERSION_SIZE) return undefined;
  const parts = [0, 1, 2, 3].map((i) => answer.readUInt16LE(VERSION_OFFSET + 2 * i));
  return parts.join('.');
}

function generate(): Row[] {
  // No ioctl from JavaScript: see the header.
  return [];
}

export const intelMeInfo = defineTable({
  name: 'intel_me_info',
  columns: {
    version: text({ collate: 'version' }),
  },
  generate,
});
