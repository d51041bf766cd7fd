/** The shape of ot-vs-crdt.json: everything measured, plus how and where. */
import type { ConcurrentResult } from './concurrent';
import type { MemoryResult } from './memory';
import type { OfflinePoint } from './offline';
import type { SequentialResult } from './sequential';
import type { WireResult } from './wire';

export interface Environment {
  readonly date: string;
  readonly node: string;
  readonly v8: string;
  readonly platform: string;
  readonly cpu: string;
  readonly cpus: number;
  readonly versions: Readonly<Record<string, string>>;
  /** os.loadavg() (1, 5, 15 min) when the run started and ended. */
  readonly loadAverageAtStart: readonly number[];
  readonly loadAverageAtEnd: readonly number[];
}

export interface OtVsCrdtResults {
  readonly benchmark: 'ot-vs-crdt';
  readonly quick: boolean;
  readonly environment: Environment;
  readonly notes: readonly string[];
  readonly sequential: readonly SequentialResult[];
  readonly concurrent: readonly ConcurrentResult[];
  readonly offline: {
    readonly baseChars: number;
    readonly points: readonly OfflinePoint[];
    /** Exponent k (cost ∝ n^k) between consecutive n, per measure. */
    readonly growth: readonly {
      readonly from: number;
      readonly to: number;
      readonly otReconcileMs: number;
      readonly otBytes: number;
      readonly yjsReconcileMs: number;
      readonly yjsBytes: number;
    }[];
  };
  readonly wire: readonly WireResult[];
  readonly memory: readonly MemoryResult[];
}
