import type { ReactNode } from 'react';

/** The frame of the pages shown before sign-in: a centred card under the product name. */
export function AuthLayout({ title, intro, children }: { title: string; intro?: ReactNode; children?: ReactNode }) {
  return (
    <main className="auth-layout">
      <div className="auth-card">
        <p className="brand" aria-hidden="true">
          Lumio
        </p>
        <h1>{title}</h1>
        {intro && <p className="muted">{intro}</p>}
        {children}
      </div>
    </main>
  );
}
