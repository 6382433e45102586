// Errors of the wire layer.

/**
 * The bytes on a connection do not form a valid binary-protocol message (bad version, negative
 * or absurd length, unknown type id, too deep, too large, truncated). The connection cannot be
 * resynchronised: drop it.
 */
export class ProtocolError extends Error {
  override name = 'ProtocolError';
}

/** TApplicationException type codes (Thrift's `TApplicationExceptionType`). */
export const ApplicationErrorType = {
  UNKNOWN: 0,
  UNKNOWN_METHOD: 1,
  INVALID_MESSAGE_TYPE: 2,
  WRONG_METHOD_NAME: 3,
  BAD_SEQUENCE_ID: 4,
  MISSING_RESULT: 5,
  INTERNAL_ERROR: 6,
  PROTOCOL_ERROR: 7,
} as const;

/** The peer answered a call with an EXCEPTION message carrying a TApplicationException. */
export class ApplicationError extends Error {
  override name = 'ApplicationError';
  constructor(
    /** One of ApplicationErrorType (the peer may send any i32). */
    readonly type: number,
    message: string,
  ) {
    super(message);
  }
}

/** A call did not get its reply in time; the connection was closed. */
export class TimeoutError extends Error {
  override name = 'TimeoutError';
}
