// Tables of the security area. Each table lives in its own file; list it here.
import type { Table } from '../framework.js';

export const securityTables: Table[] = [];
