// @osq/idl: the osquery extensions protocol on the wire (binary protocol, unframed).
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
export { ApplicationError, ApplicationErrorType, ProtocolError, TimeoutError } from './errors.js';
export { DEFAULT_MAX_DEPTH, DEFAULT_MAX_MESSAGE_SIZE, type FramerLimits, MessageFramer } from './framer.js';
export {
  type ClientOptions,
  createThriftServer,
  type Handlers,
  type ServeOptions,
  serveConnection,
  ThriftClient,
} from './transport.js';
export * from './types.js';
