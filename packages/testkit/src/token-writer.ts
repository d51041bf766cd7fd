/**
 * A writer for Jepsen-style set tests: inserts unique tokens into a shared text and records,
 * for each, the Yjs clock at which it exists, so that a saved acknowledgement tells exactly
 * which tokens the relay has promised to keep.
 */
import * as Y from 'yjs';
import type { Random } from './random';
import type { YjsClient } from './yjs-client';

interface WrittenToken {
  readonly token: string;
  readonly clock: number;
}

export class TokenWriter {
  private readonly written: WrittenToken[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    readonly client: YjsClient,
    /** Prefix unique to this writer instance, e.g. `w2.5` (writer 2, 5th incarnation). */
    readonly prefix: string,
  ) {}

  /** Inserts a token every `intervalMs`, at a token boundary chosen by `random`. */
  start(random: Random, intervalMs = 3): void {
    this.timer = setInterval(() => {
      this.write(random);
    }, intervalMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  write(random: Random): void {
    const text = this.client.text;
    const token = `[${this.prefix}.${this.written.length}]`;
    text.insert(tokenBoundary(random, text.toString()), token);
    this.written.push({
      token,
      clock: Y.getState(this.client.doc.store, this.client.doc.clientID),
    });
  }

  /** Every token this writer inserted. */
  all(): string[] {
    return this.written.map((entry) => entry.token);
  }

  /** Tokens covered by the latest saved acknowledgement this client received. */
  acknowledged(): string[] {
    const clock = this.client.acknowledged?.get(this.client.doc.clientID) ?? 0;
    return this.written.filter((entry) => entry.clock <= clock).map((entry) => entry.token);
  }
}

/** A position between whole tokens (`[...]`), so no insert splits another token. */
export function tokenBoundary(random: Random, text: string): number {
  const boundaries = [0];
  for (let i = text.indexOf(']'); i !== -1; i = text.indexOf(']', i + 1)) boundaries.push(i + 1);
  return random.pick(boundaries);
}

/** The tokens of `expected` missing from `text` (Jepsen's `:lost`). */
export function lostTokens(expected: Iterable<string>, text: string): string[] {
  return [...expected].filter((token) => !text.includes(token));
}
