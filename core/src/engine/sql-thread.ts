// One thread's SQL: the thread's registries set up with osq's plugins, one connection
// serving the enabled tables, and extension tables attached and detached as their routes
// come and go in the table registry (osquery's attach). The inline engine keeps one on
// the calling thread; every SQL worker thread keeps its own.
import { setUpRegistries } from '../plugins.js';
import { enabledTables, type Registries } from '../registry/index.js';
import { Connection } from './connection.js';
import { bindTable, unbindTable } from './vtab.js';

export class SqlThread {
  readonly registries: Registries = setUpRegistries();
  readonly connection = new Connection(enabledTables(this.registries.table));
  private readonly detach = this.registries.table.subscribe((change, { plugin: table }) => {
    if (change === 'add') {
      bindTable(table);
      this.connection.setAliasViews(table, true);
    } else {
      this.connection.setAliasViews(table, false);
      unbindTable(table.name);
    }
  });

  close(): void {
    this.detach();
    this.connection.close();
  }
}
