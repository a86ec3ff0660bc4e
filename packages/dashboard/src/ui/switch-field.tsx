import * as Label from '@radix-ui/react-label';
import * as Switch from '@radix-ui/react-switch';
import { useId, type ReactNode } from 'react';

/** An on/off setting with its label (Radix Switch: role="switch", Space toggles). */
export function SwitchField({
  label,
  hint,
  checked,
  onCheckedChange,
  disabled,
}: {
  label: ReactNode;
  hint?: ReactNode;
  checked: boolean;
  onCheckedChange: (checked: boolean) => void;
  disabled?: boolean;
}) {
  const id = useId();
  return (
    <div className="field">
      <div className="row">
        <Switch.Root
          id={id}
          className="switch"
          checked={checked}
          onCheckedChange={onCheckedChange}
          disabled={disabled}
          aria-describedby={hint ? `${id}-hint` : undefined}
        >
          <Switch.Thumb className="switch-thumb" />
        </Switch.Root>
        <Label.Root htmlFor={id}>{label}</Label.Root>
      </div>
      {hint && (
        <p id={`${id}-hint`} className="field-hint">
          {hint}
        </p>
      )}
    </div>
  );
}
