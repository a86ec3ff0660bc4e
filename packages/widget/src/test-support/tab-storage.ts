/** A tab's sessionStorage for unit tests: shared by one page load and the next, empty in a new browser session. */
export class TabStorage {
  readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
}
