/**
 * Whether storage is working, for `GET /readyz`: a relay whose writes fail or hang must not
 * be sent more users, even though every socket is still open. Storage is unhealthy while
 *
 * - a document's last write failed (it is being retried), or
 * - a write or compaction has waited for the store longer than `stallMs`, or
 * - the store does not answer a small read (`info` of a name no document can have) within
 *   `probeTimeoutMs`, or rejects it (closed, disk gone).
 *
 * Health returns on its own: after the next successful write, or the next answered probe.
 */
import type { DocStore } from '@weft/storage';
import type { Rooms } from './rooms';

/** Document names start with a letter or digit, so no document is ever called this. */
const PROBE_NAME = '.readyz-probe';

export interface StorageHealthOptions {
  /** A storage call waiting longer than this counts as storage not answering. */
  readonly stallMs: number;
  /** How long the probe read may take; readiness probes themselves time out in seconds. */
  readonly probeTimeoutMs: number;
}

export class StorageHealth {
  /** The probe in flight, shared by readiness checks that arrive while it runs. */
  private probe: Promise<string | null> | null = null;

  constructor(
    private readonly store: DocStore,
    private readonly rooms: Rooms,
    private readonly options: StorageHealthOptions,
  ) {}

  /** Why storage is not healthy now, or null when it is. */
  async problem(): Promise<string | null> {
    const persisters = this.rooms.all().map((room) => room.persister);
    const failing = persisters.filter((persister) => persister.writesFailing).length;
    if (failing > 0) return `storage writes failing for ${plural(failing, 'document')}`;
    const stalled = persisters.filter((p) => p.storageWaitMs > this.options.stallMs).length;
    if (stalled > 0) {
      return `storage has not answered a write for ${plural(stalled, 'document')} in ${this.options.stallMs} ms`;
    }
    this.probe ??= this.probeStore().finally(() => {
      this.probe = null;
    });
    return this.probe;
  }

  private async probeStore(): Promise<string | null> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<string>((resolve) => {
      timer = setTimeout(() => {
        resolve(`storage did not answer within ${this.options.probeTimeoutMs} ms`);
      }, this.options.probeTimeoutMs);
    });
    const read = this.store.info(PROBE_NAME).then(
      () => null,
      (error: unknown) =>
        `storage cannot be reached: ${error instanceof Error ? error.message : String(error)}`,
    );
    try {
      return await Promise.race([read, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
