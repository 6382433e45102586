// Tables of the packages area. Each table lives in its own file; list it here.
import type { Table } from '../framework.js';

export const packagesTables: Table[] = [];
