import { sharedState } from '../../thread/shared-state.js';
import { bigint, defineTable, integer, text } from '../framework.js';

/** One scheduled query as the daemon publishes it under the `schedule` topic. */
export interface ScheduleRow {
  name: string;
  query: string;
  interval: number;
  executions: number;
  last_executed: number;
  denylisted: number;
  output_size: number;
  wall_time_ms: number;
  last_wall_time_ms: number;
  user_time: number;
  last_user_time: number;
  system_time: number;
  last_system_time: number;
  average_memory: number;
  last_memory: number;
}

export const SCHEDULE_TOPIC = 'schedule';

export const osquerySchedule = defineTable({
  name: 'osquery_schedule',
  attributes: { utility: true },
  columns: {
    name: text(),
    query: text(),
    interval: integer(),
    executions: bigint(),
    last_executed: bigint(),
    denylisted: integer({ aliases: ['blacklisted'] }),
    output_size: bigint(),
    wall_time: bigint(),
    wall_time_ms: bigint(),
    last_wall_time_ms: bigint(),
    user_time: bigint(),
    last_user_time: bigint(),
    system_time: bigint(),
    last_system_time: bigint(),
    average_memory: bigint(),
    last_memory: bigint(),
  },
  // Empty outside the daemon (osqi has no schedule), as in osqueryi.
  generate: () =>
    (sharedState<ScheduleRow[]>(SCHEDULE_TOPIC) ?? []).map((r) => ({
      ...r,
      wall_time: Math.floor(r.wall_time_ms / 1000), // deprecated seconds column
    })),
});
