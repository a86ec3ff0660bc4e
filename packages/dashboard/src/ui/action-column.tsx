import { Button } from './button.js';
import type { DataColumn } from './data-table.js';

/**
 * A DataTable's "Actions" column with one button per row (Revoke, Delete):
 * the header is for screen readers only, and each button's accessible name
 * says which row it acts on.
 *
 * @example
 * actionColumn<ApiKeyView>({ label: 'Revoke', name: (k) => `Revoke ${k.name}`, onClick: setRevoking, when: (k) => k.revokedAt === null })
 */
export function actionColumn<Row>({
  label,
  name,
  onClick,
  when,
}: {
  label: string;
  name: (row: Row) => string;
  onClick: (row: Row) => void;
  /** The rows that have the button (all when left out). */
  when?: (row: Row) => boolean;
}): DataColumn<Row> {
  return {
    header: 'Actions',
    srOnlyHeader: true,
    cell: (row) =>
      (when?.(row) ?? true) && (
        <Button variant="ghost" onClick={() => onClick(row)} aria-label={name(row)}>
          {label}
        </Button>
      ),
  };
}
