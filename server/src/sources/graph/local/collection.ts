/**
 * One delta-tracked collection of the local Graph server (a mail folder or a calendar), with Graph's
 * round semantics: a round without a token lists every live item; a round from a delta token lists what
 * changed since (live items and `@removed` tombstones). Each change appends an entry and voids the
 * item's previous one, so a round that reads entries up to the end it saw when it started never misses
 * a change (a change made during a round lands after that end and comes in the next round).
 */
export type GraphItem = Record<string, unknown> & { id: string };

interface Entry {
  seq: number;
  id: string;
  /** undefined: the item was removed (a tombstone). */
  item: GraphItem | undefined;
  /** Voided by a later change of the same item. */
  void: boolean;
}

/** Where a round is: read entries in [from, end) with seq > since. */
export interface Cursor {
  since: number;
  from: number;
  end: number;
}

export class Collection {
  private readonly entries: Entry[] = [];
  private readonly latest = new Map<string, number>();
  private seq = 0;

  /** Adds or replaces an item. */
  put(item: GraphItem): void {
    this.append(item.id, item);
  }

  /** Removes an item; false when it was not there. */
  remove(id: string): boolean {
    const at = this.latest.get(id);
    if (at === undefined || this.entries[at]?.item === undefined) return false;
    this.append(id, undefined);
    return true;
  }

  get(id: string): GraphItem | undefined {
    const at = this.latest.get(id);
    return at === undefined ? undefined : this.entries[at]?.item;
  }

  /** Live items, in the order they were last changed. */
  *items(): IterableIterator<GraphItem> {
    for (const e of this.entries) if (!e.void && e.item) yield e.item;
  }

  get size(): number {
    let n = 0;
    for (const e of this.entries) if (!e.void && e.item) n++;
    return n;
  }

  /** The cursor of a new round: from the start (`since` = 0, no tombstones) or from a delta token's seq. */
  begin(since: number): Cursor {
    return { since, from: 0, end: this.entries.length };
  }

  /**
   * The next page of a round: up to `size` entries, and the cursor after them (undefined when the round
   * is complete). A full round (since 0) leaves tombstones out: there is nothing to remove yet.
   */
  page(cursor: Cursor, size: number): { items: Entry[]; next: Cursor | undefined } {
    const out: Entry[] = [];
    let at = cursor.from;
    for (; at < cursor.end && out.length < size; at++) {
      const e = this.entries[at] as Entry;
      if (this.listed(e, cursor.since)) out.push(e);
    }
    // Pass over entries that would not be listed, so that a round's last page is known as last.
    while (at < cursor.end && !this.listed(this.entries[at] as Entry, cursor.since)) at++;
    return {
      items: out,
      next: at < cursor.end ? { since: cursor.since, from: at, end: cursor.end } : undefined,
    };
  }

  private listed(e: Entry, since: number): boolean {
    return !e.void && e.seq > since && (e.item !== undefined || since !== 0);
  }

  private append(id: string, item: GraphItem | undefined): void {
    const previous = this.latest.get(id);
    if (previous !== undefined) (this.entries[previous] as Entry).void = true;
    this.latest.set(id, this.entries.length);
    this.entries.push({ seq: ++this.seq, id, item, void: false });
  }
}
