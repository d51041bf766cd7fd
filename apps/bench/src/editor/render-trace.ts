/**
 * Counts of the rendering work a page does per keystroke, from a Chrome trace: frames
 * committed, layouts (and those forced by script), style recalculations and the elements they
 * restyled, and how long the task that handled each keydown ran. Latency in milliseconds moves
 * 2× between runs on a loaded machine; these counts do not.
 *
 * A trace started from one page's CDP session records every renderer in the browser, so the
 * summary picks the page's renderer by its main frame's id: `TracingStartedInBrowser` names
 * the process of the traced page's frames (only those), `FrameCommittedInBrowser` that of a
 * frame that navigated while tracing; for any other page, the renderer main thread
 * (`CrRendererMain`) whose events name the frame (`args.frame`, e.g. on
 * `BeginCommitCompositorFrame`, `args.data.frame`, `args.beginData.frame`) most often.
 */
import type { CDPSession, Page } from 'playwright-core';
import { median } from '../lib/measure';

export const TRACE_CATEGORIES = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'disabled-by-default-devtools.timeline.stack',
].join(',');

/** The fields of a Chrome trace event that the summary reads. */
export interface TraceEvent {
  readonly name: string;
  readonly ph: string;
  readonly pid: number;
  readonly tid: number;
  readonly ts: number;
  readonly dur?: number;
  readonly args?: {
    /** Of a `thread_name` metadata event. */
    readonly name?: string;
    /** Of an `UpdateLayoutTree`. */
    readonly elementCount?: number;
    /** Of `BeginCommitCompositorFrame`. */
    readonly frame?: string;
    /** Of a `Layout`: its stack when script forced it. */
    readonly beginData?: { readonly stackTrace?: unknown; readonly frame?: string };
    readonly data?: {
      /** Of an `EventDispatch`. */
      readonly type?: string;
      /** Of `TracingStartedInBrowser`: every frame and its renderer. */
      readonly frames?: readonly { readonly frame?: string; readonly processId?: number }[];
      /** Of `FrameCommittedInBrowser`. */
      readonly frame?: string;
      readonly processId?: number;
    };
  };
}

/** Per keystroke, on one page's renderer main thread, over a traced round. */
export interface RenderCounts {
  /** Keystrokes typed in the traced round (the divisor of every count below). */
  readonly keystrokes: number;
  /** `Commit` events: frames the main thread handed to the compositor. */
  readonly frames: number;
  /** `Layout` events. */
  readonly layouts: number;
  /** `Layout` events with a JavaScript stack: layouts that script forced by reading geometry. */
  readonly forcedLayouts: number;
  /** `UpdateLayoutTree` events: style recalculations. */
  readonly styleRecalcs: number;
  /** Sum of their `elementCount`: elements whose style was recalculated. */
  readonly elementsRestyled: number;
  /** Median duration (ms) of the task that dispatched each keydown; null for a watcher. */
  readonly keydownTaskP50: number | null;
  /** How the renderer was found: by frame id, or by the fallback guess. */
  readonly thread: 'frame' | 'guess';
}

const key = (e: { pid: number; tid: number }): string => `${e.pid}:${e.tid}`;

/** The renderer process of `frameId`, from the browser's frame lists in the trace. */
function pidFromBrowser(events: readonly TraceEvent[], frameId: string): number | null {
  for (const e of events) {
    const data = e.args?.data;
    if (data === undefined) continue;
    if (e.name === 'TracingStartedInBrowser' && data.frames !== undefined) {
      const found = data.frames.find((f) => f.frame === frameId);
      if (typeof found?.processId === 'number') return found.processId;
    }
    if (
      e.name === 'FrameCommittedInBrowser' &&
      data.frame === frameId &&
      typeof data.processId === 'number'
    ) {
      return data.processId;
    }
  }
  return null;
}

const isRendererMain = (e: TraceEvent): boolean =>
  e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain';

/**
 * `pid:tid` of the renderer main thread of `frameId`: that of the process the browser names,
 * else the `CrRendererMain` thread whose events name the frame most often; null if none.
 */
