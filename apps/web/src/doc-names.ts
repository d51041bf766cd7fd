/** Readable random names for new documents, e.g. `amber-river-4821`; valid document names. */
const FIRST = [
  'amber',
  'brisk',
  'cedar',
  'dawn',
  'ember',
  'fern',
  'gale',
  'harbor',
  'iris',
  'juniper',
];
const SECOND = [
  'river',
  'meadow',
  'summit',
  'grove',
  'harbor',
  'canyon',
  'delta',
  'ridge',
  'isle',
  'field',
];

function pick(words: readonly string[]): string {
  return words[Math.floor(Math.random() * words.length)] ?? 'doc';
}

export function randomDocName(): string {
  const number = Math.floor(1000 + Math.random() * 9000);
  return `${pick(FIRST)}-${pick(SECOND)}-${number}`;
}
