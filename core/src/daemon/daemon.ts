// The daemon's work (osquery's worker): open the store, the SQL engine and the
// extension host, load the config, run the schedule through the differential engine
// into the outbox, and deliver the outbox to every logger named by --logger_plugin.

import { Decorations } from '../config/decorations.js';
import { ConfigManager } from '../config/manager.js';
import type { ScheduledQuery } from '../config/packs.js';
import { type ConfigPlugin, selectConfigPlugin } from '../config/plugin.js';
import { BackingStore } from '../database/store.js';
import { openEngine } from '../engine/engine.js';
import type { SqlEngine } from '../engine/types.js';
import { type ExtensionHost, startExtensionHost } from '../extensions/host.js';
import { renderRows } from '../extensions/render.js';
import { extensionConfigPlugin } from '../extensions/routes/config.js';
import { extensionLogger } from '../extensions/routes/logger.js';
import { flags, setFlag, unhonouredFlagNotices } from '../flags/index.js';
import { HOST_UUID_TOPIC } from '../host.js';
import { relayStatusLogs, statusLog } from '../logger/index.js';
import type { LoggerPlugin } from '../logger/plugin.js';
import { setUpRegistries } from '../plugins.js';
import { unknownPlugin } from '../registry/index.js';
import { applyResults } from '../results/differential.js';
import { formatOptionsFromFlags } from '../results/format.js';
import { Outbox } from '../results/outbox.js';
import { Scheduler } from '../scheduler/scheduler.js';
import { PROMETHEUS_TOPIC } from '../tables/services/prometheus_metrics.js';
import { INFO_TOPIC, type InfoState } from '../tables/utility/osquery_info.js';
import { PACKS_TOPIC } from '../tables/utility/osquery_packs.js';
import { SCHEDULE_TOPIC, type ScheduleRow } from '../tables/utility/osquery_schedule.js';
import { Delivery } from './delivery.js';
import { firstPartyLogger } from './first-party.js';
import { hostIdentifier, hostUuid, instanceId } from './host-identifier.js';

const log = {
  info: (m: string) => statusLog.info(m),
  warning: (m: string) => statusLog.warning(m),
  error: (m: string) => statusLog.error(m),
};
const logAt = (level: 'info' | 'warning' | 'error', m: string) => log[level](m);

/** Denylisting after a crash mid-query (docs/daemon.md#denylisting). */
const DENYLIST_SECONDS = 86_400;

function readDenylist(store: BackingStore): Map<string, number> {
  const out = new Map<string, number>();
  const parts = (store.get('configurations', 'failed_queries') ?? '').split(':').filter(Boolean);
  for (let i = 0; i + 1 < parts.length; i += 2) out.set(parts[i] as string, Number(parts[i + 1]));
  return out;
}

function writeDenylist(store: BackingStore, list: Map<string, number>): void {
  store.put('configurations', 'failed_queries', [...list].map(([n, t]) => `${n}:${t}`).join(':'));
}

/**
 * The config plugin --config_plugin names: from the config registry (osq's own or an
 * extension's), or, while extensions run, a route to an extension plugin of that name
 * that has not registered yet (the first refresh after it registers reads it).
 */
function configPlugin(host: ExtensionHost | undefined): ConfigPlugin {
  return selectConfigPlugin(
    flags.config_plugin,
    (name) => setUpRegistries().config.get(name)?.() ?? (host ? extensionConfigPlugin(name) : undefined),
  );
}

export interface RunningDaemon {
  stop(): Promise<void>;
  reload(): Promise<void>;
  done: Promise<void>;
}

