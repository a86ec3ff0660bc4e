import { z } from 'zod';
import {
  findUnsafeText,
  normalizeUserId,
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

/** Companies one row may name: a person belongs to a handful, not hundreds. */
export const MAX_COMPANIES_PER_ROW = 20;
const MAX_COMPANY_ID_LENGTH = 255;
const MAX_COMPANY_NAME_LENGTH = 255;

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
const companyShape = z.strictObject({
  id: z.string().trim().min(1).max(MAX_COMPANY_ID_LENGTH),
  name: z.string().max(MAX_COMPANY_NAME_LENGTH).nullable().optional(),
  properties: z.unknown().optional(),
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
  const companies = validateCompanies(row.company, row.companies);
  if (typeof companies === 'string') return { line, code: 'invalid_request', message: companies };
  return { line, userId: userId.value, traits: traits.value, properties: properties.value, companies };
}

/** Whether {@link validateImportRow} refused the row. */
export function isRowError(result: ImportRow | ImportRowError): result is ImportRowError {
  return 'code' in result;
}

function validateCompanies(company: unknown, companies: unknown): CompanyInput[] | string {
  if (company !== undefined && companies !== undefined) return 'Give company or companies, not both.';
  if (company === undefined && companies === undefined) return [];
  const list = company !== undefined ? [company] : companies;
  if (!Array.isArray(list)) return 'companies must be a list of { id, name, properties }.';
  if (list.length > MAX_COMPANIES_PER_ROW) return `companies lists ${list.length}; at most ${MAX_COMPANIES_PER_ROW} per row.`;
  const out: CompanyInput[] = [];
  for (const item of list) {
    const parsed = companyShape.safeParse(item);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return `company${issue.path.length ? `.${issue.path.join('.')}` : ''}: ${issue.message}`;
    }
    const properties = validateProperties(parsed.data.properties, 'company.properties');
    if (!properties.ok) return properties.issue.message;
    out.push({
      id: parsed.data.id,
      ...(parsed.data.name !== undefined ? { name: parsed.data.name } : {}),
      properties: properties.value,
    });
  }
  return out;
}

function issueOf(issue: { code: ErrorCode; message: string }): { code: ErrorCode; message: string } {
  return { code: issue.code, message: issue.message };
}
