import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** One email as it arrived at the test's SMTP server. */
export interface CapturedMail {
  /** The envelope's recipients (RCPT TO), lower-cased. */
  to: string[];
  from: string;
  subject: string;
  text: string;
  html: string;
  /** Every http(s) link found in the text body, in order. */
  links: string[];
}

/**
 * A real SMTP server on 127.0.0.1 for tests (the `smtp-server` package): it
 * accepts every message, parses it with `mailparser` and keeps it, so a test
 * reads what a recipient would have received. Optionally requires a
 * user/password, to prove credentials in LUMIO_SMTP_URL are used.
 *
 * @example const smtp = await startSmtpCapture(); … const mail = await smtp.next((m) => m.to.includes('ada@example.com'));
 */
export interface SmtpCapture {
  /** `smtp://127.0.0.1:<port>` (with the credentials when the server requires them). */
  url: string;
  port: number;
  /** Everything received so far. */
  received: CapturedMail[];
  /** The first received email matching `match` (default: any), waiting up to `timeoutMs` for it. */
  next(match?: (mail: CapturedMail) => boolean, timeoutMs?: number): Promise<CapturedMail>;
  /** Makes the server refuse every message (550) until called with false. */
  refuse(on: boolean): void;
  close(): Promise<void>;
}

/** Starts an {@link SmtpCapture} on a free port of 127.0.0.1. */
export async function startSmtpCapture(options: { user?: string; password?: string } = {}): Promise<SmtpCapture> {
  const received: CapturedMail[] = [];
  const waiters = new Set<() => void>();
  let refusing = false;
  const server = new SMTPServer({
    authOptional: options.user === undefined,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === options.user && auth.password === options.password) callback(null, { user: auth.username });
      else callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      if (refusing) {
        stream.resume();
        stream.on('end', () => callback(Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 })));
        return;
      }
      simpleParser(stream)
        .then((parsed) => {
          const text = parsed.text ?? '';
          received.push({
            to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            subject: parsed.subject ?? '',
            text,
            html: typeof parsed.html === 'string' ? parsed.html : '',
            links: text.match(/https?:\/\/[^\s<>"]+/g) ?? [],
          });
          for (const wake of waiters) wake();
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as { port: number }).port;
  const auth = options.user === undefined ? '' : `${encodeURIComponent(options.user)}:${encodeURIComponent(options.password ?? '')}@`;
  return {
    url: `smtp://${auth}127.0.0.1:${port}`,
    port,
    received,
    refuse(on) {
      refusing = on;
    },
    next(match = () => true, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = received.find(match);
          if (!found) return false;
          cleanup();
          resolve(found);
          return true;
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`no matching email within ${timeoutMs} ms (received ${received.length})`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(wake);
        };
        const wake = () => void check();
        if (!check()) waiters.add(wake);
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