export async function startDaemon(opts: { watcherPid: number }): Promise<RunningDaemon> {
  const store = flags.disable_database ? BackingStore.memory() : BackingStore.open(flags.database_path);
  const outbox = new Outbox(store, { maxLines: flags.buffered_log_max });
  const engine: SqlEngine = await openEngine({ thread: 'worker' });

  // A query that was running when the previous worker died is denylisted for a day.
  const denylist = readDenylist(store);
  const crashed = store.get('configurations', 'executing_query');
  if (crashed && !flags.disable_watchdog) {
    denylist.set(crashed, Math.floor(Date.now() / 1000) + DENYLIST_SECONDS);
    writeDenylist(store, denylist);
    log.warning(`Scheduled query may have failed: ${crashed}`);
  }
  store.delete('configurations', 'executing_query');

  let host: ExtensionHost | undefined;
  if (!flags.disable_extensions) {
    host = await startExtensionHost({
      engine,
      socketPath: flags.extensions_socket,
      autoload: true,
      log: logAt,
    });
  }

  // Loggers: each name in --logger_plugin from the logger registry (osq's own or an
  // extension's), or one of osq's first-party logger extensions, started on demand.
  const hostId = () => hostIdentifier(store);
  const loggerNames = flags.logger_plugin
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const loggerRegistry = setUpRegistries().logger;
  const loggers: LoggerPlugin[] = [];
  for (const name of loggerNames) {
    const shipped = host && !loggerRegistry.has(name) ? firstPartyLogger(name) : undefined;
    if (host && shipped && !(await host.launch(shipped, 'logger', name)))
      log.warning(`Logger extension ${name} has not registered yet`);
    const make = loggerRegistry.get(name);
    if (make) loggers.push(make({ hostIdentifier: hostId }));
    else if (shipped)
      loggers.push(extensionLogger(name, hostId)); // it registers later
    else throw unknownPlugin('logger', name);
  }
  for (const l of loggers) await l.init('osqueryd');
  if (!loggers.some((l) => l.features().status)) statusLog.setBuffering(false);
  const delivery = new Delivery(outbox, loggers, log.warning);
  delivery.kick(); // lines left from before a restart

  // Config.
  const runRows = async (sql: string) => (await engine.query(sql)).rows.length;
  const config = new ConfigManager({ plugin: configPlugin(host), runQuery: runRows, log: logAt });
  const decorations = new Decorations(
    config,
    async (sql) => renderRows(await engine.query(sql)),
    log.warning,
  );
  const publishInfo = () =>
    engine.publish(INFO_TOPIC, {
      instance_id: instanceId(store),
      config_hash: config.configHash(),
      config_valid: config.configValid() ? 1 : 0,
      extensions: host ? 'active' : 'inactive',
      watcher: opts.watcherPid,
    } satisfies InfoState);

  const scheduler = new Scheduler(
    {
      get: (k) => store.get('configurations', k),
      put: (k, v) => store.put('configurations', k, v),
      delete: (k) => store.delete('configurations', k),
    },
    {
      execute: async (q) => runScheduled(q),
      denylisted: (q) => isDenylisted(q),
      onTick: async (tick) => {
        if (tick % 60 === 0) await decorations.runInterval(tick);
        if (tick % 3 === 0) await relayStatusLogs(loggers);
      },
      log: logAt,
    },
    {
      splayPercent: flags.schedule_splay_percent,
      maxDriftSeconds: flags.schedule_max_drift,
      timeoutSeconds: flags.schedule_timeout,
    },
  );

  function isDenylisted(q: ScheduledQuery): boolean {
    const until = denylist.get(q.scheduledName);
    if (until === undefined || !q.denylist) return false;
    if (until > Date.now() / 1000) return true;
    denylist.delete(q.scheduledName);
    writeDenylist(store, denylist);
    return false;
  }

  async function runScheduled(q: ScheduledQuery): Promise<number> {
    if (flags.schedule_lognames) log.info(`Executing scheduled query ${q.scheduledName}: ${q.query}`);
    await decorations.runAlways();
    store.put('configurations', 'executing_query', q.scheduledName);
    let result: Awaited<ReturnType<SqlEngine['query']>>;
    try {
      result = await engine.query(q.query);
    } finally {
      store.delete('configurations', 'executing_query');
    }
    const applied = applyResults(
      store,
      {
        name: q.scheduledName,
        sql: q.query,
        snapshot: q.snapshot,
        removed: q.removed,
        eventOptimized: flags.events_optimize && /\w+_events\b/.test(q.query),
      },
      result,
      Math.floor(Date.now() / 1000),
      {
        ...formatOptionsFromFlags(),
        epoch: flags.schedule_epoch,
        hostIdentifier: hostId(),
        decorations: decorations.current(),
        nullValue: flags.nullvalue,
        outbox,
        loggers: loggers.map((l) => l.name),
      },
    );
    for (const n of applied.notes) log.info(n);
    if (applied.dropped > 0) {
      log.warning(`Dropped ${applied.dropped} undelivered result lines: --buffered_log_max reached`);
    }
    delivery.kick();
    publishSchedule();
    return applied.lines.reduce((n, l) => n + Buffer.byteLength(l.text), 0);
  }

  function publishSchedule(): void {
    const rows: ScheduleRow[] = scheduler.schedule.map((q) => {
      const s = scheduler.stats.get(q.scheduledName);
      return {
        name: q.scheduledName,
        query: q.query,
        interval: q.interval,
        executions: s?.executions ?? 0,
        last_executed: s?.lastExecuted ?? 0,
        denylisted: isDenylisted(q) ? 1 : 0,
        output_size: s?.outputSize ?? 0,
        wall_time_ms: s?.wallTimeMs ?? 0,
        last_wall_time_ms: s?.lastWallTimeMs ?? 0,
        user_time: s?.userTime ?? 0,
        last_user_time: s?.lastUserTime ?? 0,
        system_time: s?.systemTime ?? 0,
        last_system_time: s?.lastSystemTime ?? 0,
        average_memory: s?.averageMemory ?? 0,
        last_memory: s?.lastMemory ?? 0,
      };
    });
    engine.publish(SCHEDULE_TOPIC, rows);
  }

  async function reload(): Promise<void> {
    const r = await config.refresh();
    if (!r.ok) {
      log.error(`Error reading config: ${r.error}`);
    } else {
      for (const w of r.warnings) log.warning(w);
      if (r.changed) {
        // Config keys consumed elsewhere: the Kafka logger extension reads its per-query
        // topics through options() (osq's --logger_kafka_topics carries them).
        const topics = config.raw('kafka_topics');
        setFlag('logger_kafka_topics', topics === undefined ? '' : JSON.stringify(topics));
        // prometheus_metrics reads its targets from the config.
        engine.publish(PROMETHEUS_TOPIC, config.raw('prometheus_targets') ?? null);
        await decorations.runLoad(r.sources);
        scheduler.setSchedule(await config.scheduledQueries());
        engine.publish(PACKS_TOPIC, config.packsTable());
        publishSchedule();
      }
    }
    // Flags set on the command line, in the flagfile or by the config's options that osq
    // does not honour (yet) say so once (docs/flags.md#flag-classes).
    for (const notice of unhonouredFlagNotices()) log.info(notice);
    publishInfo();
  }

  // Tables report the same host UUID as the host identifier.
  engine.publish(HOST_UUID_TOPIC, hostUuid(store));
  await reload();
  let refreshTimer: NodeJS.Timeout | undefined;
  if (flags.config_refresh > 0) {
    refreshTimer = setInterval(() => void reload(), flags.config_refresh * 1000);
  }
  const done = scheduler.run();
  log.info(`osqd started: ${scheduler.schedule.length} scheduled queries, loggers ${loggerNames.join(',')}`);

  return {
    done,
    reload,
    async stop() {
      clearInterval(refreshTimer);
      scheduler.stop();
      await done;
      const grace = Math.max(10, flags.alarm_timeout) * 1000;
      if (!(await delivery.flush(grace / 2))) {
        log.warning('Some result lines are still queued for delivery; they will be sent after restart');
      }
      await relayStatusLogs(loggers);
      for (const l of loggers) await l.close();
      await host?.stop();
      await engine.close();
      store.close();
      statusLog.close();
    },
  };
}
