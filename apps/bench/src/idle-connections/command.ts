/**
 * `pnpm bench idle-connections [--quick] [--connections N] [--servers LIST] [--out DIR]`:
 * memory per idle connection. Each server is started fresh, N clients complete the sync
 * handshake (100 per document) and then stay silent; the server's RSS growth divided by N is
 * the cost of one idle connection. Writes idle-connections.json and .svg.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from '../lib/args';
import { defaultResultsDir } from '../lib/paths';
import { barChart, svgDocument } from '../lib/svg';
import { formatTable } from '../lib/table';
import { pool, roomName } from '../relay/fleet';
import { connectLight, type LightSocket } from '../relay/light-socket';
import { settleMachine, type QuietCheck } from '../relay/quiet';
import { environment, toJson, type Environment } from '../relay/results';
import { SERVER_NAMES, startServer, type ServerName } from '../relay/servers';

export const IDLE_CONNECTIONS_USAGE = `Usage: pnpm bench idle-connections [--quick] [--connections N] [--servers LIST] [--out DIR]

Opens N idle connections (100 per document, each completing the sync handshake) to each
server in turn and reports the server's RSS per connection. Writes idle-connections.json/.svg.

  --connections N  default 5,000 (--quick: 200; writes idle-connections-quick.*)
  --servers LIST   comma-separated: weft, y-websocket, hocuspocus; default all
  --out DIR        where to write results (default apps/bench/results)`;

const PER_ROOM = 100;

export interface IdleRun {
  readonly server: ServerName;
  readonly loadAverage: number;
  readonly quietCheck: QuietCheck;
  readonly connections: number;
  readonly connectMs: number;
  readonly serverCpuSecondsToConnect: number;
  readonly rssBaselineBytes: number;
  /** RSS 10 s after the last client connected. */
  readonly rssIdleBytes: number;
  readonly rssPerConnectionBytes: number;
}

export interface IdleResults {
  readonly benchmark: 'idle-connections';
  readonly environment: Environment;
  readonly notes: readonly string[];
  readonly runs: Partial<Record<ServerName, IdleRun>>;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const progress = (message: string): void => {
  process.stderr.write(`[idle-connections] ${message}\n`);
};

async function runServer(
  name: ServerName,
  connections: number,
  settleMs: number,
  quietWaitMs: number,
): Promise<IdleRun> {
  const { quietCheck, loadAverage } = await settleMachine(quietWaitMs, progress);
  const dataDir = mkdtempSync(join(tmpdir(), `weft-bench-idle-${name}-`));
  const server = await startServer(name, { dataDir });
  const sockets: LightSocket[] = [];
  try {
    await sleep(1000);
    const baseline = server.memory().rss;
    const cpu0 = server.cpuSeconds();
    const started = performance.now();
    const rooms = Array.from({ length: connections }, (_, i) => roomName(Math.floor(i / PER_ROOM)));
    await pool(rooms, 100, async (room) => {
      sockets.push(await connectLight(server.port, server.dialect, room, 60_000));
    });
    const connectMs = performance.now() - started;
    const cpu = server.cpuSeconds() - cpu0;
    await sleep(settleMs);
    const idle = server.memory().rss;
    const run: IdleRun = {
      server: name,
      loadAverage,
      quietCheck,
      connections,
      connectMs,
      serverCpuSecondsToConnect: cpu,
      rssBaselineBytes: baseline,
      rssIdleBytes: idle,
      rssPerConnectionBytes: (idle - baseline) / connections,
    };
    progress(
      `${name}: ${connections} connections in ${Math.round(connectMs)} ms, ${((idle - baseline) / connections / 1024).toFixed(1)} KB each`,
    );
    return run;
  } finally {
    for (const socket of sockets) socket.close();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function runIdleConnections(argv: readonly string[]): Promise<void> {
  const args = parseArgs(argv, { flags: ['quick'], valued: ['connections', 'servers', 'out'] });
  const quick = args.flags.has('quick');
  const connections = Number(args.values.get('connections') ?? (quick ? 200 : 5000));
  const servers = (args.values.get('servers')?.split(',') ?? [...SERVER_NAMES]) as ServerName[];
  for (const s of servers) if (!SERVER_NAMES.includes(s)) throw new Error(`Unknown server "${s}"`);
  const outDir = resolve(args.values.get('out') ?? defaultResultsDir());
  const file = join(outDir, quick ? 'idle-connections-quick' : 'idle-connections');
  mkdirSync(outDir, { recursive: true });
  const settleMs = quick ? 1000 : 10_000;

  const runs: IdleResults['runs'] = {};
  for (const server of servers) {
    runs[server] = await runServer(server, connections, settleMs, quick ? 0 : 180_000);
  }
  const results: IdleResults = {
    benchmark: 'idle-connections',
    environment: environment(),
    notes: [
      `Each client is a bare WebSocket that completes the sync handshake (and, on Weft, opts in to saved acknowledgements), ${PER_ROOM} per document, then stays silent.`,
      `RSS is read from /proc/<pid>/status 1 s after the server started and ${settleMs / 1000} s after the last client synced; per connection = growth / connections (the documents are empty, so this is connection state). Weft runs with WEFT_MAX_CONNECTIONS_PER_ADDRESS=1000000 since every client comes from 127.0.0.1.`,
    ],
    runs,
  };
  writeFileSync(`${file}.json`, toJson(results));
  const list = SERVER_NAMES.filter((s) => runs[s]);
  writeFileSync(
    `${file}.svg`,
    svgDocument(440, 280, 'Memory per idle connection', [
      barChart(
        { x: 10, y: 10, width: 420, height: 260 },
        {
          title: `Server RSS per idle connection (KB, ${connections.toLocaleString('en-US')} connections)`,
          yLabel: 'KB',
          groups: [''],
          series: list.map((s) => ({
            name: s,
            values: [(runs[s]?.rssPerConnectionBytes ?? 0) / 1024],
          })),
          log: false,
        },
      ),
    ]),
  );
  console.log(
    formatTable(
      [
        'server',
        'connections',
        'connect ms',
        'server CPU s',
        'RSS before MB',
        'RSS idle MB',
        'KB per connection',
      ],
      list.flatMap((s) => {
        const r = runs[s];
        return r
          ? [
              [
                s,
                r.connections,
                Math.round(r.connectMs),
                Number(r.serverCpuSecondsToConnect.toFixed(2)),
                Number((r.rssBaselineBytes / 2 ** 20).toFixed(1)),
                Number((r.rssIdleBytes / 2 ** 20).toFixed(1)),
                Number((r.rssPerConnectionBytes / 1024).toFixed(1)),
              ],
            ]
          : [];
      }),
    ),
  );
  console.log(`\nWrote ${file}.json and ${file}.svg`);
}
