/**
 * The per-address connection cap. An upgrade takes its slot as soon as it is admitted, so
 * the cap also bounds how many document loads one address can have waiting, and gives it
 * back exactly once, however the upgrade ends.
 */
export class AddressSlots {
  private readonly held = new Map<string, number>();

  constructor(private readonly maxPerAddress: number) {}

  /**
   * Takes a slot for `address`: null when the address already holds its maximum, else the
   * function that gives the slot back (calling it again does nothing).
   */
  take(address: string): (() => void) | null {
    const count = this.held.get(address) ?? 0;
    if (count >= this.maxPerAddress) return null;
    this.held.set(address, count + 1);
    let givenBack = false;
    return () => {
      if (givenBack) return;
      givenBack = true;
      const remaining = (this.held.get(address) ?? 1) - 1;
      if (remaining > 0) this.held.set(address, remaining);
      else this.held.delete(address);
    };
  }

  /** Slots `address` holds now. */
  count(address: string): number {
    return this.held.get(address) ?? 0;
  }
}
