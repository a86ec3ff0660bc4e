import pino, { type DestinationStream, type Logger } from 'pino';
import type { Config } from '../config/config.js';

/**
 * The server's JSON logger. Secrets must never reach a log line, whichever
 * field they travel in; request lines carry no query string, because links
 * may hold one-time tokens.
 */
export function createLogger(config: Pick<Config, 'logLevel'>, destination?: DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level: config.logLevel,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'res.headers["set-cookie"]',
        '*.password',
        '*.secret',
        '*.signature',
        '*.hmac',
        '*.token',
        '*.key',
      ],
      censor: '[redacted]',
    },
    serializers: { req: serializeRequest },
  };
  return destination ? pino(options, destination) : pino(options);
}

function serializeRequest(request: { method: string; url: string; ip?: string; socket?: { remoteAddress?: string } }) {
  return { method: request.method, url: request.url.split('?')[0], remoteAddress: request.ip ?? request.socket?.remoteAddress };
}
