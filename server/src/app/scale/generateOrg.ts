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

/**
 * A seeded synthetic organisation for scale tests: `mailboxes` colleagues at `orgDomain`, external
 * companies (ten per mailbox) with heavy-tailed head counts and some free-mail people, and
 * `interactions` messages with heavy-tailed activity per person (each external person deals with a few
 * colleagues, their account team). Written as one gzipped NDJSON file per mailbox of Graph message
 * objects (`<mailbox>.ndjson.gz`, what the Graph sync returns), which the scale-out workers read like any
 * mailbox. The same seed gives the same files.
 */
// eslint-disable-next-line complexity -- larger than the guard rails when they came in (issue 22 §5); split it when it next changes
export async function generateOrg(options: GenerateOptions): Promise<GeneratedOrg> {
  const rand = mulberry32(options.seed);
  const org = options.orgDomain ?? "contoso.com";
  const days = options.days ?? 365;
  const end = options.end ?? Date.UTC(2026, 0, 1);
  const start = end - days * 86_400_000;
  const users = Array.from({ length: options.mailboxes }, (_, i) => `user${i}@${org}`);
  const companies = Math.max(20, options.mailboxes * 10);
  const people = companies * 10;
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
  const recipient = (address: string) => ({ emailAddress: { address } });

  mkdirSync(options.out, { recursive: true });
  const files: WriteStream[] = [];
  const buffers: string[][] = users.map(() => []);
  const sizes = new Array<number>(users.length).fill(0);
  let bytes = 0;
  const flush = async (u: number): Promise<void> => {
    if (!sizes[u]) return;
    // Concatenated gzip members are one valid gzip stream (gunzip reads them all).
    const chunk = gzipSync((buffers[u] as string[]).join(""), { level: 1 });
    bytes += chunk.length;
    let file = files[u];
    if (!file) files[u] = file = createWriteStream(path.join(options.out, `user${u}.ndjson.gz`));
    if (!file.write(chunk)) await new Promise<void>((r) => file.once("drain", () => r()));
    buffers[u] = [];
    sizes[u] = 0;
  };

  let copies = 0;
  for (let n = 0; n < options.interactions; n++) {
    const e = heavy(rand, people);
    // The person's account team: one of three colleagues, fixed by the person.
    const u = (e * 7919 + Math.floor(rand() * 3) * 104729) % users.length;
    const outbound = rand() < 0.5;
    const colleague = rand() < 0.15 ? (u + 1 + Math.floor(rand() * (users.length - 1))) % users.length : -1;
    const second = rand() < 0.1 ? heavy(rand, people) : -1;
    const at = start + Math.floor(rand() * days * 86_400_000);
    const when = new Date(at).toISOString();
    const ext = [external(e), ...(second >= 0 && second !== e ? [external(second)] : [])];
    const us = users[u] as string;
    const cc = colleague >= 0 && colleague !== u ? [users[colleague] as string] : [];
    const message = {
      id: `m${options.seed}-${n}`,
      internetMessageId: `<m${options.seed}.${n}@${outbound ? org : "mail.example"}>`,
      conversationId: `c${options.seed}-${Math.floor(n / 3)}`,
      subject: `${n % 3 ? "RE: " : ""}Topic ${Math.floor(n / 3) % 100_000}`,
      sentDateTime: when,
      receivedDateTime: when,
      from: recipient(outbound ? us : (ext[0] as string)),
      toRecipients: (outbound ? ext : [us]).map(recipient),
      ccRecipients: cc.map(recipient),
      bccRecipients: [],
    };
    const line = `${JSON.stringify(message)}\n`;
    for (const m of cc.length ? [u, colleague] : [u]) {
      (buffers[m] as string[]).push(line);
      sizes[m] = (sizes[m] as number) + line.length;
      copies++;
      if ((sizes[m] as number) >= FLUSH_BYTES) await flush(m);
    }
    if (n % 100_000 === 99_999) options.onProgress?.(n + 1);
  }
  for (let u = 0; u < users.length; u++) await flush(u);
  // A mailbox with no mail still gets its (empty) file: every mailbox is synced.
  for (let u = 0; u < users.length; u++)
    if (!files[u]) {
      const file = (files[u] = createWriteStream(path.join(options.out, `user${u}.ndjson.gz`)));
      file.write(gzipSync(""));
    }
  await Promise.all(files.map((f) => new Promise<void>((r) => (f as WriteStream).end(() => r()))));
  options.onProgress?.(options.interactions);
  return { mailboxes: users.length, messages: options.interactions, copies, companies, people, bytes };
}
