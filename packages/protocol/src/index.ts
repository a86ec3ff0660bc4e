export { ErrorCodes, isErrorCode } from './errors/error-codes.js';
export type { ErrorCode, ErrorBody } from './errors/error-codes.js';
export type { ValidationIssue, ValidationResult } from './identity/validation-result.js';
export { normalizeUserId, MAX_USER_ID_LENGTH } from './identity/user-id.js';
export { ANONYMOUS_ID_PATTERN } from './identity/anonymous-id.js';
export { Genders, isGender } from './identity/genders.js';
export type { Gender } from './identity/genders.js';
export { validateStandardTraits, STANDARD_TRAITS } from './identity/profile.js';
export type { StandardTraits } from './identity/profile.js';
export { validateProperties, PropertyLimits, PROPERTY_KEY_RULE, isPropertyKey } from './identity/properties.js';
export type { PropertyValue, PropertiesInput } from './identity/properties.js';
export { parseIdentifyPayload } from './identity/identify-payload.js';
export { CompanyLimits, normalizeCompanyId, parseCompanies, validateCompany } from './companies/company-input.js';
export type { CompanyInput, CompanyRequest } from './companies/company-input.js';
export type { CompanyRecord, CompanyMember, UserCompany, CompaniesPage, CompanyWithMembers } from './companies/company-record.js';
export type { IdentifyRequest, IdentifyPayload, ProfileFieldError, ProfileOutcome } from './identity/identify-payload.js';
export { TrustLevels } from './identity/trust-levels.js';
export type { TrustLevel, IdentityState } from './identity/trust-levels.js';
export type { UserRecord, ValueSource } from './identity/user-record.js';
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
export type {
  ArticleRelevanceAnswer,
  HelpSuggestedAnswer,
  RelevanceSignalName,
  RelevanceSignalView,
} from './help-center/article-relevance.js';
export { SUGGESTED_LIMIT } from './help-center/article-relevance.js';
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
  EventTimeWindow,
} from './analytics/analytics-event.js';
export { ServerEventLimits, validateServerEvent } from './analytics/server-event.js';
export type { ServerEvent, ServerEventBatchAnswer, ServerEventInput, ServerEventResult } from './analytics/server-event.js';
export { checkBody } from './validation/check-body.js';
export { findUnsafeText, unsafeTextMessage, unsafeTextReason } from './validation/unsafe-text.js';
export type { UnsafeText } from './validation/unsafe-text.js';
export type { BodyCheck, IssueWords } from './validation/check-body.js';
export { ROLES, hasRole, isRole, outranks } from './workspaces/roles.js';
export type { Role } from './workspaces/roles.js';
export type { WorkspaceView, WorkspacesAnswer } from './workspaces/workspace-view.js';
export { workspaceBody } from './workspaces/workspace-body.js';
export type { WorkspaceBody } from './workspaces/workspace-body.js';
export { WORKSPACE_SETTINGS_LIMITS, workspaceSettingsPatchBody } from './workspaces/workspace-settings.js';
export type { WorkspaceSettingsPatch, WorkspaceSettingsView } from './workspaces/workspace-settings.js';
export type {
  AccountView,
  EmailStatus,
  ForgotPasswordAnswer,
  RenamedAccount,
  SessionAccount,
  SessionView,
  SetupAnswer,
  SetupStatus,
  SignInAnswer,
} from './accounts/session-view.js';
export {
  accountNameBody,
  changePasswordBody,
  confirmPasswordBody,
  forgotPasswordBody,
  passwordResetBody,
  setupBody,
  signInBody,
} from './accounts/account-bodies.js';
export type { AccountNameBody, ChangePasswordBody, SetupBody } from './accounts/account-bodies.js';
export { MIN_PASSWORD_LENGTH } from './accounts/min-password-length.js';
export type { CreatedWidget, VerificationMode, WidgetInstallAnswer, WidgetsAnswer, WidgetView } from './widgets/widget-views.js';
export { widgetBody, widgetPatchBody } from './widgets/widget-body.js';
export { DEFAULT_APPEARANCE, HEX_COLOUR } from './widgets/default-appearance.js';
export type { WidgetBody } from './widgets/widget-body.js';
export { revealSecretsBody, rotateSecretBody } from './widgets/signing-secret-bodies.js';
export type {
  RevealedSecret,
  RevealedSecretsAnswer,
  RotatedSecret,
  SecretState,
  SecretsAnswer,
  SecretValue,
  SecretView,
} from './widgets/signing-secret-views.js';
export type {
  DiagnosedIdentityLogView,
  IdentifyOutcome,
  IdentityHour,
  IdentityLogAnswer,
  IdentityLogView,
  IdentityStats,
} from './identity/identity-log-views.js';
export type {
  AcceptedInvite,
  CreatedInvite,
  InvitesAnswer,
  InviteView,
  MembersAnswer,
  MemberView,
  OneTimeLink,
  PasswordResetLink,
} from './team/team-views.js';
export { acceptInviteBody, inviteBody, memberRoleBody } from './team/team-bodies.js';
export type { InviteBody } from './team/team-bodies.js';
export type { ApiKeysAnswer, ApiKeyView, CreatedApiKey } from './api-keys/api-key-view.js';
export { apiKeyBody } from './api-keys/api-key-body.js';
export type { ApiKeyBody } from './api-keys/api-key-body.js';
export type { AuditEntryView, AuditLogAnswer } from './audit/audit-entry-view.js';
export { AUDIT_ACTIONS, isAuditAction } from './audit/audit-actions.js';
export type { AuditAction } from './audit/audit-actions.js';
export type { EventSubject, UserEventView, UserEventsAnswer, UserProfile, UsersAnswer } from './users/user-views.js';
export type {
  CompanyListAnswer,
  CompanyListRow,
  CompanyPageAnswer,
  CompanyPerson,
  CompanyProfileView,
} from './companies/company-dashboard-views.js';
export type { InterestTopicView, UserInterests } from './users/interest-views.js';
export { USER_INTERESTS_SHOWN } from './users/interest-views.js';
export type { StoredEvent } from './analytics/stored-event.js';
export type { PropertyCatalogueAnswer, PropertyCatalogueEntry, ValueFlag } from './analytics/property-catalogue-entry.js';
export type { EventNameView, EventNamesAnswer } from './analytics/event-name.js';
export { AGE_BANDS } from './analytics/report-views.js';
export type {
  AgeBand,
  ArticleRow,
  ArticlesReport,
  DemographicsReport,
  DemographicInterest,
  DemographicInterests,
  DemographicValue,
  FunnelCount,
  FunnelReport,
  FunnelRow,
  IdentityHealthReport,
  NoResultSearchRow,
  SearchRow,
  SeriesInterval,
  SeriesLine,
  SeriesReport,
} from './analytics/report-views.js';
export type {
  ArticlesRequest,
  DemographicsRequest,
  FunnelRequest,
  IdentityHealthRequest,
  ReportFilter,
  SeriesRequest,
} from './analytics/report-requests.js';
export type { AudienceView, PropertiesView, SegmentsAnswer, SegmentView } from './segments/segment-views.js';
export { audiencePreviewBody, segmentBody, segmentPatchBody } from './segments/segment-bodies.js';
export type { SegmentBody } from './segments/segment-bodies.js';
export type {
  AnnouncementAudience,
  AnnouncementCta,
  AnnouncementFrequency,
  AnnouncementKind,
  AnnouncementStats,
  AnnouncementStatsAnswer,
  AnnouncementStatus,
  AnnouncementView,
  AnnouncementViewsAnswer,
  AnnouncementVisibility,
  RenderedBody,
} from './announcements/announcement-view.js';
export { ANNOUNCEMENT_LIMITS } from './announcements/announcement-limits.js';
export { announcementPreviewBody, createAnnouncementBody, patchAnnouncementBody } from './announcements/announcement-input.js';
export type { CreateAnnouncementInput, PatchAnnouncementInput } from './announcements/announcement-input.js';
export type {
  ArticleAudience,
  RenderedArticle,
  ArticleView,
  ArticleCounts,
  ArticleSummariesAnswer,
  ArticleSummaryView,
  CollectionView,
  CollectionViewsAnswer,
  HelpCenterExport,
  HelpCenterFile,
  ImportResult,
  HelpImportJob,
  HelpTopicView,
  HelpTopicsAnswer,
} from './help-center/help-center-views.js';
export {
  ARTICLE_PAGE,
  ARTICLE_TAG_LIMITS,
  HELP_CENTER_LIMITS,
  HELP_TOPICS_LIMIT,
  IMPORT_LIMITS,
  SLUG_PATTERN,
} from './help-center/help-center-limits.js';
export {
  articleBody,
  articlePatchBody,
  articlePreviewBody,
  collectionBody,
  collectionPatchBody,
  helpCenterImportBody,
} from './help-center/help-center-bodies.js';
export type { CollectionBody } from './help-center/help-center-bodies.js';
export { SMTP_SECURITY, instanceEmailBody } from './instance/instance-email.js';
export type {
  InstanceEmailBody,
  InstanceEmailSettings,
  InstanceEmailTestAnswer,
  InstanceEmailView,
  SmtpSecurity,
} from './instance/instance-email.js';
export { WEBHOOK_EVENT_TYPES, WEBHOOK_PAYLOAD_VERSION, isWebhookEventType } from './webhooks/webhook-event-types.js';
export type { WebhookEventType } from './webhooks/webhook-event-types.js';
export {
  WEBHOOK_DELIVERY_STATES,
  WEBHOOK_ENDPOINT_LIMITS,
  webhookEndpointBody,
  webhookEndpointPatchBody,
  webhookEventSelection,
} from './webhooks/webhook-endpoint-bodies.js';
export type { WebhookEndpointBody } from './webhooks/webhook-endpoint-bodies.js';
export type {
  WebhookDeliveriesAnswer,
  WebhookDeliveryState,
  WebhookDeliveryView,
  WebhookEndpointsAnswer,
  WebhookEndpointView,
  WebhookEndpointWithSecret,
} from './webhooks/webhook-endpoint-views.js';
