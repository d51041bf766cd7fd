/**
 * Which of a document's sequence numbers a relay has applied, so that it can tell when it
 * missed something. PostgreSQL numbers each document's updates without gaps in commit order
 * (postgres-store.ts), so "everything up to n is applied" is one number, `applied`; ranges
 * that arrived ahead of it (another relay's commit overtook a message still on its way, or a
 * message was lost) wait in `ahead` until the numbers between are filled in.
 *
 *   const seqs = new SeqTracker(4);   // loaded with everything up to 4
 *   seqs.note(7, 8);                  // true: new; a gap 5..6 is open
 *   seqs.gap                          // { after: 4, before: 7 }
 *   seqs.repaired(8);                 // a repair read every row after 4, up to 8
 */
export class SeqTracker {
  /** Disjoint ranges above `applied + 1`, sorted. */
  private ahead: { first: number; last: number }[] = [];

  constructor(
    /** Every update numbered up to this is applied; -1 for none. */
    private appliedSeq: number,
  ) {}

  get applied(): number {
    return this.appliedSeq;
  }

  /** The first missing stretch, or null when nothing above `applied` is waiting. */
  get gap(): { after: number; before: number } | null {
    const [next] = this.ahead;
    return next ? { after: this.appliedSeq, before: next.first } : null;
  }

  /** Records that `first..last` are applied; false when all of them already were. */
  note(first: number, last: number): boolean {
    if (last <= this.appliedSeq || this.covered(first, last)) return false;
    this.ahead.push({ first: Math.max(first, this.appliedSeq + 1), last });
    this.ahead.sort((a, b) => a.first - b.first);
    this.advance();
    return true;
  }

  /** A repair applied every committed update up to `through` (it read all rows after `applied`). */
  repaired(through: number): void {
    if (through > this.appliedSeq) this.appliedSeq = through;
    this.advance();
  }

  private covered(first: number, last: number): boolean {
    return this.ahead.some((range) => range.first <= first && range.last >= last);
  }

  private advance(): void {
    const rest: { first: number; last: number }[] = [];
    for (const range of this.ahead) {
      if (range.first <= this.appliedSeq + 1) {
        this.appliedSeq = Math.max(this.appliedSeq, range.last);
      } else if (range.last > this.appliedSeq) {
        rest.push(range);
      }
    }
    // One pass suffices: ranges are sorted by first, so each extends what came before it.
    this.ahead = rest;
  }
}
