import { SelectField } from '../ui/select-field.js';

/**
 * Which stored values a typed JSON condition may read: all of them, or only
 * trusted ones (a signed token or the server API; never what a browser claimed).
 */
export function ConditionValuesSelect({
  value,
  onChange,
  trustedLabel = 'Only trusted values',
}: {
  value: 'all' | 'trusted';
  onChange: (value: 'all' | 'trusted') => void;
  trustedLabel?: string;
}) {
  return (
    <SelectField
      label="Values the condition may use"
      value={value}
      onChange={(e) => onChange(e.target.value === 'trusted' ? 'trusted' : 'all')}
      options={[
        ['all', 'All stored values'],
        ['trusted', trustedLabel],
      ]}
    />
  );
}
