/** Small conversions between node-postgres rows and the store's values. */

/** The first row of a statement that always returns one (RETURNING, an aggregate). */
export function onlyRow<T>(rows: readonly T[], what: string): T {
  const [row] = rows;
  if (row === undefined) throw new Error(`PostgreSQL returned no row for ${what}`);
  return row;
}

/** A bytea parameter: node-postgres sends Buffers as binary data, without copying. */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** A bytea column as a plain Uint8Array over the same memory. */
export function asBytes(buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}
