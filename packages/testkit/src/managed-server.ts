/**
 * The lifecycle the testkit's real PostgreSQL and Redis share: started on a free port, then
 * stopped, killed (SIGKILL to the whole server tree, a crash), paused and resumed (SIGSTOP and
 * SIGCONT to the whole tree, a stall), started again on the same port, and removed with its
 * temporary directory. A subclass says how to spawn its server and which process is the
 * server's leader: the one that forks the others (Redis itself; PostgreSQL's postmaster, which
 * as root is a child of `runuser`, the spawned process).
 */
import { rm } from 'node:fs/promises';
import {
  killOnExit,
  processTree,
  signalEach,
  startOnFreePort,
  waitGone,
  type Exit,
  type ServerChild,
} from './server-process';

export abstract class ManagedServer {
  port = 0;
  protected server: ServerChild | null = null;
  private paused: number[] = [];
  private forgetOnExit: () => void = () => undefined;

  protected constructor(
    /** The server's name in errors ("PostgreSQL"). */
    private readonly what: string,
    /** The temporary directory `remove` deletes. */
    private readonly tempDir: string,
    /** A start error that means another process took the port. */
    private readonly portTaken: RegExp,
  ) {}

  /** Spawns the server on `this.port` and resolves once it is ready. */
  protected abstract spawn(): Promise<ServerChild>;

  /** The pid of the process that forks the server's others; null when it is not running. */
  protected abstract leader(): number | null;

  output(): string {
    return this.server?.output() ?? '';
  }

  /** The first start, on a free port. */
  startOnFreePort(): Promise<void> {
    return startOnFreePort((port) => {
      this.port = port;
      return this.start();
    }, this.portTaken);
  }

  async kill(): Promise<void> {
    const server = this.server;
    if (!server) return;
    // Freeze the leader first, so it forks nothing between listing its children and killing
    // them; then every server process dies at once, as in a crash.
    const leader = this.leader();
    if (leader !== null) signalEach([leader], 'SIGSTOP');
    const tree = leader === null ? [] : processTree(leader);
    signalEach(tree, 'SIGKILL');
    // A spawned process above the leader (runuser) stays alive to reap it: a zombie leader
    // still holds its pid, and a restart would take it for a live server. It stopped itself
    // when its child stopped (job control), so it must run again.
    if (server.pid !== leader) signalEach([server.pid], 'SIGCONT');
    await server.exited;
    await waitGone(tree, `${this.what} after SIGKILL`);
    this.paused = [];
    this.settled();
  }

  pause(): void {
    if (!this.server || this.paused.length > 0) return;
    const leader = this.leader();
    if (leader === null) throw new Error(`${this.what} is not running`);
    signalEach([leader], 'SIGSTOP');
    // Listed once the leader is stopped, so that nothing is forked after the list.
    const tree = processTree(leader);
    signalEach(tree, 'SIGSTOP');
    // A spawned process above the leader stops itself when its child stops (job control) and
    // must run again to reap it.
    this.paused = this.server.pid === leader ? tree : [this.server.pid, ...tree];
  }

  resume(): void {
    // Children first, the leader last: it forks nothing new before the old ones run.
    signalEach([...this.paused].reverse(), 'SIGCONT');
    this.paused = [];
  }

  /** Kills the server if it runs and deletes its temporary directory. */
  async remove(): Promise<void> {
    if (this.server) await this.kill();
    await rm(this.tempDir, { recursive: true, force: true });
  }

  /** Sends `signal` to the leader (after a resume) and waits for the server to exit. */
  protected async stopWith(signal: NodeJS.Signals): Promise<Exit> {
    const server = this.server;
    if (!server) return { code: null, signal: null };
    this.resume();
    const leader = this.leader();
    if (leader !== null) signalEach([leader], signal);
    const exit = await server.exited;
    this.settled();
    return exit;
  }

  /** Throws unless the server was stopped or killed: a restart needs its port and files. */
  protected assertStopped(): void {
    if (this.server) throw new Error(`${this.what} is still running; stop or kill it first`);
  }

  protected async start(): Promise<void> {
    const server = await this.spawn();
    this.server = server;
    const leader = this.leader() ?? server.pid;
    this.forgetOnExit = killOnExit(() =>
      leader === server.pid ? processTree(leader) : [server.pid, ...processTree(leader)],
    );
    // A server that dies of itself (not through stop or kill) is not running any more.
    void server.exited.then(() => {
      if (this.server === server) this.settled();
    });
  }

  private settled(): void {
    this.server = null;
    this.forgetOnExit();
  }
}
