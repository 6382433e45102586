// Integer cells as the system tables read them from text files.

/** Parse a decimal integer cell; anything else becomes NULL (undefined). */
export function toInt(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const t = text.trim();
  if (!/^-?\d+$/.test(t)) return undefined;
  return Number(t);
}
