// The contract of a distributed plugin (osquery's DistributedPlugin): where distributed
// queries come from and where their results go. Extensions serve them today (see
// extensions/routes/distributed.ts); osquery's `tls` plugin is the remote API's.

export interface DistributedPlugin {
  /** Registry name, as given in --distributed_plugin. */
  readonly name: string;
  /**
   * The pending work as JSON text, osquery's read body:
   * `{"queries": {id: sql, ...}, "discovery": {id: sql, ...}?, "accelerate": seconds?}`.
   */
  getQueries(): Promise<string>;
  /**
   * Hand back results as JSON text, osquery's write body: `{"queries": {id: [row, ...]},
   * "statuses": {id: code}, "messages": {id: text}, "stats": {id: {...}}}`.
   */
  writeResults(results: string): Promise<void>;
}

/** What the distributed registry holds: a function that makes the plugin when it is activated. */
export type MakeDistributedPlugin = () => DistributedPlugin;
