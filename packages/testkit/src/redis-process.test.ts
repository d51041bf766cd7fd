import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startRedis } from './redis-process';

/** Sends one command in RESP and resolves with its reply's first line (`+OK`, `$-1`, …). */
function command(port: number, ...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      const lines = reply.split('\r\n');
      // A bulk string ($n) is complete with its data line; anything else with its first line.
      if (lines.length < 2) return;
      const [head = '', body = ''] = lines;
      if (head.startsWith('$') && head !== '$-1' && lines.length < 3) return;
      socket.end();
      resolve(head.startsWith('$') && head !== '$-1' ? body : head);
    });
    socket.on('error', reject);
    socket.write(
      `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`,
    );
  });
}

describe('startRedis', () => {
  it('answers on loopback, keeps its append-only file through SIGKILL, and restarts empty', async () => {
    const redis = await startRedis({ appendonly: true });
    try {
      expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`);
      expect(await command(redis.port, 'PING')).toBe('+PONG');
      expect(await command(redis.port, 'SET', 'key', 'kept')).toBe('+OK');
      await redis.kill();
      await expect(command(redis.port, 'PING')).rejects.toThrow(/ECONNREFUSED/);
      await redis.restart();
      expect(await command(redis.port, 'GET', 'key')).toBe('kept');
      await redis.kill();
      await redis.restart({ empty: true });
      expect(await command(redis.port, 'GET', 'key')).toBe('$-1');
    } finally {
      await redis.remove();
    }
    expect(existsSync(redis.dir)).toBe(false);
  });

  it('without appendonly keeps nothing across a restart', async () => {
    const redis = await startRedis();
    try {
      await command(redis.port, 'SET', 'key', 'lost');
      const exit = await redis.stop();
      expect(exit.code).toBe(0);
      await redis.restart();
      expect(await command(redis.port, 'GET', 'key')).toBe('$-1');
    } finally {
      await redis.remove();
    }
  });

  it('pause leaves connections unanswered until resume', async () => {
    const redis = await startRedis();
    try {
      redis.pause();
      let answered = false;
      const ping = command(redis.port, 'PING').then((reply) => {
        answered = true;
        return reply;
      });
      // A negative observation window: a paused server answers nothing within it.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(answered).toBe(false);
      redis.resume();
      expect(await ping).toBe('+PONG');
    } finally {
      await redis.remove();
    }
  });
});
