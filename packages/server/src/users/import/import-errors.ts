/**
 * The file cannot be read on from `line` (broken CSV quoting, a bad header):
 * the import stops there, keeping what it stored before.
 */
export class ImportMalformedError extends Error {
  override name = 'ImportMalformedError';

  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

/** The body went past LUMIO_IMPORT_MAX_BYTES: the import stops, keeping what it stored before. */
export class ImportTooLargeError extends Error {
  override name = 'ImportTooLargeError';

  constructor(readonly maxBytes: number) {
    super(`The file is larger than this server accepts for one import (${maxBytes} bytes, LUMIO_IMPORT_MAX_BYTES); split it.`);
  }
}

/** Counts the bytes of a body as they stream past, stopping at `maxBytes` (the body is never held whole). */
export async function* limitBytes(source: AsyncIterable<Buffer | string>, maxBytes: number): AsyncGenerator<Buffer> {
  let total = 0;
  for await (const chunk of source) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    total += buffer.length;
    if (total > maxBytes) {
      // The rows that fit are read (a row cut at the limit is not: the readers wait for its line end), then the import stops.
      const fits = buffer.length - (total - maxBytes);
      if (fits > 0) yield buffer.subarray(0, fits);
      throw new ImportTooLargeError(maxBytes);
    }
    yield buffer;
  }
}
