// prometheus_metrics: scrape each Prometheus target and report every sample line
// ("name{labels} value [timestamp]") with the time of the scrape in milliseconds.
//
// osquery reads the targets from the config key `prometheus_targets`
// ({"urls": [...], "timeout": seconds, default 1}). Until osq's config lands, the same
// JSON value comes from the daemon's config (published to every SQL thread under the
// `prometheus_targets` topic), else from the environment variable OSQ_PROMETHEUS_TARGETS.
import { childValues, type Json, tryParseJson } from '../../lib/json.js';
import { httpRequestSync } from '../../net/http.js';
import { sharedState } from '../../thread/shared-state.js';
import { defineTable, double, bigint as int64, type Row, text } from '../framework.js';
import { at, int, statusWarning, str } from './util.js';

/** The topic under which osqd publishes the config's prometheus_targets. */
export const PROMETHEUS_TOPIC = 'prometheus_targets';

function targets(): { urls: string[]; timeoutS: number } | null {
  const value =
    sharedState<Json>(PROMETHEUS_TOPIC) ??
    tryParseJson(process.env.OSQ_PROMETHEUS_TARGETS ?? '') ??
    undefined;
  if (value === undefined) return null;
  if (at(value, 'urls') === undefined) {
    statusWarning('prometheus: configuration for prometheus_targets is missing field: urls');
    return null;
  }
  return { urls: childValues(at(value, 'urls')).map((u) => str(u)), timeoutS: int(at(value, 'timeout'), 1) };
}

/** A sample value; "NaN", "+Inf" and "-Inf" as Prometheus spells them. */
function sampleValue(text: string): number | undefined {
  if (text === '+Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  const n = Number(text);
  return Number.isNaN(n) ? undefined : n;
}

/** Rows for one target's exposition text (comments and blank lines skipped). */
export function parseExposition(target: string, body: string, timestampMs: number): Row[] {
  const rows: Row[] = [];
  for (const line of body.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const fields = line.split(' ').filter((f) => f !== '');
    if (fields.length < 2) continue;
    rows.push({
      target_name: target,
      metric_name: fields[0],
      metric_value: sampleValue(fields[1] as string),
      timestamp_ms: timestampMs,
    });
  }
  return rows;
}

export const prometheusMetrics = defineTable({
  name: 'prometheus_metrics',
  columns: {
    target_name: text(),
    metric_name: text(),
    metric_value: double(),
    timestamp_ms: int64(),
  },
  generate() {
    const config = targets();
    if (config === null) return [];
    const rows: Row[] = [];
    // osquery sorts targets by URL (they live in a std::map).
    for (const url of [...new Set(config.urls)].sort()) {
      try {
        const res = httpRequestSync({ url, timeoutMs: config.timeoutS * 1000 });
        rows.push(...parseExposition(url, res.body, Date.now()));
      } catch (e) {
        statusWarning(`prometheus: failed on scrape of target ${url}: ${(e as Error).message}`);
      }
    }
    return rows;
  },
});
