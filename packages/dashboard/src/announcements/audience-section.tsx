import type { AudienceView } from '@lumio/protocol';
import { useQuery } from '@tanstack/react-query';
import { api } from '../api/api-client.js';
import { AudienceCount } from '../conditions/audience-count.js';
import { RuleBuilder } from '../conditions/rule-builder.js';
import { useSegments } from '../conditions/use-segments.js';
import { countOf, formatCount } from '../ui/format.js';
import { SelectField } from '../ui/select-field.js';
import { combinedCondition, type AnnouncementDraft } from './announcement-draft.js';

/** Who an announcement is for: a saved segment, rules (visual or JSON), identity state, trusted values, and the live count. */
export function AudienceSection({
  workspaceId,
  announcementId,
  draft,
  update,
  conditionValid,
  onConditionValid,
}: {
  workspaceId: string;
  announcementId: string | null;
  draft: AnnouncementDraft;
  update: (patch: Partial<AnnouncementDraft>) => void;
  conditionValid: boolean;
  onConditionValid: (valid: boolean) => void;
}) {
  const segments = useSegments(workspaceId);
  const saved = useQuery({
    queryKey: ['announcements', workspaceId, announcementId, 'audience'],
    queryFn: () => api<AudienceView>(`/workspaces/${workspaceId}/announcements/${announcementId}/audience`),
    enabled: announcementId !== null,
  });
  const segmentOptions: Array<[string, string]> = [
    ['', 'No segment'],
    ...(segments.data ?? []).map((s): [string, string] => [s.id, s.name]),
  ];
  if (draft.segmentId && !segments.data?.some((s) => s.id === draft.segmentId)) segmentOptions.push([draft.segmentId, draft.segmentId]);
  return (
    <section className="card stack" aria-labelledby="audience-title">
      <h2 id="audience-title">Audience</h2>
      <div className="editor-grid">
        <SelectField
          label="Segment"
          hint="Users must be in it (and match the rules below)."
          value={draft.segmentId}
          onChange={(e) => update({ segmentId: e.target.value })}
          options={segmentOptions}
        />
        <SelectField
          label="Who may see it"
          hint="Verified users proved who they are with a signature."
          value={draft.visibility}
          onChange={(e) => update({ visibility: e.target.value as AnnouncementDraft['visibility'] })}
          options={[
            ['everyone', 'Everyone, anonymous visitors too'],
            ['identified', 'Identified users'],
            ['verified', 'Verified users only'],
          ]}
        />
      </div>
      <RuleBuilder
        workspaceId={workspaceId}
        initial={draft.condition}
        onChange={({ condition, valid }) => {
          update({ condition });
          onConditionValid(valid);
        }}
        properties={draft.properties}
        onPropertiesChange={(properties) => update({ properties })}
        trustedHint="Rules read only values from a signed token or the server API, never what a browser claimed."
      />
      <AudienceCount
        workspaceId={workspaceId}
        condition={combinedCondition(draft)}
        valid={conditionValid}
        properties={draft.properties}
        verifiedOnly={draft.visibility === 'verified'}
      />
      {announcementId && saved.data && (
        <p className="muted small">
          As saved now: {countOf(saved.data.count, { one: 'user', other: 'users' })}. Save to apply your changes.
        </p>
      )}
    </section>
  );
}
