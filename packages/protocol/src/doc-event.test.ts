import { describe, expect, it } from 'vitest';
import { parseDocEvent, type DocEvent } from './doc-event';

const event: DocEvent = {
  name: 'a',
  title: 'A',
  modified: 1,
  size: 20,
  deleted: false,
  people: 2,
};

describe('parseDocEvent', () => {
  it('parses doc event data and refuses anything else', () => {
    expect(parseDocEvent(JSON.stringify(event))).toEqual(event);
    expect(parseDocEvent(JSON.stringify({ ...event, title: null }))).toEqual({
      ...event,
      title: null,
    });
    expect(parseDocEvent('not json')).toBeNull();
    expect(parseDocEvent(JSON.stringify({ ...event, people: '2' }))).toBeNull();
    expect(parseDocEvent('null')).toBeNull();
    expect(parseDocEvent('3')).toBeNull();
  });
});
