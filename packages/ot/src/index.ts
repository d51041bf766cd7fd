/**
 * @weft/ot — an Operational Transformation engine for plain text, kept beside Weft's CRDT as
 * a measured point of comparison (see apps/bench).
 *
 * - The text type (`text`, and its functions one by one): the `ot-text-unicode` op format and
 *   semantics, written from scratch.
 * - `OtServer` and `OtClient`: the classic central-server protocol, transport-agnostic.
 */
export type { Component, Delete, Selection, Side, TextOp } from './types';
export { InvalidOpError, OtProtocolError } from './errors';
export { apply } from './apply';
export { compose } from './compose';
export { invert, invertWithDoc, makeInvertible } from './invert';
export { isNoop, normalize } from './normalize';
export { transformPosition, transformSelection } from './position';
export { transform } from './transform';
export { checkOp } from './validate';
export { codePointLength } from './unicode';
export { create, text } from './text';
export type { RevisionRecord, SubmitMessage } from './protocol';
export { OtServer } from './server';
export { OtClient } from './client';
export type { OtClientOptions, OtClientState, ReceiveResult } from './client';
