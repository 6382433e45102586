// Tables of the files area. Each table lives in its own file; list it here.
import type { Table } from '../framework.js';
import { file } from './file.js';
import { hash } from './hash.js';

export const filesTables: Table[] = [file, hash];
