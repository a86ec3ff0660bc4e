import { sql, type Kysely } from 'kysely';
import type { DialectAdapter } from '../dialects/dialect-adapter.js';

// NOTE: these functions give conditions compiled by src/targeting/condition-sql.ts
// JavaScript's answers on PostgreSQL; src/db/dialects/sqlite-functions.ts gives the
// same ones on SQLite (by calling the targeting package). Same names, same meaning:
// change one, change the other (in a new migration here) and run the differential test.

/** PostgreSQL functions that targeting conditions compile to: JavaScript's coercions, dates, versions and lower-casing. */
export async function up(db: Kysely<unknown>, adapter: DialectAdapter): Promise<void> {
  // SQLite registers its functions on each connection instead (sqlite-functions.ts).
  if (adapter.name !== 'postgres') return;
  for (const statement of functionDefinitions()) await sql.raw(statement).execute(db);
}

function functionDefinitions(): string[] {
  const space = bracket(rangesOf((c) => /\s/.test(c), 0xffff));
  const lower = lowerCaseMapping();
  return [
    // JavaScript's StringToNumber (Number("…")): trimmed, "" is 0, decimal, Infinity, 0x/0o/0b; NULL for NaN.
    `create or replace function lumio_string_to_number(t text) returns float8 language plpgsql immutable strict parallel safe as $f$
declare
  s text := regexp_replace(t, '^${space}+|${space}+$', '', 'g');
  magnitude numeric;
  digit text;
begin
  if s = '' then return 0; end if;
  if s ~ '^[+-]?Infinity$' then
    return case when left(s, 1) = '-' then '-Infinity'::float8 else 'Infinity'::float8 end;
  end if;
  if s ~ '^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$' then
    -- Fewer than 300 digits and no exponent cannot leave float8's range.
    if length(s) < 300 and s !~ '[eE]' then return s::float8; end if;
    begin
      return s::float8;
    exception when numeric_value_out_of_range then
      -- Past float8's range: JavaScript gives ±Infinity, or ±0 below it.
      magnitude := coalesce(substring(s from '[eE]([+-]?[0-9]+)$')::numeric, 0)
        + length(ltrim(split_part(regexp_replace(s, '^[+-]|[eE].*$', '', 'g'), '.', 1), '0'));
      return case when left(s, 1) = '-' then -1 else 1 end * case when magnitude > 0 then 'Infinity'::float8 else 0 end;
    end;
  end if;
  if s ~ '^0([xX][0-9a-fA-F]+|[oO][0-7]+|[bB][01]+)$' then
    magnitude := 0;
    foreach digit in array regexp_split_to_array(lower(substr(s, 3)), '') loop
      magnitude := magnitude * case lower(substr(s, 2, 1)) when 'x' then 16 when 'o' then 8 else 2 end
        + position(digit in '0123456789abcdef') - 1;
    end loop;
    begin
      return magnitude::float8;
    exception when numeric_value_out_of_range then
      return 'Infinity'::float8;
    end;
  end if;
  return null;
end $f$`,

    // Number::toString for a number held exactly as JSON.stringify wrote it (shortest digits).
    `create or replace function lumio_number_text(n numeric) returns text language plpgsql immutable strict parallel safe as $f$
declare
  plain text := abs(n)::text;
  whole text := split_part(plain, '.', 1);
  digits text := whole || rtrim(split_part(plain, '.', 2), '0');
  point int := length(whole);
  k int;
  e int;
  sign text := case when n < 0 then '-' else '' end;
begin
  if n = 0 then return '0'; end if;
  point := point - (length(digits) - length(ltrim(digits, '0')));
  digits := rtrim(ltrim(digits, '0'), '0');
  k := length(digits);
  if k <= point and point <= 21 then return sign || digits || repeat('0', point - k); end if;
  if 0 < point and point <= 21 then return sign || left(digits, point) || '.' || substr(digits, point + 1); end if;
  if -6 < point and point <= 0 then return sign || '0.' || repeat('0', -point) || digits; end if;
  e := point - 1;
  return sign || left(digits, 1) || case when k > 1 then '.' || substr(digits, 2) else '' end
    || 'e' || case when e >= 0 then '+' else '-' end || abs(e)::text;
end $f$`,

    // String(value): what $regex tests and a plain string compares with. A missing value is "null".
    `create or replace function lumio_text(v jsonb) returns text language plpgsql immutable parallel safe as $f$
begin
  return case jsonb_typeof(v)
    when 'string' then v #>> '{}'
    when 'number' then lumio_number_text((v)::numeric)
    when 'boolean' then v #>> '{}'
    when 'array' then (
      select coalesce(string_agg(case when jsonb_typeof(e) = 'null' then '' else lumio_text(e) end, ',' order by i), '')
      from jsonb_array_elements(v) with ordinality as x(e, i))
    when 'object' then '[object Object]'
    else 'null' end;
end $f$`,

    // Number(value) (v * 1); NULL for NaN. A missing value is 0, as null * 1 is.
    `create or replace function lumio_number(v jsonb) returns float8 language sql immutable parallel safe as $f$
  select case jsonb_typeof(v)
    when 'number' then (v)::float8
    when 'string' then lumio_string_to_number(v #>> '{}')
    when 'boolean' then case when v = 'true'::jsonb then 1::float8 else 0::float8 end
    when 'array' then lumio_string_to_number(lumio_text(v))
    when 'object' then null
    else 0::float8 end
$f$`,

    // The targeting package's paddedVersion: GrowthBook's comparable version text.
    `create or replace function lumio_version(v jsonb) returns text language plpgsql immutable parallel safe as $f$
declare
  raw text := case jsonb_typeof(v) when 'string' then v #>> '{}' when 'number' then lumio_number_text((v)::numeric) end;
  parts text[];
  part text;
  padded text[] := '{}';
begin
  if raw is null or raw = '' then raw := '0'; end if;
  raw := regexp_replace(regexp_replace(raw, '^v', ''), '\\+[^\\u000a\\u000d\\u2028\\u2029]*$', '');
  parts := regexp_split_to_array(raw, '[-.]');
  if array_length(parts, 1) = 3 then parts := parts || '~'::text; end if;
  foreach part in array parts loop
    padded := padded || case when part ~ '^[0-9]+$' and length(part) < 5 then lpad(part, 5, ' ') else part end;
  end loop;
  return array_to_string(padded, '-');
end $f$`,

    // Days from 1970-01-01 to a proleptic Gregorian date (any year), without PostgreSQL's date range.
    `create or replace function lumio_days_from_civil(y bigint, m int, d int) returns bigint language sql immutable strict parallel safe as $f$
  select era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + (153 * (m + case when m > 2 then -3 else 9 end) + 2) / 5 + d - 1 - 719468
  from (select yy, floor(yy / 400.0)::bigint as era, yy - floor(yy / 400.0)::bigint * 400 as yoe
        from (select y - case when m <= 2 then 1 else 0 end as yy) a) b
$f$`,

    // The targeting package's dateValue: epoch ms of an ISO date, an ISO time with a zone, or a number; NULL otherwise.
    `create or replace function lumio_date(v jsonb) returns float8 language plpgsql immutable parallel safe as $f$
declare
  s text;
  f text[];
  y int; mo int; d int; h int; mi int; sec int; ms int; oh int; om int;
begin
  if jsonb_typeof(v) = 'number' then return (v)::float8; end if;
  if jsonb_typeof(v) is distinct from 'string' then return null; end if;
  s := v #>> '{}';
  f := regexp_match(s, '^([0-9]{4})-([0-9]{2})-([0-9]{2})(?:T([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:[.]([0-9]{1,9}))?)?(Z|([+-])([0-9]{2}):([0-9]{2})))?$');
  if f is null or (f[4] is null and length(s) <> 10) then return null; end if;
  y := f[1]::int; mo := f[2]::int; d := f[3]::int;
  if mo < 1 or mo > 12 or d < 1
    or d > (case when mo = 2 then (case when (y % 4 = 0 and y % 100 <> 0) or y % 400 = 0 then 29 else 28 end)
                 when mo in (4, 6, 9, 11) then 30 else 31 end) then
    return null;
  end if;
  if f[4] is null then return lumio_days_from_civil(y, mo, d)::float8 * 86400000; end if;
  -- As V8's Date.parse: hour 24 only as 24:00:00.000, zone offsets up to 23:59, milliseconds truncated.
  h := f[4]::int; mi := f[5]::int; sec := coalesce(f[6]::int, 0); ms := coalesce(rpad(left(f[7], 3), 3, '0')::int, 0);
  oh := coalesce(f[10]::int, 0); om := coalesce(f[11]::int, 0);
  if mi > 59 or sec > 59 or oh > 23 or om > 59 or h > 24 or (h = 24 and (mi > 0 or sec > 0 or ms > 0)) then return null; end if;
  return lumio_days_from_civil(y, mo, d)::float8 * 86400000 + h * 3600000 + mi * 60000 + sec * 1000 + ms
    - case when f[9] = '-' then -1 else 1 end * (oh * 3600000 + om * 60000);
end $f$`,

    // The targeting package's ageAt: whole years from the birthday to now, in UTC; NULL when not a date,
    // in the future, or outside JavaScript's Date range (the caller handles that case, where JavaScript says NaN).
    `create or replace function lumio_age(v jsonb, now float8) returns float8 language plpgsql immutable parallel safe as $f$
declare
  born float8 := lumio_date(v);
  b int[];
  n int[];
begin
  if born is null or born > now or born < -8.64e15 then return null; end if;
  b := lumio_civil_from_ms(trunc(born));
  n := lumio_civil_from_ms(trunc(now));
  return n[1] - b[1] - case when n[2] < b[2] or (n[2] = b[2] and n[3] < b[3]) then 1 else 0 end;
end $f$`,

    `create or replace function lumio_civil_from_ms(ms float8) returns int[] language plpgsql immutable strict parallel safe as $f$
declare
  z bigint := floor(ms / 86400000)::bigint + 719468;
  era bigint := floor(z / 146097.0)::bigint;
  doe bigint := z - era * 146097;
  yoe bigint := (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  doy bigint := doe - (365 * yoe + yoe / 4 - yoe / 100);
  mp bigint := (5 * doy + 2) / 153;
  d int := doy - (153 * mp + 2) / 5 + 1;
  m int := mp + case when mp < 10 then 3 else -9 end;
begin
  return array[(yoe + era * 400 + case when m <= 2 then 1 else 0 end)::int, m, d];
end $f$`,

    // The targeting package's readPath below the top level: own keys of objects, length and indexes of lists.
    `create or replace function lumio_path(v jsonb, parts text[]) returns jsonb language plpgsql immutable parallel safe as $f$
declare
  current jsonb := v;
  part text;
begin
  foreach part in array parts loop
    if jsonb_typeof(current) = 'object' and current ? part then
      current := current -> part;
    elsif jsonb_typeof(current) = 'array' and part = 'length' then
      current := to_jsonb(jsonb_array_length(current));
    elsif jsonb_typeof(current) = 'array' and part ~ '^(0|[1-9][0-9]{0,8})$' and part::int < jsonb_array_length(current) then
      current := current -> part::int;
    else
      return null;
    end if;
  end loop;
  return case when jsonb_typeof(current) = 'null' then null else current end;
end $f$`,

    // String.prototype.toLowerCase, independent of the database's locale: the mapping of the Node.js that ran
    // this migration, İ to i̇, and Σ to ς at the end of a word. ASCII-only text takes the short way.
    `create or replace function lumio_lower(t text) returns text language sql immutable strict parallel safe as $f$
  select case
    when octet_length(t) = char_length(t) then lower(t collate "C")
    else translate(replace(case when strpos(t, 'Σ') > 0
                                then regexp_replace(t, '${lower.finalSigma}', 'ς', 'g') else t end, 'İ', 'i̇'),
                   '${lower.from}', '${lower.to}')
  end
$f$`,
  ];
}

