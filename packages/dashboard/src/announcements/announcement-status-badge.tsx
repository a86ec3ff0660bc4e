import type { AnnouncementStatus } from '@lumio/protocol';

const STYLES: Record<AnnouncementStatus, [className: string, label: string]> = {
  draft: ['badge', 'Draft'],
  scheduled: ['badge badge-warn', 'Scheduled'],
  live: ['badge badge-ok', 'Live'],
  ended: ['badge badge-danger', 'Ended'],
};

/** An announcement's status as a badge: the word says it, the colour only repeats it. */
export function AnnouncementStatusBadge({ status }: { status: AnnouncementStatus }) {
  const [className, label] = STYLES[status];
  return <span className={className}>{label}</span>;
}
