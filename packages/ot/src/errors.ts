/** Thrown when an op is malformed or does not fit the document it is applied to. */
export class InvalidOpError extends Error {
  override readonly name = 'InvalidOpError';
}

/** Thrown by the client/server engine when messages arrive that the protocol cannot produce. */
export class OtProtocolError extends Error {
  override readonly name = 'OtProtocolError';
}
