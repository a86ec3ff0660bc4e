export { ErrorCodes, isErrorCode } from './errors/error-codes.js';
export type { ErrorCode, ErrorBody } from './errors/error-codes.js';
export type { ValidationIssue, ValidationResult } from './identity/validation-result.js';
export { normalizeUserId, MAX_USER_ID_LENGTH } from './identity/user-id.js';
export { ANONYMOUS_ID_PATTERN } from './identity/anonymous-id.js';
export { Genders, isGender } from './identity/genders.js';
export type { Gender } from './identity/genders.js';
export { validateStandardTraits, STANDARD_TRAITS } from './identity/profile.js';
export type { StandardTraits } from './identity/profile.js';
export { validateProperties, PropertyLimits } from './identity/properties.js';
export type { PropertyValue, PropertiesInput } from './identity/properties.js';
export { parseIdentifyPayload } from './identity/identify-payload.js';
export type { IdentifyRequest, IdentifyPayload } from './identity/identify-payload.js';
export { TrustLevels } from './identity/trust-levels.js';
export type { TrustLevel, IdentityState } from './identity/trust-levels.js';
export type { UserRecord, ValueSource } from './identity/user-record.js';
export type {
  Appearance,
  AnnouncementEventType,
  AnnouncementsAnswer,
  CallToAction,
  DeliveredAnnouncement,
  WidgetPosition,
} from './announcements/delivered-announcement.js';
export type {
  HelpArticle,
  HelpArticleAnswer,
  HelpArticlesAnswer,
  HelpArticleSummary,
  HelpCollection,
  HelpCollectionsAnswer,
} from './help-center/help-article.js';
export {
  BuiltInEvents,
  EventLimits,
  EVENT_ID_PATTERN,
  isBuiltInEvent,
  normalizeSearchQuery,
  validateAnalyticsEvent,
} from './analytics/analytics-event.js';
export type {
  AnalyticsEvent,
  AnalyticsEventInput,
  BuiltInEventName,
  EventBatchAnswer,
  EventBatchRequest,
} from './analytics/analytics-event.js';
