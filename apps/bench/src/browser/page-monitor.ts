/**
 * Where a browser page's time went during a benchmark phase, through the Chrome DevTools
 * Protocol: the renderer's own accounting of task, script, layout and style time
 * (`Performance.getMetrics`), and, when asked, a CPU profile of the page's JavaScript.
 *
 * The paste phase of this benchmark was once 20× slower than the typing phase with the relay
 * nearly idle; these numbers put the time in the pages' scripts, and the profile in the
 * Markdown parser (see apps/web/src/editor/long-blocks.ts).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CDPSession, Page } from 'playwright-core';

/** Seconds of the renderer's main thread spent on each kind of work during a phase. */
export interface PageTime {
  readonly taskSeconds: number;
  readonly scriptSeconds: number;
  readonly layoutSeconds: number;
  readonly styleSeconds: number;
}

const METRICS = {
  taskSeconds: 'TaskDuration',
  scriptSeconds: 'ScriptDuration',
  layoutSeconds: 'LayoutDuration',
  styleSeconds: 'RecalcStyleDuration',
} as const satisfies Record<keyof PageTime, string>;

/** A PageTime whose every kind of work is `seconds(kind)`. */
function pageTime(seconds: (kind: keyof PageTime) => number): PageTime {
  return {
    taskSeconds: seconds('taskSeconds'),
    scriptSeconds: seconds('scriptSeconds'),
    layoutSeconds: seconds('layoutSeconds'),
    styleSeconds: seconds('styleSeconds'),
  };
}

export class PageMonitor {
  private before: PageTime | null = null;

  private constructor(
    readonly user: string,
    private readonly session: CDPSession,
    /** Where to write a CPU profile per phase; null: no profiling. */
    private readonly profileDir: string | null,
  ) {}

  static async attach(page: Page, user: string, profileDir: string | null): Promise<PageMonitor> {
    const session = await page.context().newCDPSession(page);
    await session.send('Performance.enable');
    if (profileDir !== null) {
      await session.send('Profiler.enable');
      // 0.5 ms: keystrokes are tens of milliseconds apart, the default 1 ms misses detail.
      await session.send('Profiler.setSamplingInterval', { interval: 500 });
    }
    return new PageMonitor(user, session, profileDir);
  }

  async start(): Promise<void> {
    if (this.profileDir !== null) await this.session.send('Profiler.start');
    this.before = await this.read();
  }

  /** The phase's page time; writes `<phase>-<user>.cpuprofile` when profiling. */
  async stop(phase: string): Promise<PageTime> {
    const after = await this.read();
    const before = this.before ?? after;
    if (this.profileDir !== null) {
      const { profile } = await this.session.send('Profiler.stop');
      const file = `${phase.replace(/[^a-z0-9]+/gi, '-')}-${this.user}.cpuprofile`;
      writeFileSync(join(this.profileDir, file), JSON.stringify(profile));
    }
    return pageTime((kind) => after[kind] - before[kind]);
  }

  private async read(): Promise<PageTime> {
    const { metrics } = await this.session.send('Performance.getMetrics');
    const value = (name: string): number => metrics.find((m) => m.name === name)?.value ?? 0;
    return pageTime((kind) => value(METRICS[kind]));
  }
}