export function rendererMainThread(events: readonly TraceEvent[], frameId: string): string | null {
  const pid = pidFromBrowser(events, frameId);
  if (pid !== null) return mainThreadOf(events, pid);
  const mains = new Set(events.filter(isRendererMain).map(key));
  return busiest(
    events.filter(
      (e) =>
        mains.has(key(e)) &&
        (e.args?.frame === frameId ||
          e.args?.data?.frame === frameId ||
          e.args?.beginData?.frame === frameId),
    ),
  );
}

/** `pid:tid` of the main thread of renderer `pid`: `CrRendererMain`, else its busiest thread. */
function mainThreadOf(events: readonly TraceEvent[], pid: number): string | null {
  const named = events.find((e) => e.pid === pid && isRendererMain(e));
  if (named !== undefined) return key(named);
  return busiest(events.filter((e) => e.pid === pid && e.name === 'RunTask'));
}

function busiest(events: readonly TraceEvent[]): string | null {
  const counts = new Map<string, number>();
  for (const e of events) counts.set(key(e), (counts.get(key(e)) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
}

const isKey = (e: TraceEvent, type: string): boolean =>
  e.name === 'EventDispatch' && e.args?.data?.type === type;

/**
 * Without a frame id in the trace: the typist's main thread is the one that dispatched
 * keypresses; a watcher's, the one with the most `FunctionCall`s and no keypress.
 */
function guessThread(events: readonly TraceEvent[], role: 'typist' | 'watcher'): string | null {
  const typing = new Set(events.filter((e) => isKey(e, 'keypress')).map(key));
  if (role === 'typist') return busiest(events.filter((e) => isKey(e, 'keypress')));
  return busiest(events.filter((e) => e.name === 'FunctionCall' && !typing.has(key(e))));
}

/** The counts per keystroke for the page whose main frame is `frameId` (see RenderCounts). */
export function summariseTrace(
  events: readonly TraceEvent[],
  frameId: string,
  role: 'typist' | 'watcher',
  keystrokes: number,
): RenderCounts | null {
  const found = rendererMainThread(events, frameId);
  const main = found ?? guessThread(events, role);
  if (main === null || keystrokes < 1) return null;
  const own = events.filter((e) => key(e) === main);
  const named = (name: string): TraceEvent[] => own.filter((e) => e.name === name);
  const layouts = named('Layout');
  const styles = named('UpdateLayoutTree');
  const tasks = named('RunTask').filter((t) => t.ph === 'X' && t.dur !== undefined);
  const keydownTasks: number[] = [];
  for (const k of own.filter((e) => isKey(e, 'keydown'))) {
    const task = tasks.find((t) => t.ts <= k.ts && t.ts + (t.dur ?? 0) >= k.ts + (k.dur ?? 0));
    if (task !== undefined) keydownTasks.push((task.dur ?? 0) / 1000);
  }
  const per = (n: number): number => n / keystrokes;
  return {
    keystrokes,
    frames: per(named('Commit').length),
    layouts: per(layouts.length),
    forcedLayouts: per(layouts.filter((e) => e.args?.beginData?.stackTrace !== undefined).length),
    styleRecalcs: per(styles.length),
    elementsRestyled: per(styles.reduce((n, e) => n + (Number(e.args?.elementCount) || 0), 0)),
    keydownTaskP50: role === 'typist' && keydownTasks.length > 0 ? median(keydownTasks) : null,
    thread: found === null ? 'guess' : 'frame',
  };
}

/** The CDP id of `page`'s main frame. */
export async function mainFrameId(session: CDPSession): Promise<string> {
  const { frameTree } = await session.send('Page.getFrameTree');
  return frameTree.frame.id;
}

/**
 * Records a trace of the whole browser (every renderer) through `page`'s CDP session while
 * `during` runs, and returns its events.
 */
export async function traceWhile(page: Page, during: () => Promise<void>): Promise<TraceEvent[]> {
  const session = await page.context().newCDPSession(page);
  const events: TraceEvent[] = [];
  session.on('Tracing.dataCollected', (e) => {
    events.push(...(e.value as unknown as TraceEvent[]));
  });
  const complete = new Promise<void>((resolve) => {
    session.once('Tracing.tracingComplete', () => resolve());
  });
  await session.send('Tracing.start', {
    categories: TRACE_CATEGORIES,
    transferMode: 'ReportEvents',
  });
  try {
    await during();
  } finally {
    await session.send('Tracing.end');
    await complete;
    await session.detach();
  }
  return events;
}
