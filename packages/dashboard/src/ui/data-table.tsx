import { useId, useRef, type Key, type ReactNode } from 'react';
import { useOverflowsSideways } from './use-overflows-sideways.js';

/** One column of a {@link DataTable}: its header, and what each row shows under it. */
export interface DataColumn<Row> {
  header: ReactNode;
  /** The header is read by screen readers only (an "Actions" column of buttons needs no visible title). */
  srOnlyHeader?: boolean;
  /**
   * The row's cell. A column without one has a header only: an earlier
   * column's cell spans it with `colSpan` (one note standing for several figures).
   */
  cell?: (row: Row, index: number) => ReactNode;
  /** The cell names its row (`<th scope="row">`), so screen readers say it before each other cell. */
  rowHeader?: boolean;
  colSpan?: number;
  headerClassName?: string;
  cellClassName?: string;
}

/**
 * A real table (column headers with `scope`, an optional row-header column)
 * in the scrolling frame every list uses, or `empty` when there are no rows.
 *
 * @example
 * <DataTable
 *   rows={keys}
 *   rowKey={(k) => k.id}
 *   empty="No API keys yet."
 *   columns={[
 *     { header: 'Name', rowHeader: true, cell: (k) => k.name },
 *     { header: 'Actions', srOnlyHeader: true, cell: (k) => <RevokeButton apiKey={k} /> },
 *   ]}
 * />
 */
export function DataTable<Row>({
  rows,
  rowKey,
  columns,
  caption,
  label,
  empty,
  busy,
  frame = true,
}: {
  rows: readonly Row[];
  rowKey: (row: Row) => Key;
  columns: ReadonlyArray<DataColumn<Row>>;
  /** Names the table for screen readers (visually hidden). */
  caption?: ReactNode;
  /** Names the table for screen readers when there is no caption (`aria-label`). */
  label?: string;
  /** Shown instead of the table when there are no rows: text becomes a muted line. */
  empty?: ReactNode;
  /** The rows are being refreshed (`aria-busy` on the frame). */
  busy?: boolean;
  /** Off for a table that sits in a card of its own and needs no border or scrolling. */
  frame?: boolean;
}) {
  const frameRef = useRef<HTMLDivElement>(null);
  const scrolls = useOverflowsSideways(frameRef);
  const captionId = useId();
  if (rows.length === 0 && empty !== undefined) return typeof empty === 'string' ? <p className="muted">{empty}</p> : <>{empty}</>;
  const table = (
    <table aria-label={label}>
      {caption !== undefined && (
        <caption id={captionId} className="sr-only">
          {caption}
        </caption>
      )}
      <thead>
        <tr>
          {columns.map((column, i) => (
            <th key={i} scope="col" className={column.headerClassName}>
              {column.srOnlyHeader ? <span className="sr-only">{column.header}</span> : column.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row, index) => (
          <tr key={rowKey(row)}>
            {columns.map((column, i) => {
              if (!column.cell) return null;
              const content = column.cell(row, index);
              return column.rowHeader ? (
                <th key={i} scope="row" className={column.cellClassName} colSpan={column.colSpan}>
                  {content}
                </th>
              ) : (
                <td key={i} className={column.cellClassName} colSpan={column.colSpan}>
                  {content}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
  return frame ? (
    <div
      className="table-wrap"
      aria-busy={busy}
      ref={frameRef}
      // Wider than the screen (a phone): a named region the keyboard can reach and scroll.
      {...(scrolls && {
        tabIndex: 0,
        role: 'region',
        'aria-labelledby': caption !== undefined ? captionId : undefined,
        'aria-label': caption === undefined ? (label ?? 'Table') : undefined,
      })}
    >
      {table}
    </div>
  ) : (
    table
  );
}
