import { TextDecoder } from 'node:util';
import type { RawRow } from './csv-rows.js';

const NEWLINE = 0x0a;

/**
 * Reads NDJSON rows from a byte stream: one JSON object per line, blank
 * lines skipped, a CRLF's CR dropped. A line longer than `maxLineBytes` is
 * skipped unread and reported as that line's error (the next line is found
 * by its newline, so the rest of the file still counts); so are a line that
 * is not JSON or not UTF-8. JSON.parse only ever sees one capped line.
 */
export async function* ndjsonRows(source: AsyncIterable<Buffer>, maxLineBytes: number): AsyncGenerator<RawRow[]> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let line = 0;
  let parts: Buffer[] = [];
  let partBytes = 0;
  let tooLong = false;
  const finish = (last: Buffer, out: RawRow[]) => {
    line++;
    const bytes = partBytes + last.length;
    if (tooLong || bytes > maxLineBytes) {
      out.push({ line, code: 'import_line_too_long', message: `Line ${line} is longer than ${maxLineBytes} bytes; it was skipped.` });
    } else {
      const row = parseLine(line, parts.length ? Buffer.concat([...parts, last]) : last, decoder);
      if (row) out.push(row);
    }
    parts = [];
    partBytes = 0;
    tooLong = false;
  };
  for await (const chunk of source) {
    const out: RawRow[] = [];
    let start = 0;
    for (let end = chunk.indexOf(NEWLINE); end !== -1; end = chunk.indexOf(NEWLINE, start)) {
      finish(chunk.subarray(start, end), out);
      start = end + 1;
    }
    const rest = chunk.subarray(start);
    if (!tooLong && rest.length > 0) {
      partBytes += rest.length;
      // Past the cap the line's bytes are dropped, not kept: memory stays at one line's worth.
      if (partBytes > maxLineBytes) {
        tooLong = true;
        parts = [];
      } else parts.push(Buffer.from(rest));
    }
    if (out.length) yield out;
  }
  if (tooLong || partBytes > 0) {
    const out: RawRow[] = [];
    finish(Buffer.alloc(0), out);
    yield out;
  }
}

function parseLine(line: number, bytes: Buffer, decoder: TextDecoder): RawRow | undefined {
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    return { line, code: 'invalid_request', message: `Line ${line} is not valid UTF-8 text.` };
  }
  if (text.trim() === '') return undefined;
  try {
    return { line, input: JSON.parse(text) as never };
  } catch (error) {
    return { line, code: 'invalid_request', message: `Line ${line} is not valid JSON: ${(error as Error).message}` };
  }
}
