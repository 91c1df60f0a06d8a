/**
 * The streaming path of the mbox reader (readMboxFileBatches), for files too large or too damaged to be
 * read whole: the file's bytes, decompressed where gzipped, handed over chunk by chunk with backpressure,
 * and the data before a stream error handed over before the error.
 */
import type { Readable } from "node:stream";
import { createGunzip } from "node:zlib";

const GZIP_SLICE = 64;
// Decompressed bytes queued for the parser before the stream is paused (memory stays bounded whatever
// the inflated size).
const QUEUE_HIGH = 8 * 1024 * 1024;

/** The source's bytes, gunzipped when `gz`. */
export function decompressed(source: Readable, gz: boolean): Readable {
  if (!gz) return source;
  // Small writes, so that what precedes damaged data is decompressed and handed over before the error.
  const gunzip = createGunzip();
  source.on("data", (chunk: string | Buffer) => {
    const bytes = typeof chunk === "string" ? Buffer.from(chunk, "latin1") : chunk;
    let room = true;
    for (let i = 0; i < bytes.length; i += GZIP_SLICE)
      room = gunzip.write(bytes.subarray(i, i + GZIP_SLICE)) && room;
    // Backpressure: read no more while the inflater is full.
    if (!room) source.pause();
  });
  gunzip.on("drain", () => source.resume());
  source.on("end", () => gunzip.end());
  source.on("error", (err) => gunzip.destroy(err));
  return gunzip;
}

/**
 * Yields the stream's chunks as the consumer takes them, pausing the stream while more than QUEUE_HIGH
 * bytes wait; returns the stream's error (undefined when it ended well). Events rather than `for await`:
 * an async iterator throws on an error before handing over the data already decompressed, and the
 * messages before the damage must be read.
 */
export async function* queuedChunks(stream: Readable): AsyncGenerator<Buffer, unknown> {
  const chunks: Buffer[] = [];
  let queued = 0;
  let ended = false;
  let error: unknown;
  let wake: (() => void) | undefined;
  stream.on("data", (c: Buffer) => {
    chunks.push(c);
    queued += c.length;
    // The parser is behind: pause until it has caught up (gzip bombs, /dev/zero-like sources).
    if (queued > QUEUE_HIGH) stream.pause();
    wake?.();
  });
  stream.on("end", () => {
    ended = true;
    wake?.();
  });
  stream.on("error", (err: Error) => {
    error ??= err;
    ended = true;
    wake?.();
  });
  while (true) {
    const chunk = chunks.shift();
    if (chunk) {
      queued -= chunk.length;
      if (queued <= QUEUE_HIGH / 2 && stream.isPaused()) stream.resume();
      yield chunk;
      continue;
    }
    if (ended) return error;
    if (stream.isPaused()) stream.resume();
    await new Promise<void>((resolve) => (wake = resolve));
    wake = undefined;
  }
}
