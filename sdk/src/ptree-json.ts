// osquery's AWS loggers re-serialise every line through Boost.PropertyTree before sending it
// (`appendLogTypeToJson`, docs/results-and-logging.md#aws-kinesis-and-firehose); the
// property-tree reader and writer live in @osq/idl.
import { type PtreeNode, parsePtree, putPtree, writePtree } from '@osq/idl';

export { type PtreeNode, parsePtree, putPtree, writePtree };

/**
 * osquery's appendLogTypeToJson: the line re-serialised with `"log_type": <type>` set.
 * Returns undefined for lines osquery would drop as "not in JSON format".
 */
export function appendLogType(line: string, logType: string): { text: string; tree: PtreeNode } | undefined {
  if (line === '' || logType === '') return undefined;
  try {
    const tree = parsePtree(line);
    putPtree(tree, 'log_type', logType);
    return { text: writePtree(tree), tree };
  } catch {
    return undefined;
  }
}
