// md_personalities: the RAID personalities the md driver has loaded, from the
// "Personalities :" line of /proc/mdstat.
import { defineTable, text } from '../framework.js';
import { readMdstat } from './mdstat.js';

export const mdPersonalities = defineTable({
  name: 'md_personalities',
  columns: {
    name: text(),
  },
  generate() {
    return readMdstat().personalities.map((name) => ({ name }));
  },
});
