/**
 * Prometheus metrics for `GET /metrics`. Each relay has its own registry, so several relays
 * in one process (tests, benchmarks) never share counters.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export class RelayMetrics {
  readonly registry = new Registry();

  readonly connections = new Gauge({
    name: 'weft_open_connections',
    help: 'Open WebSocket connections',
    registers: [this.registry],
  });
  readonly loadedDocuments = new Gauge({
    name: 'weft_loaded_documents',
    help: 'Documents held in memory',
    registers: [this.registry],
  });
  readonly messagesIn = new Counter({
    name: 'weft_messages_received_total',
    help: 'WebSocket frames received from clients',
    registers: [this.registry],
  });
  readonly bytesIn = new Counter({
    name: 'weft_bytes_received_total',
    help: 'Bytes of WebSocket frames received from clients',
    registers: [this.registry],
  });
  // Frames sent are counted in plain numbers and read into the counters when scraped: the
  // relay sends tens of thousands a second, and two prom-client increments per frame showed
  // in its profile.
  private sentFrames = 0;
  private sentBytes = 0;
  readonly messagesOut = new Counter({
    name: 'weft_messages_sent_total',
    help: 'WebSocket frames sent to clients',
    registers: [this.registry],
    collect: readInto(() => this.sentFrames),
  });
  readonly bytesOut = new Counter({
    name: 'weft_bytes_sent_total',
    help: 'Bytes of WebSocket frames sent to clients',
    registers: [this.registry],
    collect: readInto(() => this.sentBytes),
  });
  readonly rejectedFrames = new Counter({
    name: 'weft_rejected_frames_total',
    help: 'Frames refused as malformed, oversized or not allowed',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly rejectedUpgrades = new Counter({
    name: 'weft_rejected_upgrades_total',
    help: 'WebSocket upgrades refused (by HTTP status, or address_limit)',
    labelNames: ['status'] as const,
    registers: [this.registry],
  });
  readonly storageErrors = new Counter({
    name: 'weft_storage_errors_total',
    help: 'Failed storage writes, loads and compactions',
    labelNames: ['operation'] as const,
    registers: [this.registry],
  });
  readonly persistSeconds = new Histogram({
    name: 'weft_persist_duration_seconds',
    help: 'Time to write one group-committed batch to storage',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  });
  readonly persistBatchUpdates = new Histogram({
    name: 'weft_persist_batch_updates',
    help: 'Updates written per storage batch (group commit)',
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
    registers: [this.registry],
  });
  readonly broadcastSeconds = new Histogram({
    name: 'weft_broadcast_duration_seconds',
    help: 'Time to encode a document update and queue it to every connection',
    buckets: [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05],
    registers: [this.registry],
  });

  constructor(options: { processMetrics?: boolean } = {}) {
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  /** Counts one frame of `bytes` sent to a client. */
  countSent(bytes: number): void {
    this.sentFrames++;
    this.sentBytes += bytes;
  }

  /** The Prometheus text exposition of every metric. */
  async render(): Promise<string> {
    return this.registry.metrics();
  }
}

/** A counter's `collect`: sets it to the running total `read()` returns. */
function readInto(read: () => number): (this: Counter) => void {
  return function collect(this: Counter): void {
    this.reset();
    this.inc(read());
  };
}
