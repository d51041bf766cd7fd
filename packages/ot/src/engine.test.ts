/** The client/server protocol, step by step. */
import { describe, expect, it } from 'vitest';
import { OtClient } from './client';
import { InvalidOpError, OtProtocolError } from './errors';
import { OtServer } from './server';

const join = (server: OtServer, id: string): OtClient => new OtClient({ id, ...server.snapshot() });

describe('OtServer', () => {
  it('transforms an op made at an old revision past everything since', () => {
    const server = new OtServer('abc');
    server.receive({ client: 'a', seq: 1, revision: 0, op: ['X'] });
    server.receive({ client: 'a', seq: 2, revision: 1, op: [4, 'Y'] });
    const record = server.receive({ client: 'b', seq: 1, revision: 0, op: [1, { d: 'b' }] });
    expect(record).toEqual({ revision: 2, client: 'b', seq: 1, op: [2, { d: 'b' }] });
    expect(server.document).toBe('XacY');
    expect(server.revision).toBe(3);
    expect(server.recordsSince(2)).toEqual([record]);
  });

  it('drops an op it already applied (a resend after reconnecting)', () => {
    const server = new OtServer();
    const message = { client: 'a', seq: 1, revision: 0, op: ['x'] };
    expect(server.receive(message)).not.toBeNull();
    expect(server.receive(message)).toBeNull();
    expect(server.document).toBe('x');
  });

  it('rejects a gap in seq, an unknown revision and an op that does not fit, changing nothing', () => {
    const server = new OtServer('ab');
    expect(() => server.receive({ client: 'a', seq: 2, revision: 0, op: ['x'] })).toThrow(
      OtProtocolError,
    );
    expect(() => server.receive({ client: 'a', seq: 1, revision: 1, op: ['x'] })).toThrow(
      /revision 1; the server is at 0/,
    );
    expect(() => server.receive({ client: 'a', seq: 1, revision: 0, op: [3, 'x'] })).toThrow(
      InvalidOpError,
    );
    expect(server.snapshot()).toEqual({ revision: 0, document: 'ab' });
    // seq 1 was not used up by the failed attempts
    expect(server.receive({ client: 'a', seq: 1, revision: 0, op: ['x'] })?.revision).toBe(0);
  });
});

describe('OtClient', () => {
  it('moves through synchronized, awaitingConfirm and awaitingWithBuffer', () => {
    const server = new OtServer('');
    const client = join(server, 'a');
    expect(client.state).toBe('synchronized');

    const first = client.applyLocal(['h']);
    expect(first).toEqual({ client: 'a', seq: 1, revision: 0, op: ['h'] });
    expect(client.state).toBe('awaitingConfirm');

    expect(client.applyLocal([1, 'i'])).toBeNull();
    expect(client.applyLocal([2, '!'])).toBeNull();
    expect(client.state).toBe('awaitingWithBuffer');
    expect(client.document).toBe('hi!');

    const ack = server.receive(first ?? expect.fail('nothing sent'));
    const { send, applied } = client.receive(ack ?? expect.fail('no record'));
    expect(applied).toBeNull();
    // the buffer went out as one composed op
    expect(send).toEqual({ client: 'a', seq: 2, revision: 1, op: [1, 'i!'] });
    expect(client.state).toBe('awaitingConfirm');

    const ack2 = server.receive(send ?? expect.fail('nothing sent'));
    expect(client.receive(ack2 ?? expect.fail('no record')).send).toBeNull();
    expect(client.state).toBe('synchronized');
    expect(client.revision).toBe(2);
    expect(server.document).toBe('hi!');
  });

  it('transforms a remote op past its in-flight op and buffer', () => {
    const server = new OtServer('abc');
    const a = join(server, 'a');
    const b = join(server, 'b');
    const fromA = a.applyLocal(['1']);
    a.applyLocal([4, '2']); // buffered: '1abc2'
    const fromB = b.applyLocal([1, { d: 'b' }]); // 'ac'

    const recordB = server.receive(fromB ?? expect.fail('nothing sent'));
    const recordA = server.receive(fromA ?? expect.fail('nothing sent'));
    if (!recordA || !recordB) return expect.fail('no record');

    const { applied } = a.receive(recordB);
    expect(applied).toEqual([2, { d: 'b' }]);
    expect(a.document).toBe('1ac2');
    const { send } = a.receive(recordA);
    const recordA2 = server.receive(send ?? expect.fail('buffer not sent'));
    b.receive(recordB);
    b.receive(recordA);
    b.receive(recordA2 ?? expect.fail('no record'));
    expect(server.document).toBe('1ac2');
    expect(b.document).toBe('1ac2');
  });

  it('ignores records it has already seen and rejects a skipped one', () => {
    const server = new OtServer('');
    const a = join(server, 'a');
    const record = server.receive({ client: 'z', seq: 1, revision: 0, op: ['x'] });
    const second = server.receive({ client: 'z', seq: 2, revision: 1, op: ['y'] });
    if (!record || !second) return expect.fail('no record');
    expect(() => a.receive(second)).toThrow(/expected revision 0 but received 1/);
    a.receive(record);
    expect(a.receive(record)).toEqual({ send: null, applied: null });
    expect(a.document).toBe('x');
  });

  it('rejects an acknowledgement for an op it did not send', () => {
    const server = new OtServer('');
    const a = join(server, 'a');
    const record = server.receive({ client: 'a', seq: 1, revision: 0, op: ['x'] });
    expect(() => a.receive(record ?? expect.fail('no record'))).toThrow(/its op in flight is none/);
  });

  it('leaves its state unchanged when a local op does not fit', () => {
    const client = join(new OtServer('ab'), 'a');
    expect(() => client.applyLocal([5, 'x'])).toThrow(InvalidOpError);
    expect(client.state).toBe('synchronized');
    expect(client.document).toBe('ab');
    expect(client.applyLocal([2])).toBeNull(); // a no-op is not sent
  });

  it('resends the in-flight op unchanged after a reconnect', () => {
    const server = new OtServer('');
    const a = join(server, 'a');
    const sent = a.applyLocal(['x']);
    server.receive({ client: 'b', seq: 1, revision: 0, op: ['y'] });
    const recordB = server.recordsSince(0)[0];
    a.receive(recordB ?? expect.fail('no record'));
    // the local copy was transformed, but the resend is what the server has not seen
    expect(a.resend()).toEqual(sent);
    server.receive(a.resend() ?? expect.fail('nothing to resend'));
    for (const record of server.recordsSince(0)) a.receive(record);
    expect(a.state).toBe('synchronized');
    expect(a.document).toBe(server.document);
  });
});