type Ranges = Array<[number, number]>;

function rangesOf(test: (c: string) => boolean, max: number): Ranges {
  const ranges: Ranges = [];
  for (let c = 0; c <= max; c++) {
    if (c >= 0xd800 && c <= 0xdfff) continue;
    if (!test(String.fromCodePoint(c))) continue;
    const last = ranges[ranges.length - 1];
    if (last && last[1] === c - 1) last[1] = c;
    else ranges.push([c, c]);
  }
  return ranges;
}

function escape(c: number): string {
  return c > 0xffff ? `\\U${c.toString(16).padStart(8, '0')}` : `\\u${c.toString(16).padStart(4, '0')}`;
}

function bracket(ranges: Ranges): string {
  return `[${ranges.map(([from, to]) => (from === to ? escape(from) : `${escape(from)}-${escape(to)}`)).join('')}]`;
}

function lowerCaseMapping(): { from: string; to: string; finalSigma: string } {
  let from = '';
  let to = '';
  for (let c = 0; c <= 0x10ffff; c++) {
    if (c >= 0xd800 && c <= 0xdfff) continue;
    const char = String.fromCodePoint(c);
    const lowered = char.toLowerCase();
    // Only one character, İ, lowers to two; it is replaced before translate().
    if (lowered !== char && [...lowered].length === 1 && c !== 0x3a3) {
      from += char;
      to += lowered;
    }
  }
  from += 'Σ';
  to += 'σ';
  // As ICU decides Final_Sigma: case-ignorable characters are skipped on either side, even when also cased.
  const ignorable = rangesOf((c) => /\p{Case_Ignorable}/u.test(c), 0x10ffff);
  const cased = rangesOf((c) => /\p{Cased}/u.test(c) && !/\p{Case_Ignorable}/u.test(c), 0x10ffff);
  const finalSigma = `(?<=${bracket(cased)}${bracket(ignorable)}*)Σ(?!${bracket(ignorable)}*${bracket(cased)})`;
  // Single quotes are doubled for the SQL literal; none of these strings holds one except by accident of the mapping.
  return { from: from.replaceAll("'", "''"), to: to.replaceAll("'", "''"), finalSigma };
}
