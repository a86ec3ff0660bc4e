import { describe, expect, it } from 'vitest';
import { checkBody } from './check-body.js';
import { widgetBody } from '../widgets/widget-body.js';
import { apiKeyBody } from '../api-keys/api-key-body.js';

describe('checkBody', () => {
  it('answers the parsed body: trimmed, defaults filled in', () => {
    expect(checkBody(widgetBody, { name: '  Docs  ' })).toEqual({ ok: true, value: { name: 'Docs' } });
    expect(checkBody(apiKeyBody, undefined)).toEqual({ ok: true, value: { name: 'API key' } });
  });

  it('names the field of the first problem, dotted into lists, as the server reports it', () => {
    const blank = checkBody(widgetBody, { name: '   ' });
    expect(blank).toMatchObject({ ok: false, field: 'name' });
    const origin = checkBody(widgetBody, { name: 'Docs', allowedOrigins: ['https://a.example', 'x'.repeat(301)] });
    expect(origin).toMatchObject({ ok: false, field: 'allowedOrigins.1' });
    expect(checkBody(widgetBody, 'not an object')).toMatchObject({ ok: false, field: 'body' });
  });

  it('says it in the caller’s words when given, else in zod’s', () => {
    const words = (issue: { code: string }) => (issue.code === 'too_small' ? 'Cannot be empty.' : undefined);
    expect(checkBody(widgetBody, { name: '' }, words)).toEqual({ ok: false, field: 'name', message: 'Cannot be empty.' });
    expect(checkBody(widgetBody, { name: '' })).toMatchObject({ ok: false, message: expect.stringMatching(/too small/i) });
  });
});

describe('checkBody and unsafe text', () => {
  it('refuses U+0000 or a lone surrogate anywhere in the body as invalid_string, before the schema', () => {
    expect(checkBody(widgetBody, { name: 'Do\u0000cs' })).toMatchObject({ ok: false, field: 'name', code: 'invalid_string' });
    const origin = checkBody(widgetBody, { name: 'Docs', allowedOrigins: ['https://a.example', 'https://\ud800.example'] });
    expect(origin).toMatchObject({ ok: false, field: 'allowedOrigins.1', code: 'invalid_string' });
    expect(checkBody(widgetBody, { name: 'Docs 😀' })).toMatchObject({ ok: true });
  });
});
