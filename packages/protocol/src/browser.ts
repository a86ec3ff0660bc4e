// What browser code may import: constants and types only, none of the zod
// validators, so a browser bundle stays small (the server validates everything).
export { Genders } from './identity/genders.js';
export { normalizeUserId, MAX_USER_ID_LENGTH } from './identity/user-id.js';
// No zod in it: the SDK refuses a bad birthday with the server's own rule before sending.
export { BIRTHDAY_RULE, isPastCalendarDate } from './identity/profile.js';
export { ANONYMOUS_ID_PATTERN } from './identity/anonymous-id.js';
export type { Gender } from './identity/genders.js';
export type { ErrorCode, ErrorBody } from './errors/error-codes.js';
export type { StandardTraits } from './identity/profile.js';
export type { PropertyValue, PropertiesInput } from './identity/properties.js';
export type { IdentifyRequest, ProfileFieldError, ProfileOutcome } from './identity/identify-payload.js';
export type { CompanyRequest } from './companies/company-input.js';
export type { IdentityState, TrustLevel } from './identity/trust-levels.js';
export type {
  Appearance,
  AnnouncementEventType,
  AnnouncementsAnswer,
  BannerPlacement,
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
export type { AnalyticsEventInput, BuiltInEventName, EventBatchAnswer, EventBatchRequest } from './analytics/analytics-event.js';
