// Tables of the applications area. Each table lives in its own file; list it here.
import type { Table } from '../framework.js';

export const applicationsTables: Table[] = [];
