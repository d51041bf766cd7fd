import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { updateAddsNothing } from './update-novelty';

function docWith(text: string, clientID = 1): Y.Doc {
  const doc = new Y.Doc();
  doc.clientID = clientID;
  doc.getText('content').insert(0, text);
  return doc;
}

function copyOf(doc: Y.Doc, clientID: number): Y.Doc {
  const copy = new Y.Doc();
  copy.clientID = clientID;
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  return copy;
}

describe('updateAddsNothing', () => {
  it('is true for the document itself and for an empty diff', () => {
    const doc = docWith('hello');
    expect(updateAddsNothing(Y.encodeStateAsUpdate(doc), doc)).toBe(true);
    const diff = Y.encodeStateAsUpdate(doc, Y.encodeStateVector(doc));
    expect(updateAddsNothing(diff, doc)).toBe(true);
  });

  it('is false for new text, and for a diff that starts past clock 0', () => {
    const relay = docWith('hello');
    const client = copyOf(relay, 2);
    client.getText('content').insert(5, ' world');
    expect(updateAddsNothing(Y.encodeStateAsUpdate(client), relay)).toBe(false);
    expect(
      updateAddsNothing(Y.encodeStateAsUpdate(client, Y.encodeStateVector(relay)), relay),
    ).toBe(false);
  });

  it('is false for a deletion the document lacks, true once it has it', () => {
    const relay = docWith('hello world');
    const client = copyOf(relay, 2);
    client.getText('content').delete(0, 6);
    const update = Y.encodeStateAsUpdate(client, Y.encodeStateVector(relay));
    // A deletion advances no clock, so only the delete set tells.
    expect(Y.encodeStateVector(client)).toEqual(Y.encodeStateVector(relay));
    expect(updateAddsNothing(update, relay)).toBe(false);
    Y.applyUpdate(relay, update);
    expect(updateAddsNothing(update, relay)).toBe(true);
  });

  it('is false for a deletion of content the document has not got', () => {
    const relay = new Y.Doc();
    const client = docWith('unseen', 3);
    client.getText('content').delete(0, 2);
    const { ds } = Y.decodeUpdate(Y.encodeStateAsUpdate(client));
    expect(ds.clients.size).toBe(1);
    expect(updateAddsNothing(Y.encodeStateAsUpdate(client), relay)).toBe(false);
  });
});
