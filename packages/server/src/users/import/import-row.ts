import { z } from 'zod';
import {
  findUnsafeText,
  normalizeUserId,
  parseCompanies,
  unsafeTextMessage,
  validateProperties,
  validateStandardTraits,
  type ErrorCode,
  type PropertiesInput,
  type StandardTraits,
} from '@lumio/protocol';
import type { CompanyInput } from '../../companies/companies-store.js';

/** One row of an import file, as the CSV and NDJSON readers hand it on (values not yet checked). */
export interface ImportRowInput {
  userId?: unknown;
  name?: unknown;
  email?: unknown;
  birthday?: unknown;
  gender?: unknown;
  properties?: unknown;
  company?: unknown;
  companies?: unknown;
}

/** A row that passed the checks of `PUT /server/v1/users/:userId`, ready to store. */
export interface ImportRow {
  /** The physical line the row starts on (1-based; a CSV header is line 1). */
  line: number;
  userId: string;
  traits: StandardTraits;
  properties: PropertiesInput;
  companies: CompanyInput[];
}

/** Why a row was not stored: its line, a stable error code and a message naming the field. */
export interface ImportRowError {
  line: number;
  code: ErrorCode;
  message: string;
}

// The same fields as the server API's user upsert, plus the userId and companies.
const rowShape = z.strictObject({
  userId: z.unknown(),
  name: z.unknown().optional(),
  email: z.unknown().optional(),
  birthday: z.unknown().optional(),
  gender: z.unknown().optional(),
  properties: z.unknown().optional(),
  company: z.unknown().optional(),
  companies: z.unknown().optional(),
});

/**
 * Checks one row exactly as `PUT /server/v1/users/:userId` checks its body
 * (userId, standard traits, properties) plus its companies; unknown fields are
 * refused, so a misspelt column never vanishes silently.
 */
export function validateImportRow(line: number, input: unknown): ImportRow | ImportRowError {
  const shape = rowShape.safeParse(input);
  if (!shape.success) {
    const issue = shape.error.issues[0]!;
    const field = issue.path.join('.');
    const message =
      issue.code === 'unrecognized_keys'
        ? `Unknown field ${issue.keys.map((k) => `"${k}"`).join(', ')}; a row takes userId, name, email, birthday, gender, properties and company or companies.`
        : `${field || 'The row'}: ${issue.message}`;
    return { line, code: 'invalid_request', message };
  }
  const row = shape.data;
  // PostgreSQL cannot store NUL or a lone surrogate: the same refusal as every JSON route's.
  const unsafe = findUnsafeText(row);
  if (unsafe) return { line, code: 'invalid_string', message: unsafeTextMessage(unsafe) };
  const userId = normalizeUserId(row.userId);
  if (!userId.ok) return { line, ...issueOf(userId.issue) };
  const traits = validateStandardTraits({ name: row.name, email: row.email, birthday: row.birthday, gender: row.gender } as StandardTraits);
  if (!traits.ok) return { line, ...issueOf(traits.issue) };
  const properties = validateProperties(row.properties);
  if (!properties.ok) return { line, ...issueOf(properties.issue) };
  // The same company rules as identify and the server API's upsert (protocol's parseCompanies).
  const companies = parseCompanies({ company: row.company, companies: row.companies });
  const bad = companies.errors[0];
  if (bad) return { line, code: bad.code, message: bad.message };
  return { line, userId: userId.value, traits: traits.value, properties: properties.value, companies: companies.companies };
}

/** Whether {@link validateImportRow} refused the row. */
export function isRowError(result: ImportRow | ImportRowError): result is ImportRowError {
  return 'code' in result;
}

function issueOf(issue: { code: ErrorCode; message: string }): { code: ErrorCode; message: string } {
  return { code: issue.code, message: issue.message };
}
