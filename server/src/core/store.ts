import type { Interaction } from "./interaction";

/** A serialisable snapshot of the store: the de-duplicated interactions, in canonical order. */
export interface StoreSnapshot {
  version: 1;
  interactions: Interaction[];
}

/** Total order on interactions: by time, then by key. Every derived result iterates in this order. */
export function compareInteractions(a: Interaction, b: Interaction): number {
  return a.at - b.at || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

/**
 * The de-duplicated set of interactions from every source. The same message counted once whether it
 * arrives from several folders, mailboxes or sources, in any order: a copy is recognised by its content
 * key or its Message-ID, and merging copies is commutative (Bcc lists are united), so the set is the
 * same whatever the arrival order.
 */
export class InteractionStore {
  private readonly byKey = new Map<string, Interaction>();
  private readonly keyByMessageId = new Map<string, string>();
  /** Copies recognised and merged rather than added. */
  duplicates = 0;

  get size(): number {
    return this.byKey.size;
  }

  /** Adds an interaction; returns the stored interaction when it is new, undefined when it was a copy. */
  add(interaction: Interaction): Interaction | undefined {
    let key = interaction.key;
    let existing = this.byKey.get(key);
    if (!existing && interaction.messageId) {
      const aliased = this.keyByMessageId.get(interaction.messageId);
      if (aliased) {
        key = aliased;
        existing = this.byKey.get(aliased);
      }
    }
    if (existing) {
      this.duplicates++;
      mergeCopy(existing, interaction);
      if (interaction.messageId && !this.keyByMessageId.has(interaction.messageId)) {
        this.keyByMessageId.set(interaction.messageId, key);
      }
      return undefined;
    }
    // The store keeps the object it is given (no copy on the hot path). Its Bcc is sorted so that it does
    // not depend on which copy arrived first; its Message-ID, which copies do not share, is not read again.
    const stored = interaction;
    if (stored.bcc.length > 1) stored.bcc = [...stored.bcc].sort();
    this.byKey.set(key, stored);
    if (interaction.messageId) this.keyByMessageId.set(interaction.messageId, key);
    return stored;
  }

  has(key: string): boolean {
    return this.byKey.has(key);
  }

  get(key: string): Interaction | undefined {
    return this.byKey.get(key);
  }

  /** Removes interactions (a person forgotten, an opted-out user); returns how many went. */
  removeWhere(predicate: (i: Interaction) => boolean): number {
    let removed = 0;
    for (const [key, i] of this.byKey) {
      if (predicate(i)) {
        this.byKey.delete(key);
        removed++;
      }
    }
    if (removed)
      for (const [id, key] of this.keyByMessageId) if (!this.byKey.has(key)) this.keyByMessageId.delete(id);
    return removed;
  }

  /** Every interaction in canonical order (time, then key). */
  sorted(): Interaction[] {
    return [...this.byKey.values()].sort(compareInteractions);
  }

  values(): IterableIterator<Interaction> {
    return this.byKey.values();
  }

  snapshot(): StoreSnapshot {
    return { version: 1, interactions: this.sorted() };
  }

  static fromSnapshot(snapshot: StoreSnapshot): InteractionStore {
    const store = new InteractionStore();
    for (const i of snapshot.interactions) store.add(i);
    store.duplicates = 0;
    return store;
  }
}

/** Folds a copy into the stored interaction, independent of which copy came first. */
function mergeCopy(stored: Interaction, copy: Interaction): void {
  if (copy.bcc.length) {
    const bcc = new Set([...stored.bcc, ...copy.bcc]);
    stored.bcc = [...bcc].sort();
  }
  if (copy.isReply && !stored.isReply) stored.isReply = true;
  // Where sources disagree, the tracked Dataverse activity wins: it carries the record it is regarding.
  if (copy.regarding && !stored.regarding) stored.regarding = copy.regarding;
  if (copy.activityId && !stored.activityId) stored.activityId = copy.activityId;
  if (copy.subject !== undefined && stored.subject === undefined) stored.subject = copy.subject;
  if (copy.observedAt !== undefined) {
    stored.observedAt =
      stored.observedAt === undefined ? copy.observedAt : Math.min(stored.observedAt, copy.observedAt);
  }
}
