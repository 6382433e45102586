// Transitional: the string-named reads of the old module, kept for one commit while every
// reader moves to `flags.<name>` from ./index.js. Removed by the codemod commit.
import {
  type FlagName,
  type FlagValue,
  getFlag as typedGetFlag,
  isFlagSet as typedIsFlagSet,
  setFlag as typedSetFlag,
} from './index.js';

export * from './index.js';

export function getFlag(name: string): FlagValue {
  return typedGetFlag(name as FlagName);
}
export function setFlag(name: string, raw: string | boolean): void {
  typedSetFlag(name as FlagName, raw);
}
export function isFlagSet(name: string): boolean {
  return typedIsFlagSet(name as FlagName);
}
export function getBool(name: string): boolean {
  return getFlag(name) === true;
}
export function getString(name: string): string {
  return String(getFlag(name));
}
export function getNumber(name: string): number {
  return Number(getFlag(name));
}
