import type { ReactNode } from 'react';
import './page-header.css';

/**
 * A page's title, what it is for, and its main actions. `sticky` keeps it at
 * the top while an editor scrolls, so the item's status stays in sight.
 */
export function PageHeader({
  title,
  description,
  actions,
  sticky = false,
}: {
  title: ReactNode;
  description?: ReactNode;
  actions?: ReactNode;
  sticky?: boolean;
}) {
  return (
    <header className={sticky ? 'page-header page-header-sticky' : 'page-header'}>
      <div>
        <h1>{title}</h1>
        {description && <p className="muted">{description}</p>}
      </div>
      {actions && <div className="page-actions">{actions}</div>}
    </header>
  );
}
