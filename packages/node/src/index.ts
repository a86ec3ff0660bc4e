export { signUserId } from './signing/sign-user-id.js';
export { signIdentityToken } from './signing/sign-identity-token.js';
export type { IdentityTokenClaims, SignIdentityTokenOptions } from './signing/sign-identity-token.js';
export { LumioClient } from './client/lumio-client.js';
export type { LumioClientOptions, EventsOptions } from './client/client-config.js';
export type { UsersApi } from './client/users-api.js';
export type { CompaniesApi } from './client/companies-api.js';
export { LumioApiError } from './client/lumio-api-error.js';
export type { LumioApiErrorCode, LumioApiErrorInit, ClientErrorCode } from './client/lumio-api-error.js';
export type {
  User,
  UserUpsert,
  UserPage,
  UserExport,
  UserErasure,
  UserMerge,
  UserMergeRequest,
  ListUsersOptions,
  TrackedEvent,
} from './client/types.js';
export type {
  Company,
  CompanyWithMemberCount,
  CompanyUpsert,
  CompanyPage,
  CompanyMembership,
  CompanyExport,
  CompanyErasure,
  ListCompaniesOptions,
} from './client/types.js';
export type { ValueSource } from '@lumio/protocol';
