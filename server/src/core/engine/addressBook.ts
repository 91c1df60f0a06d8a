import type { Directory } from "../directory";

/** Address numbers fit in 26 bits (the pair table packs two in one number). */
const MAX_ADDRESSES = 2 ** 26;

/**
 * The addresses a RelationshipState has seen, each resolved against the directory once and numbered
 * densely (aliases of a user share their primary address's number). The hot path of adding interactions
 * then works on numbers: one lookup per participant, and what it needs to know about the person (side,
 * opt-out, seen in this interaction, latest posting) sits in small typed columns indexed by number, which
 * stay in the CPU caches where an object per address would not.
 */
export class AddressBook {
  /** Every spelling seen (and its canonical form) to its number. */
  private readonly ids = new Map<string, number>();
  /** The canonical address by number. */
  readonly canonical: string[] = [];
  /** 1 for our side (see Directory.isInternal), by number. */
  internal = new Uint8Array(1024);
  /** 1 for an opted-out user, by number. */
  optedOut = new Uint8Array(1024);
  /** The serial of the last interaction that listed the address (de-duplicates participants). */
  seenIn = new Int32Array(1024);
  /** An external person's latest posting (see RelationshipState), -1 for none. */
  head = new Int32Array(1024).fill(-1);

  constructor(
    private directory: Directory,
    private optedOutSet: ReadonlySet<string>,
  ) {}

  /**
   * Resolves addresses seen from now on against another directory (one that puts every address on the
   * same side: see RelationshipState.setDirectory); those already numbered keep their resolution.
   */
  useDirectory(directory: Directory, optedOut: ReadonlySet<string>): void {
    this.directory = directory;
    this.optedOutSet = optedOut;
  }

  get size(): number {
    return this.canonical.length;
  }

  /** The number of an address, resolving it on first sight. */
  id(address: string): number {
    const id = this.ids.get(address);
    return id === undefined ? this.resolve(address) : id;
  }

  /** The number of an address already seen, or -1. */
  find(address: string): number {
    return this.ids.get(address) ?? -1;
  }

  private resolve(address: string): number {
    const canonical = this.directory.canonical(address);
    const shared = canonical === address ? undefined : this.ids.get(canonical);
    if (shared !== undefined) {
      this.ids.set(address, shared);
      return shared;
    }
    const id = this.canonical.length;
    if (id === MAX_ADDRESSES) throw new RangeError(`At most ${MAX_ADDRESSES} addresses can be told apart`);
    if (id === this.internal.length) this.grow();
    this.canonical.push(canonical);
    this.internal[id] = this.directory.isInternal(canonical) ? 1 : 0;
    this.optedOut[id] = this.optedOutSet.has(canonical) ? 1 : 0;
    this.seenIn[id] = -1;
    this.head[id] = -1;
    this.ids.set(address, id);
    if (canonical !== address) this.ids.set(canonical, id);
    return id;
  }

  private grow(): void {
    const n = 2 * this.internal.length;
    const internal = new Uint8Array(n);
    internal.set(this.internal);
    this.internal = internal;
    const optedOut = new Uint8Array(n);
    optedOut.set(this.optedOut);
    this.optedOut = optedOut;
    const seenIn = new Int32Array(n);
    seenIn.set(this.seenIn);
    this.seenIn = seenIn;
    const head = new Int32Array(n).fill(-1);
    head.set(this.head);
    this.head = head;
  }
}

/**
 * A reader's own numbering of addresses (a worker thread's wire table: strings in the order it first sent
 * them), each resolved to an AddressBook's number on first use. Interactions that arrive with their
 * addresses as table numbers (see NumberedAddresses) are then added without a string lookup per
 * participant. Resolutions are kept per book: bound to another book, the table resolves again.
 */
export class AddressTable {
  /** The table's strings, by table number. */
  readonly strings: string[] = [];
  /** Per table number, its book number + 1 (0: not resolved yet). */
  private ids = new Int32Array(1024);
  private book: AddressBook | undefined;

  push(s: string): void {
    this.strings.push(s);
  }

  /** Resolves table numbers against `book` from now on (forgetting resolutions against another). */
  bind(book: AddressBook): void {
    if (book !== this.book) {
      this.book = book;
      this.ids.fill(0);
    }
    if (this.ids.length < this.strings.length) {
      const bigger = new Int32Array(Math.max(2 * this.ids.length, this.strings.length));
      bigger.set(this.ids);
      this.ids = bigger;
    }
  }

  /** The book number of table number `ref` (after bind, in the bound book). */
  id(ref: number, book: AddressBook): number {
    const known = this.ids[ref] as number;
    if (known !== 0) return known - 1;
    const s = this.strings[ref];
    if (s === undefined) throw new RangeError(`AddressTable: no address numbered ${ref}`);
    const id = book.id(s);
    this.ids[ref] = id + 1;
    return id;
  }
}

/** Interactions' addresses as numbers of an AddressTable (see RelationshipState.addAll). */
export interface NumberedAddresses {
  table: AddressTable;
  /** Per interaction, in order: its sender's table number, then its To's and its Cc's. */
  listed: Int32Array;
}
