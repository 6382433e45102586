// @osq/idl: the osquery extensions protocol on the wire (binary protocol, unframed), and the
// vocabulary the core and the SDK must agree on: column types and option bits, operator
// codes, Boost property-tree JSON, and the C formats osquery prints (asctime, %g).
export {
  type DecodedCall,
  decodeCall,
  decodeHeader,
  decodeReply,
  encodeApplicationException,
  encodeCall,
  encodeReply,
  isMethodName,
  type MessageHeader,
} from './codec.js';
export {
  COLLATION_BIT,
  type Collation,
  type ColumnFlags,
  ColumnOption,
  type ColumnType,
  columnFlagsFromBits,
  columnOptionBits,
  columnTypeFromWire,
  TableAttribute,
  WIRE_TYPE_NAME,
} from './columns.js';
export { ApplicationError, ApplicationErrorType, ProtocolError, TimeoutError } from './errors.js';
export { asctimeUtc, formatG15 } from './formats.js';
export { DEFAULT_MAX_DEPTH, DEFAULT_MAX_MESSAGE_SIZE, type FramerLimits, MessageFramer } from './framer.js';
export { Op, type OpCode } from './operators.js';
export { type PtreeNode, parsePtree, ptreeFromJson, putPtree, writePtree, writePtreeNode } from './ptree.js';
export {
  type ClientOptions,
  createThriftServer,
  type Handlers,
  type ServeOptions,
  serveConnection,
  ThriftClient,
} from './transport.js';
export * from './types.js';
