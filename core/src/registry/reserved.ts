// Plugin names osquery's core owns that osq does not implement yet. An extension may not
// register them (osquery would refuse them as built-ins), and osquery_registry does not
// list them (Fleet reads it to learn what a host can do). When osq implements one, it is
// registered like any local plugin; a name left here then changes nothing.
//
// osquery also builds the aws_kinesis, aws_firehose and kafka_producer loggers into its
// core; osq ships those as first-party extensions (extensions/), so their names are free.

export const RESERVED_PLUGINS: Readonly<Record<string, readonly string[]>> = {
  config: ['tls', 'update'],
  logger: ['tls'],
  distributed: ['tls'],
  enroll: ['tls'],
};

export function isReserved(registry: string, name: string): boolean {
  return RESERVED_PLUGINS[registry]?.includes(name) ?? false;
}
