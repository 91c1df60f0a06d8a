import { createWriteStream, mkdirSync, type WriteStream } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";

import { mulberry32 } from "../../core/random";

export interface GenerateOptions {
  seed: number;
  mailboxes: number;
  /** Distinct messages (each written to the mailbox of every colleague on it). */
  interactions: number;
  out: string;
  orgDomain?: string;
  /** Messages spread over this many days up to `end`. */
  days?: number;
  end?: number;
  onProgress?: (messages: number) => void;
}

export interface GeneratedOrg {
  mailboxes: number;
  messages: number;
  /** Lines written: a message appears once in each colleague's mailbox it involves. */
  copies: number;
  companies: number;
  people: number;
  bytes: number;
}

/**
 * Index in [0, n) with a heavy tail (density ∝ 1/√x): the first of 50,000 people carries 0.45% of the
 * traffic, the first tenth about a third of it. (A Zipf law gave one person 6% of an organisation's
 * mail, hundreds of thousands of messages a year: no real correspondent writes that much.)
 */
const heavy = (rand: () => number, n: number): number => {
  const r = rand();
  return Math.min(n - 1, Math.floor(n * r * r));
};

const FREE_MAIL = ["gmail.com", "outlook.com", "yahoo.com"];
const FLUSH_BYTES = 1 << 18;

/** The people of a generated organisation: colleagues, and external people by number. */
interface OrgPeople {
  seed: number;
  org: string;
  users: string[];
  people: number;
  external(k: number): string;
  start: number;
  days: number;
}

function orgPeople(options: GenerateOptions): OrgPeople {
  const org = options.orgDomain ?? "contoso.com";
  const days = options.days ?? 365;
  const end = options.end ?? Date.UTC(2026, 0, 1);
  const users = Array.from({ length: options.mailboxes }, (_, i) => `user${i}@${org}`);
  const companies = Math.max(20, options.mailboxes * 10);
  const person = (k: number): string =>
    k % 10 === 9
      ? `person${k}@${FREE_MAIL[k % FREE_MAIL.length]}`
      : `person${k}@company${heavy(mulberry32(k + 1), companies)}.example`;
  const addresses = new Map<number, string>();
  const external = (k: number): string => {
    let a = addresses.get(k);
    if (a === undefined) addresses.set(k, (a = person(k)));
    return a;
  };
  return {
    seed: options.seed,
    org,
    users,
    people: companies * 10,
    external,
    start: end - days * 86_400_000,
    days,
  };
}

const recipient = (address: string) => ({ emailAddress: { address } });

/**
 * Message `n`: its Graph JSON line and the mailboxes (colleague indexes) it is written to. The draws from
 * `rand` are in a fixed order, so the same seed gives the same organisation.
 */
function drawMessage(rand: () => number, n: number, o: OrgPeople): { line: string; mailboxes: number[] } {
  const { users, people, org, seed } = o;
  const e = heavy(rand, people);
  // The person's account team: one of three colleagues, fixed by the person.
  const u = (e * 7919 + Math.floor(rand() * 3) * 104729) % users.length;
  const outbound = rand() < 0.5;
  const colleague = rand() < 0.15 ? (u + 1 + Math.floor(rand() * (users.length - 1))) % users.length : -1;
  const second = rand() < 0.1 ? heavy(rand, people) : -1;
  const when = new Date(o.start + Math.floor(rand() * o.days * 86_400_000)).toISOString();
  const ext = [o.external(e), ...(second >= 0 && second !== e ? [o.external(second)] : [])];
  const us = users[u] as string;
  const cc = colleague >= 0 && colleague !== u ? [users[colleague] as string] : [];
  const message = {
    id: `m${seed}-${n}`,
    internetMessageId: `<m${seed}.${n}@${outbound ? org : "mail.example"}>`,
    conversationId: `c${seed}-${Math.floor(n / 3)}`,
    subject: `${n % 3 ? "RE: " : ""}Topic ${Math.floor(n / 3) % 100_000}`,
    sentDateTime: when,
    receivedDateTime: when,
    from: recipient(outbound ? us : (ext[0] as string)),
    toRecipients: (outbound ? ext : [us]).map(recipient),
    ccRecipients: cc.map(recipient),
    bccRecipients: [],
  };
  return { line: `${JSON.stringify(message)}\n`, mailboxes: cc.length ? [u, colleague] : [u] };
}

/** One gzipped NDJSON file per mailbox, written in gzip members of about FLUSH_BYTES of lines. */
class MailboxFiles {
  private readonly files: WriteStream[] = [];
  private readonly buffers: string[][];
  private readonly sizes: number[];
  bytes = 0;
  copies = 0;

  constructor(
    private readonly out: string,
    private readonly count: number,
  ) {
    mkdirSync(out, { recursive: true });
    this.buffers = Array.from({ length: count }, () => []);
    this.sizes = new Array<number>(count).fill(0);
  }

  async add(line: string, mailboxes: readonly number[]): Promise<void> {
    for (const m of mailboxes) {
      (this.buffers[m] as string[]).push(line);
      this.sizes[m] = (this.sizes[m] as number) + line.length;
      this.copies++;
      if ((this.sizes[m] as number) >= FLUSH_BYTES) await this.flush(m);
    }
  }

  /** Writes what is buffered, gives a mailbox with no mail its (empty) file, and closes them all. */
  async close(): Promise<void> {
    for (let u = 0; u < this.count; u++) await this.flush(u);
    // A mailbox with no mail still gets its (empty) file: every mailbox is synced.
    for (let u = 0; u < this.count; u++) if (!this.files[u]) this.fileOf(u).write(gzipSync(""));
    await Promise.all(this.files.map((f) => new Promise<void>((r) => f.end(() => r()))));
  }

  private fileOf(u: number): WriteStream {
    let file = this.files[u];
    if (!file) this.files[u] = file = createWriteStream(path.join(this.out, `user${u}.ndjson.gz`));
    return file;
  }

  private async flush(u: number): Promise<void> {
    if (!this.sizes[u]) return;
    // Concatenated gzip members are one valid gzip stream (gunzip reads them all).
    const chunk = gzipSync((this.buffers[u] as string[]).join(""), { level: 1 });
    this.bytes += chunk.length;
    const file = this.fileOf(u);
    if (!file.write(chunk)) await new Promise<void>((r) => file.once("drain", () => r()));
    this.buffers[u] = [];
    this.sizes[u] = 0;
  }
}

/**
 * A seeded synthetic organisation for scale tests: `mailboxes` colleagues at `orgDomain`, external
 * companies (ten per mailbox) with heavy-tailed head counts and some free-mail people, and
 * `interactions` messages with heavy-tailed activity per person (each external person deals with a few
 * colleagues, their account team). Written as one gzipped NDJSON file per mailbox of Graph message
 * objects (`<mailbox>.ndjson.gz`, what the Graph sync returns), which the scale-out workers read like any
 * mailbox. The same seed gives the same files.
 */
export async function generateOrg(options: GenerateOptions): Promise<GeneratedOrg> {
  const rand = mulberry32(options.seed);
  const people = orgPeople(options);
  const files = new MailboxFiles(options.out, people.users.length);
  for (let n = 0; n < options.interactions; n++) {
    const { line, mailboxes } = drawMessage(rand, n, people);
    await files.add(line, mailboxes);
    if (n % 100_000 === 99_999) options.onProgress?.(n + 1);
  }
  await files.close();
  options.onProgress?.(options.interactions);
  return {
    mailboxes: people.users.length,
    messages: options.interactions,
    copies: files.copies,
    companies: people.people / 10,
    people: people.people,
    bytes: files.bytes,
  };
}
