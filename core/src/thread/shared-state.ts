// Snapshots of daemon state that tables read (osquery_schedule, osquery_packs,
// osquery_info's config fields). The daemon's main thread owns the live objects; SQL
// runs on worker threads, so the engine hands each thread a copy under a topic name
// whenever the owner publishes a new one.
const topics = new Map<string, unknown>();

export function setSharedState(topic: string, value: unknown): void {
  topics.set(topic, value);
}

/** The latest snapshot of `topic` on this thread, if any was published. */
export function sharedState<T>(topic: string): T | undefined {
  return topics.get(topic) as T | undefined;
}

export function allSharedState(): Record<string, unknown> {
  return Object.fromEntries(topics);
}
