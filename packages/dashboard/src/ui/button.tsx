import type { ButtonHTMLAttributes } from 'react';

/** A button in one of the dashboard's three weights. */
export function Button({
  variant = 'secondary',
  busy = false,
  className,
  children,
  ...props
}: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: 'primary' | 'secondary' | 'danger' | 'ghost'; busy?: boolean }) {
  return (
    <button
      type="button"
      {...props}
      className={`button button-${variant}${className ? ` ${className}` : ''}`}
      disabled={props.disabled || busy}
      aria-busy={busy || undefined}
    >
      {children}
    </button>
  );
}
