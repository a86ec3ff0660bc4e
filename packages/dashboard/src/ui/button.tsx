import type { ButtonHTMLAttributes } from 'react';

/**
 * A button in one of the dashboard's three weights. While `busy` it refuses
 * clicks (and so its form's submit) but stays enabled: a disabled button drops
 * the keyboard focus to <body>, and the dialog or message its action opens
 * would have nothing to give the focus back to.
 */
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
      disabled={props.disabled}
      aria-disabled={busy || undefined}
      aria-busy={busy || undefined}
      onClick={busy ? (event) => event.preventDefault() : props.onClick}
    >
      {children}
    </button>
  );
}
